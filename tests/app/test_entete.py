"""L'en-tête de chaque page nomme le territoire et la période que la page montre (AppTest).

Issue 18 : « Bas-Rhin · Données au décembre 2019 » s'affichait au-dessus de « Tableau de bord
mensuel — juin 2019 · Nord ». Pour l'administrateur et l'élu du Nord, sur la vue en direct et sur
l'édition de juin 2019 : l'en-tête est comparé au titre et à la légende de la page elle-même, et
le nom du territoire est relu dans la table `territoire`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from dashboard.tableau_de_bord import editions
from data_access.droits import administrateur_local
from tests.app.aides import connexion, page

pytestmark = pytest.mark.usefixtures("environnement")
EDITION = "2019-06"


@pytest.fixture(scope="module", autouse=True)
def edition_publiee(environnement: Path) -> Iterator[None]:
    """L'édition de juin 2019, publiée comme le fait la mission de pilotage."""
    with connexion(environnement, ecriture=True) as conn:
        for retard in editions.a_commenter(conn, mois=EDITION):
            texte_ = f"Retard expliqué ({retard.code})."
            editions.commenter(conn, mois=EDITION, indicateur=retard.code,
                               territoire=retard.territoire, texte=texte_,
                               acteur=administrateur_local("pilotage"))  # fmt: skip
        editions.publier(conn, mois=EDITION, acteur=administrateur_local("pilotage"))
    st.cache_data.clear()
    yield


def _libelle(environnement: Path, code: str) -> str:
    with connexion(environnement) as conn:
        libelle = conn.execute(
            text("SELECT libelle FROM territoire WHERE code = :c"), {"c": code}
        ).scalar()
    assert libelle is not None
    return str(libelle)


def _entete(at: AppTest) -> str:
    """La ligne sous le titre de l'application : la première légende de la page."""
    assert at.title[0].value.startswith("Pilotage")
    return str(at.main.caption[0].value)


def _nom(environnement: Path, code: str) -> str:
    """Le nom du territoire tel que la barre latérale le donne."""
    libelle = _libelle(environnement, code)
    return libelle if code == "67" else f"Territoire {libelle}"


@pytest.mark.parametrize(("identifiant", "territoire"), [("admin", "67"), ("elu-nord", "NORD")])
def test_synthese_en_tete_du_territoire_et_du_mois_de_la_vue(
    environnement: Path, identifiant: str, territoire: str
) -> None:
    at = page(identifiant, "synthese", {"periode": "2019-03"})
    assert _entete(at) == f"{_nom(environnement, territoire)} · Données de mars 2019"
    legendes = [c.value for c in at.main.caption]
    assert f"{_nom(environnement, territoire)} · situation à fin mars 2019" in legendes[1]


VUES_JUIN = [{"periode": "2019-06"}, {"periode": "2019-12", "edition": EDITION}]


@pytest.mark.parametrize(("identifiant", "territoire"), [("admin", "67"), ("elu-nord", "NORD")])
@pytest.mark.parametrize("params", VUES_JUIN, ids=["direct", "edition"])
def test_tableau_de_bord_en_tete_du_tableau_affiche(
    environnement: Path, identifiant: str, territoire: str, params: dict[str, str]
) -> None:
    """En direct sur juin 2019, ou sur l'édition de juin 2019 alors que la vue est en décembre :
    l'en-tête dit juin 2019 et le territoire du tableau, comme le titre de la page."""
    at = page(identifiant, "tableau_de_bord", params)
    assert "Tableau de bord mensuel — juin 2019" in [h.value for h in at.header]
    legendes = [c.value for c in at.main.caption]
    libelle = _libelle(environnement, territoire)
    assert any(c.startswith(f"{libelle} · ") for c in legendes[1:]), legendes
    assert _entete(at) == f"{_nom(environnement, territoire)} · Données de juin 2019"
    if "edition" in params:
        assert any("publiée le" in s.value for s in at.success)


def test_tableau_de_bord_d_un_canton_en_tete_de_son_territoire(environnement: Path) -> None:
    """Un canton choisi dans la barre latérale donne le tableau de son territoire d'action."""
    at = page("admin", "tableau_de_bord", {"periode": "2019-12", "edition": EDITION,
                                           "territoire": "6705"})  # fmt: skip
    assert _entete(at) == f"{_nom(environnement, 'NORD')} · Données de juin 2019"
    assert "Tableau de bord mensuel — juin 2019" in [h.value for h in at.header]
