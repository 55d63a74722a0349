"""PDF du tableau de bord : relu avec un extracteur de texte, il dit ce qu'un lecteur y lit.

L'espace insécable des nombres (« 9 413 ») est écrite 0xA0 en WinAnsi, que Helvetica dessine comme
une espace et que pypdf rend en espace simple : `_texte` ramène les deux à l'espace simple.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader

from dashboard.exports import en_pdf
from dashboard.graphiques import tableau_de_bord as graphiques_tableau
from dashboard.tableau_de_bord.contenu import Courbe, TableauDeBord
from tests.unit import exemple_tableau as ex


def _pages(tableau: TableauDeBord) -> list[str]:
    lecteur = PdfReader(io.BytesIO(en_pdf.to_pdf(tableau)))
    return [page.extract_text() for page in lecteur.pages]


def _texte(pages: list[str]) -> str:
    """Tout le texte, espaces et retours à la ligne ramenés à une espace simple."""
    return " ".join(" ".join(pages).replace("\xa0", " ").split())


@pytest.fixture(scope="module")
def publie() -> list[str]:
    return _pages(ex.tableau())


@pytest.fixture(scope="module")
def provisoire() -> list[str]:
    return _pages(ex.provisoire())


def test_titre_mois_et_territoire_sur_chaque_page(publie: list[str]) -> None:
    for page in publie:
        assert "Tableau de bord mensuel — septembre 2018 — Bas-Rhin" in page


def test_edition_publiee_dit_quand_et_par_qui_sur_chaque_page(publie: list[str]) -> None:
    assert len(publie) >= 2
    for page in publie:
        texte = _texte([page])
        assert "Publiée le 3 octobre 2018 à 10 h 05 par pilotage" in texte
        assert "PROVISOIRE" not in texte
        assert "Données de septembre 2018" in texte


def test_vue_en_direct_marquee_provisoire_sur_chaque_page(provisoire: list[str]) -> None:
    assert len(provisoire) >= 2
    for page in provisoire:
        assert "PROVISOIRE" in page
        assert "Publiée le" not in page


def test_numeros_de_page_sur_le_total(publie: list[str]) -> None:
    total = len(publie)
    for numero, page in enumerate(publie, start=1):
        assert re.findall(r"Page \d+ / \d+", page) == [f"Page {numero} / {total}"]


def test_chiffres_a_la_francaise(publie: list[str]) -> None:
    texte = _texte(publie)
    assert "9 413" in texte  # réalisé
    assert "10 000" in texte  # cible
    assert "8 333" in texte  # attendu arrondi à l'unité, comme à l'écran
    assert "45,2 %" in texte  # taux
    assert "9413" not in texte and "8333" not in texte and "45.2" not in texte


def test_espace_des_milliers_insecable_dans_le_pdf() -> None:
    """La cellule garde son espace insécable (un nombre ne se coupe pas en fin de ligne)."""
    assert en_pdf.texte_pdf("9\u202f413") == "9\u00a0413"


def test_commentaire_de_l_indicateur_en_retard(publie: list[str]) -> None:
    texte = _texte(publie)
    alertes = texte[texte.index("Alertes") :]
    assert ex.COMMENTAIRE_RETARD in alertes
    assert "▼ en retard" in texte


def test_commentaire_manquant_signale_dans_les_alertes() -> None:
    sans = replace(ex.VOIES, commentaire="", commentaire_auteur="")
    tableau = replace(ex.tableau(), indicateurs=(ex.RETOURS, sans, ex.TAUX))
    texte = _texte(_pages(tableau))
    assert "commentaire manquant" in texte[texte.index("Alertes") :]


def test_evenement_date_de_2018_09_dans_l_edition_de_2018_09(publie: list[str]) -> None:
    texte = _texte(publie)
    evenements = texte[texte.index("Événements du mois") :]
    assert ex.CONVENTION in evenements
    assert "Nouvelle convention" in evenements
    assert "septembre 2018 — Nouvelle convention : " + ex.CONVENTION in texte  # sous la courbe


def test_sections_dans_l_ordre_et_objectifs_par_leur_intitule(publie: list[str]) -> None:
    texte = _texte(publie)
    titres = [
        "Synthèse",
        "Évolution sur 24 mois",
        "Territoires d'action (§4)",
        "Changements de statut",
        "Alertes",
        "Indicateurs par objectif stratégique",
        "OS1 — Favoriser l'accès à l'emploi durable",
        "OS2 — Faire une place à chacun",
        "Événements du mois",
    ]
    positions = [texte.index(t) for t in titres]
    assert positions == sorted(positions)


def test_section_vide_le_dit() -> None:
    calme = replace(ex.tableau(), indicateurs=(ex.RETOURS,), evenements=(), courbes=())
    texte = _texte(_pages(calme))
    assert "Aucun indicateur en retard ce mois-ci." in texte
    assert "Aucun événement daté ce mois-ci." in texte
    assert "Aucun changement de statut" in texte


def test_revision_signalee() -> None:
    texte = _texte(_pages(replace(ex.provisoire(), revises=("OO2-S.1",))))
    assert "révisé depuis la publication" in texte


def test_deux_exports_identiques_et_date_de_publication() -> None:
    octets = en_pdf.to_pdf(ex.tableau())
    assert octets == en_pdf.to_pdf(ex.tableau())
    infos = PdfReader(io.BytesIO(octets)).metadata
    assert infos is not None
    assert infos["/CreationDate"].startswith("D:20181003080500")
    assert infos.title == "Tableau de bord mensuel — septembre 2018 — Bas-Rhin"


@pytest.mark.parametrize(
    ("brut", "attendu"),
    [
        ("12\u202f345", "12\u00a0345"),
        ("\u22125", "-5"),
        ("œuvre 15 € « x » — y", "œuvre 15 € « x » — y"),
        ("≤ 10", "<= 10"),
        ("✓", "?"),
    ],
)
def test_texte_ramene_a_winansi(brut: str, attendu: str) -> None:
    assert en_pdf.texte_pdf(brut) == attendu


def test_caracteres_winansi_lus_tels_quels() -> None:
    tableau = replace(ex.tableau(), libelle_territoire="Cœur d'Alsace — 5 € « test »")
    assert "Cœur d'Alsace — 5 € « test »" in _texte(_pages(tableau))


def test_changement_de_definition_coupe_la_courbe() -> None:
    controles = ex.tableau().courbes[1]
    troncons = en_pdf._troncons(controles, graphiques_tableau.build_trace(controles, None, "flux"))
    # 2017-05 manque, et la définition change en 2018-03 : trois morceaux, aucun ne traverse
    assert len(troncons) == 3
    rupture = 2018 * 12 + 2
    for morceau in troncons:
        rangs = [r for r, _ in morceau]
        assert all(r < rupture for r in rangs) or all(r >= rupture for r in rangs)


def test_evenements_hors_de_la_courbe_non_traces() -> None:
    courbe = ex.tableau().courbes[0]
    tardif = replace(ex.EV_CONVENTION, mois="2019-02")

    def traces(c: Courbe) -> list[str]:
        return list(graphiques_tableau.build_trace(c, ex.RETOURS, "flux").evenements["mois"])

    assert traces(replace(courbe, evenements=(tardif,))) == []
    assert traces(courbe) == [ex.EV_CONVENTION.mois]
