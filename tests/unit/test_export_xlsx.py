"""Classeur XLSX relu avec openpyxl : des nombres, leurs formats, aucune formule."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.exports import en_xlsx, tables
from tests.unit import exemple_tableau as ex

FEUILLES = ["Édition", "Synthèse", "Territoires", "Changements de statut", "Alertes",
            "Indicateurs", "Événements"]  # fmt: skip


def _classeur(publie: bool = True) -> Workbook:
    return load_workbook(io.BytesIO(en_xlsx.to_xlsx(ex.tableau(publie))))


@pytest.fixture(scope="module")
def classeur() -> Workbook:
    return _classeur()


def _ligne(feuille: Worksheet, code: str) -> dict[str, Any]:
    """La ligne d'un indicateur, par nom de colonne, en cellules openpyxl."""
    entetes = [c.value for c in feuille[1]]
    for rang in feuille.iter_rows(min_row=2):
        if rang[0].value == code:
            return dict(zip(entetes, rang, strict=True))
    raise AssertionError(f"{code} absent de la feuille {feuille.title}")


def test_une_feuille_par_section_apres_l_edition(classeur: Workbook) -> None:
    assert classeur.sheetnames == FEUILLES
    for nom in classeur.sheetnames:
        assert len(nom) <= 31 and not re.search(r"[\[\]:*?/\\]", nom)


def test_feuille_edition_mois_territoire_etat_et_date_des_donnees(classeur: Workbook) -> None:
    lignes = dict(classeur["Édition"].iter_rows(min_row=2, values_only=True))
    assert lignes["Tableau de bord mensuel"] == "septembre 2018"
    assert lignes["Mois"] == "2018-09"
    assert lignes["Territoire"] == "Bas-Rhin (67)"
    assert lignes["Édition"] == "publiée le 3 octobre 2018 à 10 h 05 par pilotage"
    assert lignes["Période des données"] == "septembre 2018"


def test_vue_en_direct_provisoire() -> None:
    lignes = dict(_classeur(publie=False)["Édition"].iter_rows(min_row=2, values_only=True))
    assert lignes["Édition"] == "provisoire"


def test_chiffres_en_cellules_numeriques_au_format_francais(classeur: Workbook) -> None:
    ligne = _ligne(classeur["Synthèse"], "OO2-S.1")
    for colonne, valeur in (("Réalisé", 9413), ("Cible", 10000), ("Attendu à date", 8333)):
        cellule = ligne[colonne]
        assert cellule.data_type == "n"
        assert cellule.value == valeur
        assert cellule.number_format == "#,##0"


def test_taux_en_pour_cent_sans_multiplier_par_cent(classeur: Workbook) -> None:
    cellule = _ligne(classeur["Indicateurs"], "FIN-1.1")["Réalisé"]
    assert cellule.value == pytest.approx(45.2)
    assert cellule.number_format == en_xlsx.FORMAT_POURCENT
    # un « % » hors guillemets ferait afficher 4 520 %
    assert "%" not in re.sub(r'"[^"]*"', "", en_xlsx.FORMAT_POURCENT)


def test_territoires_en_nombres(classeur: Workbook) -> None:
    feuille = classeur["Territoires"]
    entetes = [c.value for c in feuille[1]]
    nord = dict(zip(entetes, next(feuille.iter_rows(min_row=2, values_only=True)), strict=True))
    assert (nord["Territoire"], nord["Réalisé"], nord["Cible"]) == ("Nord", 291, 736)


def test_valeur_manquante_cellule_vide(classeur: Workbook) -> None:
    assert _ligne(classeur["Indicateurs"], "FIN-1.1")["Cible"].value is None


def test_textes_neutralises_et_aucune_formule(classeur: Workbook) -> None:
    commentaire = _ligne(classeur["Indicateurs"], "FIN-1.1")["Commentaire"]
    assert commentaire.value == "'" + ex.FORMULE + " — pilotage"
    evenements = [r[2] for r in classeur["Événements"].iter_rows(min_row=2, values_only=True)]
    assert "'" + ex.EVENEMENT_SIGNE in evenements
    for feuille in classeur:
        for rang in feuille.iter_rows():
            assert all(c.data_type != "f" for c in rang)


def test_commentaire_de_l_alerte(classeur: Workbook) -> None:
    ligne = _ligne(classeur["Alertes"], "OO3-S.1")
    assert ligne["Commentaire"].value == f"{ex.COMMENTAIRE_RETARD} — pilotage"
    assert ligne["Statut"].value == "en retard"


def test_en_tete_gras_volets_figes_largeurs(classeur: Workbook) -> None:
    feuille = classeur["Indicateurs"]
    assert all(c.font.bold for c in feuille[1])
    assert feuille.freeze_panes == "B2"
    assert feuille.column_dimensions["B"].width > 30  # « Indicateur » : libellés longs
    assert feuille.column_dimensions["A"].width < 15


def test_revision_signalee() -> None:
    octets = en_xlsx.to_xlsx(replace(ex.provisoire(), revises=("OO2-S.1",)))
    feuille = load_workbook(io.BytesIO(octets))["Synthèse"]
    assert _ligne(feuille, "OO2-S.1")["Révision"].value == tables.REVISE
    assert _ligne(feuille, "OO3-S.1")["Révision"].value is None


@pytest.mark.parametrize(
    ("valeur", "unite", "attendu"),
    [
        (12345.0, "personnes", "#,##0"),
        (1.5, "personnes", "#,##0.0"),
        (15_000_000.0, "€", en_xlsx.FORMAT_EUROS),
        (4.45, "ETP", en_xlsx.FORMAT_ETP),
    ],
)
def test_format_selon_l_unite(valeur: float, unite: str, attendu: str) -> None:
    assert en_xlsx.format_nombre(valeur, unite) == attendu


def test_nom_de_feuille_accepte_par_excel() -> None:
    nom = en_xlsx.nom_feuille("Indicateurs [OS1] : suivi/écarts ? très long intitulé")
    assert len(nom) <= 31 and not re.search(r"[\[\]:*?/\\]", nom)
    assert en_xlsx.nom_feuille("Alertes", ["alertes"]) == "Alertes (2)"
