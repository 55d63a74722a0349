"""Arbre des objectifs et bilans par OO et par OS, sur un petit plan fait à la main."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from dashboard.modeles import objectifs
from data_access.plan import COLONNES_ARBRE
from data_access.progression import COLONNES_PROGRESSIONS

FINE = "\u202f"


def _noeud(code: str, parent: str | None, type_: str, niveau: str, profondeur: int,
           **champs: Any) -> dict[str, Any]:  # fmt: skip
    ligne: dict[str, Any] = dict.fromkeys(COLONNES_ARBRE)
    ligne.update(
        code=code, parent=parent, type=type_, niveau=niveau, libelle=f"Libellé {code}", rang=1,
        profondeur=profondeur, ordre=0, plan="PDIE-2017-2019", source="002 §7",
    )  # fmt: skip
    ligne.update(champs)
    return ligne


def _indicateur(code: str, parent: str, profondeur: int, **champs: Any) -> dict[str, Any]:
    valeurs = {"nature": "flux", "unite": "contrats", "periodicite": "semestrielle",
               "polarite": "hausse", "echelle": "canton", **champs}  # fmt: skip
    return _noeud(code, parent, "indicateur", "indicateur", profondeur, **valeurs)


ARBRE = pd.DataFrame(
    [
        _noeud("OS1", None, "objectif", "os", 0),
        _noeud("OO1", "OS1", "objectif", "oo", 1),
        _indicateur("I-RETARD", "OO1", 2),
        _noeud("A1", "OO1", "action", "action", 2),
        _indicateur("I-OK", "A1", 3),
        _indicateur("I-SANS", "A1", 3, nature="stock"),
        _indicateur("I-JALON", "A1", 3, nature="jalon", periodicite=None, echelle="departement"),
        _indicateur("I-VIDE", "A1", 3),
        _noeud("OO2", "OS1", "objectif", "oo", 1),
        _indicateur("I-DEP", "OO2", 2, echelle="departement"),
    ],
    columns=list(COLONNES_ARBRE),
).astype(COLONNES_ARBRE)


def _ligne(indicateur: str, **champs: Any) -> dict[str, Any]:
    ligne: dict[str, Any] = dict.fromkeys(COLONNES_PROGRESSIONS)
    ligne.update(indicateur=indicateur, territoire="NORD", en_cours=False, derive=False,
                 comparable=True, suivi="cible", nature="flux", unite="contrats",
                 polarite="hausse", echelle="canton")  # fmt: skip
    ligne.update(champs)
    return ligne


PROGRESSIONS = pd.DataFrame(
    [
        _ligne("I-RETARD", periode_cible="2017-2019", cible=2208, reel=1478, attendu=1840,
               statut="en retard", en_cours=True, donnees_au="2019-T2", tendance="en baisse",
               source="002 §4"),
        _ligne("I-RETARD", periode_cible="2019", cible=736, reel=300, attendu=368,
               statut="en retard", en_cours=True, donnees_au="2019-T2"),
        # Annuel vu en août 2019 : 2019 pas encore mesurable, 2018 l'est.
        _ligne("I-OK", periode_cible="2018", cible=75, reel=73, attendu=75,
               statut="dans la trajectoire", donnees_au="2018"),
        _ligne("I-OK", periode_cible="2019", cible=75, reel=None, attendu=None,
               statut="non renseigné", en_cours=True),
        _ligne("I-SANS", suivi="sans cible", nature="stock", reel=29, donnees_au="2019-S1",
               derniere_valeur=29, tendance="stable"),
        _ligne("I-JALON", suivi="jalon", nature="jalon", statut="dans la trajectoire",
               realise=True, donnees_au="2018", echelle="departement"),
        _ligne("I-VIDE", suivi="sans cible", statut="non renseigné"),
        _ligne("I-DEP", suivi="sans cible", reel=12, donnees_au="2019-S1",
               echelle="departement"),
    ],
    columns=list(COLONNES_PROGRESSIONS),
).astype(COLONNES_PROGRESSIONS)  # fmt: skip


def _indicateurs(territoire: str) -> pd.DataFrame:
    return objectifs.build_indicateurs(ARBRE, PROGRESSIONS, territoire=territoire,
                                       mois="2019-08").set_index("code")  # fmt: skip


def test_un_indicateur_cible_montre_realise_cible_attendu_statut_et_periode() -> None:
    ligne = _indicateurs("67").loc["I-RETARD"]
    assert (ligne["reel"], ligne["cible"], ligne["attendu"]) == (
        f"1{FINE}478", f"2{FINE}208", f"1{FINE}840",
    )  # fmt: skip
    assert ligne["periode_cible"] == "2017-2019"  # la cible du plan, pas celle de l'année
    assert ligne["statut_affiche"] == "▼ en retard"
    assert ligne["donnees_au"] == "2e trimestre 2019"
    assert ligne["progression"] == pytest.approx(1478 / 2208)
    assert "prorata" in ligne["explication"]


def test_un_annuel_en_cours_d_annee_est_juge_sur_l_annee_close() -> None:
    ligne = _indicateurs("67").loc["I-OK"]
    assert (ligne["periode_cible"], ligne["donnees_au"]) == ("2018", "année 2018")
    assert ligne["statut"] == "dans la trajectoire"


def test_sans_cible_jalon_et_sans_donnee() -> None:
    lignes = _indicateurs("67")
    assert (lignes.loc["I-SANS", "cible"], lignes.loc["I-SANS", "statut"]) == ("aucune cible", "")
    assert lignes.loc["I-SANS", "tendance"] == "stable"
    assert lignes.loc["I-JALON", "reel"] == "réalisé"
    assert lignes.loc["I-JALON", "periodicite"] == "non précisée par le plan"
    assert lignes.loc["I-VIDE", "reel"] == "non renseigné"
    assert lignes.loc["I-VIDE", "statut_affiche"] == "○ non renseigné"


def test_bilans_par_oo_et_par_os_au_departement() -> None:
    bilans = objectifs.build_bilans(ARBRE, _indicateurs("67").reset_index()).set_index("code")
    oo1 = bilans.loc["OO1"]
    assert oo1["nb_indicateurs"] == 5
    assert (oo1["nb_sur_la_trajectoire"], oo1["nb_en_retard"], oo1["nb_non_renseigné"]) == (2, 1, 1)
    assert oo1["part_sur_la_trajectoire"] == pytest.approx(2 / 5)
    assert oo1["part_en_retard"] == pytest.approx(1 / 5)
    assert oo1["part_non_renseigne"] == pytest.approx(1 / 5)
    assert oo1["texte"] == (
        "5 indicateurs : 2 sur la trajectoire, 1 en retard, 1 non renseigné, 1 sans cible"
    )
    assert bilans.loc["OS1", "nb_indicateurs"] == 6
    assert bilans.loc["A1", "nb_indicateurs"] == 4


def test_au_territoire_un_indicateur_departemental_n_est_pas_compte() -> None:
    lignes = _indicateurs("NORD")
    assert lignes.loc["I-DEP", "categorie"] == "non décliné"
    assert lignes.loc["I-DEP", "reel"] == "suivi au niveau du département seulement"
    assert lignes.loc["I-JALON", "categorie"] == "non décliné"
    bilans = objectifs.build_bilans(ARBRE, lignes.reset_index()).set_index("code")
    assert (bilans.loc["OO2", "nb_indicateurs"], bilans.loc["OO2", "nb_non_décliné"]) == (0, 1)
    assert pd.isna(bilans.loc["OO2", "part_en_retard"])
    assert bilans.loc["OO2", "texte"] == "aucun indicateur suivi à ce niveau"
    assert bilans.loc["OS1", "nb_indicateurs"] == 4


def test_l_arbre_a_dessiner_suit_l_ordre_et_porte_bilans_et_indicateurs() -> None:
    noeuds = objectifs.build_arbre(ARBRE, PROGRESSIONS, territoire="67", mois="2019-08")
    assert [n.code for n in noeuds] == list(ARBRE["code"])
    assert noeuds[1].bilan.startswith("5 indicateurs")
    assert noeuds[2].indicateur is not None and noeuds[2].indicateur["statut"] == "en retard"


def test_la_fiche_d_un_indicateur_ne_devine_rien() -> None:
    fiche = objectifs.build_fiche(ARBRE.set_index("code", drop=False).loc["I-JALON"])
    assert fiche.definition == "Non définie par les documents."
    assert fiche.nature == "jalon : réalisé ou non réalisé"
    assert fiche.polarite == "plus est mieux" and fiche.echelle == "département seulement"
    assert fiche.periodicite == "non précisée par le plan"


def test_le_tableau_des_valeurs_en_francais() -> None:
    serie = pd.DataFrame(
        {"periode": ["2019-S1", "2019-S2"], "debut": ["2019-01", "2019-07"],
         "valeur": [1234.0, None], "statut": ["definitif", "provisoire"]}
    )  # fmt: skip
    tableau = objectifs.build_tableau_valeurs(serie, "contrats")
    assert list(tableau["Période"]) == ["2e semestre 2019", "1er semestre 2019"]
    assert list(tableau["Valeur"]) == ["–", f"1{FINE}234"]
    assert list(tableau["Statut de la donnée"]) == ["provisoire", "définitif"]


def test_une_cible_avec_depart_s_ecrit_100_vers_200_et_peut_etre_a_venir() -> None:
    arbre = pd.DataFrame(
        [_noeud("MDE-AXE1", None, "objectif", "axe", 0),
         _indicateur("MDE-I2", "MDE-AXE1", 1, nature="stock", unite="entreprises",
                     periodicite=None, echelle="territoire")],
        columns=list(COLONNES_ARBRE),
    ).astype(COLONNES_ARBRE)  # fmt: skip
    ligne = _ligne("MDE-I2", territoire="EMS", periode_cible="2020", cible=200,
                   valeur_reference=100, statut="non renseigné", nature="stock",
                   unite="entreprises", echelle="territoire")  # fmt: skip
    progressions = pd.DataFrame([ligne], columns=list(COLONNES_PROGRESSIONS)).astype(
        COLONNES_PROGRESSIONS
    )
    avant = objectifs.build_indicateurs(arbre, progressions, territoire="EMS", mois="2019-12")
    assert avant.loc[0, "cible"] == "100 \u2192 200"
    assert avant.loc[0, "explication"] == "Cible de 2020 : pas encore commencée à cette date."
    assert avant.loc[0, "statut_affiche"] == "○ non renseigné"
    pendant = objectifs.build_indicateurs(arbre, progressions, territoire="EMS", mois="2020-06")
    assert "situation de départ" in pendant.loc[0, "explication"]
