"""L'onglet du tableau de bord vit dans l'URL (ticket 20) : `onglet=alertes` rouvre les
alertes ; une valeur inconnue donne un avis et le premier onglet, jamais une erreur."""

from __future__ import annotations

import pytest

from dashboard import view_state
from dashboard.vues.tableau_de_bord import ONGLETS
from tests.app.aides import page

pytestmark = pytest.mark.usefixtures("environnement")


def test_chaque_onglet_a_une_adresse_lisible_et_unique() -> None:
    adresses = [view_state.adresse_onglet(t) for t in ONGLETS]
    assert adresses == ["synthese", "territoires", "changements-de-statut", "alertes",
                        "indicateurs", "evenements-du-mois"]  # fmt: skip


@pytest.mark.parametrize("onglet", ["alertes", "evenements-du-mois"])
def test_l_onglet_de_l_url_est_celui_ouvert(onglet: str) -> None:
    at = page("admin", "tableau_de_bord", {"periode": "2019-06", "onglet": onglet})
    titre = dict(zip([view_state.adresse_onglet(t) for t in ONGLETS], ONGLETS, strict=True))
    assert at.session_state["tdb_onglet"] == titre[onglet]
    assert at.query_params["onglet"] == onglet


def test_un_onglet_inconnu_donne_un_avis_et_la_synthese() -> None:
    at = page("admin", "tableau_de_bord", {"periode": "2019-06", "onglet": "<script>"})
    assert at.session_state["tdb_onglet"] == "Synthèse"
    assert any("inconnue pour « onglet »" in w.value for w in at.warning)
