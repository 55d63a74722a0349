"""Écarts entre documents : codes nommés par un texte, source de chaque lecture, regroupements."""

from __future__ import annotations

import pandas as pd

from dashboard.modeles import ecarts as modele
from data_access.ecarts import COLONNES_ECARTS, COLONNES_LIENS, codes_nommes, noms

F002 = "002_08888835fc8aebb3.txt"
F003 = "003_ae35ec8acbc9bebf.txt"


def test_un_code_se_lit_entier_et_une_plage_se_developpe() -> None:
    assert codes_nommes("lignes A6 à A10 décalées") >= {"A6", "A7", "A8", "A9", "A10"}
    assert codes_nommes("coupés (A3, A17, A34)") >= {"A3", "A17", "A34"}
    assert "A3" not in codes_nommes("A34 et A3.1")
    assert "OO2" not in codes_nommes("indicateur OO2-S")
    assert {"OO2-S", "OO3"} <= codes_nommes("OO3, indicateur OO2-S")
    assert {"A13", "OO9"} <= codes_nommes("la parenthèse d'A13 ; l'OO9.")
    assert "I1" not in codes_nommes("MDE-I1")


def test_les_noms_d_un_indicateur() -> None:
    suivi = {"code": "OO2-S.1", "objectif": "OO2", "action": None, "niveau": "objectif"}
    action = {"code": "A13.1", "objectif": "OO4", "action": "A13", "niveau": "action"}
    assert noms(suivi) == {"OO2-S.1", "OO2-S"}
    assert noms(action) == {"A13.1", "A13"}


def test_une_source_par_lecture() -> None:
    assert modele.sources_lectures(F002, "§3.1, §4, OO2 / tableau §4") == (
        f"{F002} §3.1, §4, OO2", f"{F002} tableau §4",
    )  # fmt: skip
    assert modele.sources_lectures(F002, "§4") == (f"{F002} §4",)
    # Deux fichiers, deux endroits : chacun le sien, sans répéter le numéro du fichier.
    assert modele.sources_lectures(f"{F002}, {F003}", "§5.2.15 / 003 partie I") == (
        f"{F002} §5.2.15", f"{F003} partie I",
    )  # fmt: skip
    trois = modele.sources_lectures(f"{F002}, {F003}, 001_x.txt", "divers")
    assert trois == (f"{F002}, {F003}, 001_x.txt (divers)",)


def _ecarts() -> list[modele.Ecart]:
    cadre = pd.DataFrame(
        [("INC-01", F002, "§3.1 / §4", "haute", "10 000 contre 11 199"),
         ("INC-02", F002, "§7", "faible", "a contre b"),
         ("INC-03", F002, "§1 / §2", "moyenne", "c contre d"),
         ("INC-04", F002, "§5", "faible", "e contre f")],
        columns=list(COLONNES_ECARTS),
    ).astype(COLONNES_ECARTS)  # fmt: skip
    liens = pd.DataFrame([("INC-01", "OO2-S.1"), ("INC-03", "OO2-S.1"), ("INC-03", "A2.1")],
                         columns=list(COLONNES_LIENS)).astype(COLONNES_LIENS)  # fmt: skip
    return modele.build_ecarts(cadre, liens)


def test_les_ecarts_d_un_indicateur_et_par_gravite() -> None:
    ecarts = _ecarts()
    assert [e.code for e in modele.de_l_indicateur(ecarts, "OO2-S.1")] == ["INC-01", "INC-03"]
    assert modele.de_l_indicateur(ecarts, "A31.1") == []
    groupes = modele.par_gravite(ecarts)
    assert list(groupes) == ["haute", "moyenne", "faible"]
    assert [e.code for e in groupes["faible"]] == ["INC-02", "INC-04"]
    assert modele.texte_titre_section(ecarts) == (
        "4 écarts relevés : 1 de gravité haute, 1 de gravité moyenne, 2 de gravité faible"
    )
    assert modele.texte_indicateurs(ecarts[2]) == "indicateurs concernés : OO2-S.1, A2.1"
    assert modele.texte_indicateurs(ecarts[1]) == ""
    # Les documents par leur nom (ticket 18, point 10), jamais le nom du fichier.
    assert modele.texte_sources(ecarts[0]) == "Sources : PDIE 2017-2019, §3.1 · PDIE 2017-2019, §4"
    assert modele.texte_sources(ecarts[1]) == "Source : PDIE 2017-2019, §7"
