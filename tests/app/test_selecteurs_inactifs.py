"""Un sélecteur de la barre latérale sans effet sur la page est grisé et dit pourquoi
(ticket 20) ; ceux qui agissent restent actifs."""

from __future__ import annotations

import pytest

from tests.app.aides import page

pytestmark = pytest.mark.usefixtures("environnement")

ACTIFS = {
    "synthese": {"Période", "Territoire"},
    "carte": {"Période", "Indicateur"},
    "objectifs": {"Période", "Territoire"},
    "territoires": {"Période", "Territoire"},
    "moyens_resultats": {"Territoire"},
    "tableau_de_bord": {"Période", "Territoire"},
    "import_donnees": set(),
}


@pytest.mark.parametrize(("fichier", "actifs"), ACTIFS.items())
def test_seuls_les_selecteurs_utiles_sont_actifs(fichier: str, actifs: set[str]) -> None:
    at = page("admin", fichier, {"periode": "2019-06"})
    selecteurs = {s.label: s for s in at.sidebar.selectbox}
    assert set(selecteurs) == {"Période", "Territoire", "Indicateur"}
    for libelle, selecteur in selecteurs.items():
        assert selecteur.disabled == (libelle not in actifs), (fichier, libelle)
        if selecteur.disabled:
            assert selecteur.help.startswith("Sans effet sur cette page"), selecteur.help
