"""Aucun émoji sur aucune page (ticket 20) : AppTest relit tout le texte posé, barre latérale
comprise, comme l'administration (qui voit toutes les pages) et en mode comité."""

from __future__ import annotations

from typing import Any

import pytest

from tests.app.aides import page, textes
from tests.formulations import emojis

pytestmark = pytest.mark.usefixtures("environnement")

PAGES = ("synthese", "carte", "objectifs", "territoires", "moyens_resultats", "tableau_de_bord",
         "import_donnees")  # fmt: skip


def _icones(noeud: Any) -> list[str]:
    """Les icônes des alertes et des boutons (`icon=`), sous `noeud`."""
    sortie = []
    icone = getattr(getattr(noeud, "proto", None), "icon", "")
    if isinstance(icone, str) and icone:
        sortie.append(icone)
    for enfant in getattr(noeud, "children", {}).values():
        sortie.extend(_icones(enfant))
    return sortie


@pytest.mark.parametrize("fichier", PAGES)
def test_aucun_emoji_sur_la_page(fichier: str) -> None:
    at = page("admin", fichier, {"periode": "2019-06"})
    lus = [*textes(at.main), *textes(at.sidebar), *_icones(at.main), *_icones(at.sidebar)]
    assert len(lus) > 5
    assert not emojis(lus), emojis(lus)


def test_aucun_emoji_dans_les_diapositives() -> None:
    at = page("admin", "tableau_de_bord", {"mode": "comite", "periode": "2019-06"})
    vus = 1
    lus = [*textes(at.main), *_icones(at.main)]
    while not at.button(key="comite_suivante").disabled:
        at.button(key="comite_suivante").click().run()
        lus += [*textes(at.main), *_icones(at.main)]
        vus += 1
    assert vus >= 8
    assert not emojis(lus), emojis(lus)
