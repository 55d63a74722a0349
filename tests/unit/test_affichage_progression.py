"""Aides pures des pages de progression : blocs de l'arbre, textes des barres, cases du §4."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from dashboard.modeles import objectifs, synthese
from dashboard.modeles import territoires as tt
from data_access.plan import COLONNES_ARBRE
from data_access.progression import COLONNES_PROGRESSIONS

FINE = "\u202f"


def _noeud(code: str, parent: str | None, type_: str, niveau: str, **champs: Any) -> dict[str, Any]:
    ligne: dict[str, Any] = dict.fromkeys(COLONNES_ARBRE)
    ligne.update(code=code, parent=parent, type=type_, niveau=niveau, libelle=f"Libellé {code}",
                 rang=1, profondeur=0, ordre=0, plan="PDIE-2017-2019", source="002 §7",
                 nature="flux", unite="contrats", periodicite="semestrielle",
                 polarite="hausse", echelle="canton")  # fmt: skip
    ligne.update(champs)
    return ligne


ARBRE = pd.DataFrame(
    [
        _noeud("FIN", None, "objectif", "finalite"),
        _noeud("I-FIN", "FIN", "indicateur", "indicateur", profondeur=1),
        _noeud("OS1", "FIN", "objectif", "os", profondeur=1),
        _noeud("OO1", "OS1", "objectif", "oo", profondeur=2),
        _noeud("I-OO1", "OO1", "indicateur", "indicateur", profondeur=3),
        _noeud("A1", "OO1", "action", "action", profondeur=3),
        _noeud("I-A1", "A1", "indicateur", "indicateur", unite="%", profondeur=4),
        _noeud("AXE1", None, "objectif", "axe", plan="MDE-2020"),
        _noeud("I-MDE", "AXE1", "indicateur", "indicateur", plan="MDE-2020", profondeur=1),
        _noeud("S1", "AXE1", "objectif", "strategie", plan="MDE-2020", profondeur=1),
    ],
    columns=list(COLONNES_ARBRE),
).astype(COLONNES_ARBRE)


def _ligne(indicateur: str, **champs: Any) -> dict[str, Any]:
    ligne: dict[str, Any] = dict.fromkeys(COLONNES_PROGRESSIONS)
    ligne.update(indicateur=indicateur, territoire="67", en_cours=True, derive=False,
                 comparable=True, suivi="cible", nature="flux", unite="contrats",
                 polarite="hausse", echelle="canton")  # fmt: skip
    ligne.update(champs)
    return ligne


PROGRESSIONS = pd.DataFrame(
    [
        _ligne("I-FIN", suivi="sans cible", reel=12, donnees_au="2019-S1", tendance="stable"),
        _ligne("I-OO1", periode_cible="2019", cible=75, reel=40, attendu=37.5,
               statut="dans la trajectoire", donnees_au="2019-S1", source="002 §4"),
        _ligne("I-OO1", periode_cible="2017-2019", cible=200, reel=150, attendu=175,
               statut="en retard", donnees_au="2019-S1", source="002 §3.1"),
        # Une cible en pour cent face à un nombre de contrats : pas de barre.
        _ligne("I-A1", periode_cible="2019", cible=60, reel=68, statut="non renseigné",
               comparable=False, donnees_au="2019-S1"),
        _ligne("I-MDE", suivi="sans cible", statut="non renseigné"),
    ],
    columns=list(COLONNES_PROGRESSIONS),
).astype(COLONNES_PROGRESSIONS)  # fmt: skip


def _sections() -> list[objectifs.Section]:
    noeuds = objectifs.build_arbre(ARBRE, PROGRESSIONS, territoire="67", mois="2019-08")
    return objectifs.build_sections(noeuds)


def test_l_arbre_se_regroupe_en_sections_et_blocs_repliables() -> None:
    sections = _sections()
    assert [s.noeud.code if s.noeud else None for s in sections] == ["FIN", "OS1", None]
    finalite, os1, mde = sections
    assert [(b.noeud.code, [n.code for n in b.lignes]) for b in finalite.blocs] == [
        ("FIN", ["I-FIN"])
    ]
    assert [(b.noeud.code, [n.code for n in b.lignes]) for b in os1.blocs] == [
        ("OO1", ["I-OO1", "A1", "I-A1"])
    ]
    assert [(b.noeud.code, [n.code for n in b.lignes]) for b in mde.blocs] == [
        ("AXE1", ["I-MDE", "S1"])
    ]
    assert os1.blocs[0].contient("I-A1") and not os1.blocs[0].contient("I-FIN")
    assert not os1.blocs[0].contient(None)


def test_le_bloc_de_la_finalite_ne_compte_que_ses_propres_indicateurs() -> None:
    finalite, os1, _ = _sections()
    assert finalite.noeud is not None and finalite.noeud.bilan.startswith("3 indicateurs")
    assert finalite.blocs[0].bilan == "1 indicateur : 1 sans cible"
    assert os1.blocs[0].bilan == os1.blocs[0].noeud.bilan


def test_texte_de_barre_et_cible_incomparable_sans_barre() -> None:
    lignes = objectifs.build_indicateurs(ARBRE, PROGRESSIONS, territoire="67", mois="2019-08")
    lignes = lignes.set_index("code", drop=False)
    principale = lignes.loc["I-OO1"].to_dict()
    assert objectifs.texte_progression(principale) == (
        "Réalisé 150 sur une cible de 200 (2017-2019) · attendu à la date : 175 · ▼ en retard"
    )
    assert principale["progression"] == pytest.approx(0.75)
    assert pd.isna(lignes.loc["I-A1", "progression"])  # 60 % contre 68 contrats


def test_les_cibles_de_la_fiche_commencent_par_celle_du_plan() -> None:
    cibles = objectifs.cibles_fiche(PROGRESSIONS, "I-OO1", mois="2019-08")
    assert list(cibles["periode_cible"]) == ["2017-2019", "2019"]


def test_la_serie_de_la_fiche_s_arrete_a_la_date() -> None:
    serie = pd.DataFrame({"periode": ["2019-S1", "2019-S2"], "fin": ["2019-06", "2019-12"],
                          "valeur": [1.0, 2.0]})  # fmt: skip
    assert list(objectifs.serie_a_date(serie, "2019-08")["periode"]) == ["2019-S1"]


def test_tableau_des_bilans_en_francais() -> None:
    indicateurs = objectifs.build_indicateurs(ARBRE, PROGRESSIONS, territoire="67", mois="2019-08")
    tableau = objectifs.build_tableau_bilans(objectifs.build_bilans(ARBRE, indicateurs))
    assert list(tableau["Niveau"]) == ["OS", "OO", "axe MDE"]
    oo1 = tableau.set_index("Objectif").loc["OO1 · Libellé OO1"]
    assert oo1["Indicateurs suivis"] == "2"
    assert oo1["En retard"] == f"1 (50{FINE}%)"
    assert oo1["Non renseignés"] == f"1 (50{FINE}%)"


def test_les_dernieres_valeurs_d_une_carte_de_contexte() -> None:
    fins = ["2019-03", "2019-01", "2019-02", "2019-04", "2019-01"]
    series = pd.DataFrame(
        {"indicateur": ["X"] * 4 + ["Y"], "periode": fins, "fin": fins,
         "valeur": [3.0, 1.0, None, 4.0, 9.0]}
    )  # fmt: skip
    recentes = synthese.serie_recente(series, "X", mois="2019-03")
    assert list(recentes["valeur"]) == [1.0, 3.0]
    assert list(recentes["periode"]) == ["2019-01", "2019-03"]
    recentes = synthese.serie_recente(series, "X", mois="2019-12", nombre=2)
    assert list(recentes["valeur"]) == [3.0, 4.0]


def test_les_cases_du_paragraphe_4() -> None:
    assert tt.texte_case("578", "736", "736", "▼ en retard") == "578 / 736 · ▼ en retard"
    assert tt.texte_case("291", "736", "368", "▼ en retard") == (
        "291 / 736 · attendu 368 · ▼ en retard"
    )
    assert tt.texte_case("–", "75", "–", "○ non renseigné") == (
        "cible 75 · ○ non renseigné (aucune période close)"
    )
    tableau = pd.DataFrame(
        {"cible": [736.0, 75.0, 736.0], "reel": [291.0, None, 900.0],
         "reel_affiche": ["291", "–", "900"], "cible_affichee": ["736", "75", "736"],
         "attendu_affiche": ["368", "–", "736"],
         "statut_affiche": ["▼ en retard", "○ non renseigné", "▲ en avance"]}
    )  # fmt: skip
    barres = tt.build_barres(tableau)
    assert barres["progression"].iloc[0] == pytest.approx(291 / 736)
    assert pd.isna(barres["progression"].iloc[1])  # pas de barre à zéro sans réalisé
    assert barres["progression"].iloc[2] == 1.0


def test_les_territoires_dont_on_montre_les_cantons() -> None:
    parents = {"6705": "NORD", "NORD": "67"}
    tous = ["NORD", "OUEST", "EMS", "SUD"]
    assert tt.territoires_contributions("67", parents, tous) == tous
    assert tt.territoires_contributions("67", parents, ["NORD"]) == ["NORD"]
    assert tt.territoires_contributions("SUD", parents, tous) == ["SUD"]
    assert tt.territoires_contributions("6705", parents, tous) == ["NORD"]
