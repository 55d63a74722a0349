"""Page « Synthèse » (AppTest) : les chiffres d'une carte face à la base de démonstration."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard import formats
from data_access import progression, trajectoire
from tests.app.aides import bloc, connexion, entier, page, textes

pytestmark = pytest.mark.usefixtures("environnement")


def _progressions(environnement: Path, territoire: str, mois: str, code: str) -> pd.DataFrame:
    with connexion(environnement) as conn:
        lignes = progression.read_progressions(
            conn, indicateurs=[code], territoire=territoire, mois=mois
        )
    return lignes[lignes["suivi"] == "cible"]


def _metriques(carte) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(m.label, m.value) for m in carte.get("metric")]


def test_la_carte_des_retours_a_l_emploi_montre_les_deux_cibles(environnement: Path) -> None:
    at = page("pilotage", "synthese", {"periode": "2019-06", "territoire": "67"})
    carte = bloc(at.main, "carte_OO2-S-1")
    assert carte is not None
    plan = _progressions(environnement, "67", "2019-06", "OO2-S.1")
    plan = plan[plan["periode_cible"] == "2017-2019"].sort_values("cible")
    plan31, plan4 = plan.iloc[0], plan.iloc[1]
    assert "§3.1" in plan31["source"] and "§4" in plan4["source"]
    assert _metriques(carte) == [
        ("Réalisé", formats.nombre(plan31["reel"])),
        ("Cible 2017-2019", formats.nombre(plan31["cible"])),
        ("Attendu à la date", entier(plan31["attendu"])),
        ("Cible 2017-2019", formats.nombre(plan4["cible"])),
        ("Attendu à la date", entier(plan4["attendu"])),
    ]
    lus = " ".join(textes(carte))
    assert f"Statut\n#### ▲ {plan31['statut']}" in textes(carte)
    assert f"Statut\n#### ● {plan4['statut']}" in textes(carte)
    assert plan31["statut"] == "en avance" and plan4["statut"] == "dans la trajectoire"
    # L'écart 10 000 / 11 199 est expliqué en une ligne, et le modèle de l'attendu est dit.
    assert "10 000" in lus and "11 199" in lus and "aucun n'est recalculé" in lus
    assert trajectoire.phrase_modele("flux") in lus
    barres = carte.get("progress")
    assert [b.proto.value for b in barres] == [
        int(plan31["reel"] / plan31["cible"] * 100),
        int(plan4["reel"] / plan4["cible"] * 100),
    ]


def test_la_carte_donne_evolution_periode_et_lien_vers_la_fiche(environnement: Path) -> None:
    at = page("pilotage", "synthese", {"periode": "2019-06", "territoire": "67"})
    carte = bloc(at.main, "carte_OO2-S-1")
    with connexion(environnement) as conn:
        ligne = progression.read_progressions(
            conn, indicateurs=["OO2-S.1"], territoire="67", mois="2019-06"
        ).iloc[0]
    lus = " ".join(textes(carte))
    assert ligne["derniere_periode"] == "2019-T2"  # OO2-S.1 est trimestriel
    assert f"+{formats.nombre(ligne['derniere_valeur'])} au cours du 2e trimestre 2019" in lus
    assert f"Dernière période connue : **{formats.periode(ligne['derniere_periode'])}**" in lus
    lien = carte.get("page_link")[0].proto
    assert lien.page == "objectifs"
    assert "fiche=OO2-S.1" in lien.query_string and "periode=2019-06" in lien.query_string


def test_au_nord_la_carte_est_en_retard_sur_sa_cible_du_paragraphe_4(environnement: Path) -> None:
    at = page("pilotage", "synthese", {"periode": "2019-06", "territoire": "NORD"})
    carte = bloc(at.main, "carte_OO2-S-1")
    plan = _progressions(environnement, "NORD", "2019-06", "OO2-S.1")
    plan = plan[plan["periode_cible"] == "2017-2019"].iloc[0]
    assert plan["statut"] == "en retard"
    metriques = dict(_metriques(carte))
    assert metriques["Réalisé"] == formats.nombre(plan["reel"])
    assert metriques["Cible 2017-2019"] == formats.nombre(plan["cible"])
    assert metriques["Attendu à la date"] == entier(plan["attendu"])
    assert "Statut\n#### ▼ en retard" in textes(carte)


def test_une_carte_annuelle_est_jugee_sur_la_cible_de_l_annee(environnement: Path) -> None:
    at = page("pilotage", "synthese", {"periode": "2019-06", "territoire": "67"})
    carte = bloc(at.main, "carte_OO1-S-1")
    cible = _progressions(environnement, "67", "2019-06", "OO1-S.1")
    cible = cible[cible["periode_cible"] == "2019"].iloc[0]
    assert dict(_metriques(carte)) == {
        "Réalisé": formats.nombre(cible["reel"]),
        "Cible 2019": formats.nombre(cible["cible"]),
        "Attendu à la date": entier(cible["attendu"]),
    }
    assert cible["donnees_au"] == "2019-T2"  # OO1-S.1 est trimestriel
    assert "niveau du 2e trimestre 2019" in textes(carte)
    assert trajectoire.phrase_modele("stock") in textes(carte)


def test_les_cartes_de_contexte_sans_cible(environnement: Path) -> None:
    at = page("pilotage", "synthese", {"periode": "2019-06", "territoire": "67"})
    with connexion(environnement) as conn:
        ligne = progression.read_progressions(
            conn, indicateurs=["FIN-2.1"], territoire="67", mois="2019-06"
        ).iloc[0]
    allocataires = bloc(at.main, "carte_FIN-2-1")
    assert _metriques(allocataires) == [("Valeur", formats.nombre(ligne["derniere_valeur"]))]
    ecart = ligne["derniere_valeur"] - ligne["valeur_precedente"]
    signe = "+" if ecart > 0 else "\u2212"
    assert f"{signe}{formats.nombre(abs(ecart))} depuis" in " ".join(textes(allocataires))
    sortie = bloc(at.main, "carte_SYN-1")
    assert _metriques(sortie) == [("Valeur", "non renseigné")]
    assert any("○ non renseigné" in t for t in textes(sortie))


def test_un_elu_du_nord_voit_les_cartes_de_son_territoire(environnement: Path) -> None:
    at = page("elu-nord", "synthese", {"periode": "2019-06"})
    assert at.selectbox(key="vue_territoire").value == "NORD"
    plan = _progressions(environnement, "NORD", "2019-06", "OO2-S.1")
    plan = plan[plan["periode_cible"] == "2017-2019"].iloc[0]
    carte = bloc(at.main, "carte_OO2-S-1")
    assert dict(_metriques(carte))["Réalisé"] == formats.nombre(plan["reel"])
