"""Une autre cible dit sa nature avec son statut, comme la principale (ticket 18, point 4).

La deuxième cible d'un indicateur (OO2-S.1 : 11 199 à côté de 10 000) est aujourd'hui une cible
du plan ; si une autre cible était un plafond ou un lien inféré, son statut « repère » devait dire
lequel, à l'écran (texte des sources), dans le CSV et le classeur, comme celui de la principale.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from dashboard.exports import fichiers
from dashboard.tableau_de_bord import textes
from dashboard.tableau_de_bord.contenu import AutreCible
from tests.unit import exemple_tableau

PLAFOND = AutreCible(
    cible=200000.0, periode_cible="2018", libelle_cible="Enveloppe ADE", attendu=None,
    statut="repère", source_cible="002_08888835fc8aebb3.txt §5.2.18", nature_cible="plafond",
)  # fmt: skip


def _avec_plafond():  # type: ignore[no-untyped-def]
    tableau = exemple_tableau.tableau()
    premiere = replace(tableau.indicateurs[0], autres_cibles=(PLAFOND,))
    return replace(tableau, indicateurs=(premiere, *tableau.indicateurs[1:])), premiere


def test_le_texte_de_l_autre_cible_dit_repere_plafond() -> None:
    texte = textes.texte_autre_cible(PLAFOND, "€", detail=True)
    assert texte.endswith(", repère (plafond)"), texte


def test_le_csv_dit_le_statut_de_l_autre_cible_avec_sa_nature() -> None:
    tableau, premiere = _avec_plafond()
    corps = fichiers.exporter(tableau, "csv").decode("utf-8-sig")
    lignes = list(csv.DictReader(io.StringIO(corps), delimiter=";"))
    (ligne,) = [r for r in lignes if r["Code"] == premiere.code and r["Section"] == "Indicateurs"]
    assert ligne["Autre cible : statut"] == "repère (plafond)"


def test_une_edition_d_avant_la_nature_relit_son_autre_cible_sans_nature() -> None:
    """Les éditions publiées avant ce champ le relisent vide : statut écrit tel quel."""
    ancienne = replace(PLAFOND, nature_cible="")
    assert textes.texte_autre_cible(ancienne, "€", detail=True).endswith(", repère")
