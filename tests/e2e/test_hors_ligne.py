"""Sans internet : aucune page ne demande quoi que ce soit hors de la machine."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Requetes, Serveur, attendre, se_connecter


def test_aucune_requete_hors_de_la_machine_sur_toutes_les_pages(
    page: Page, serveur: Serveur, requetes: Requetes
) -> None:
    page.goto(serveur.url)
    attendre(page)
    se_connecter(page, "pilotage", "demo-pilotage-67")
    liens = page.locator('[data-testid="stSidebarNav"] a')
    expect(liens).to_have_count(7)
    for rang in range(7):
        liens.nth(rang).click()
        attendre(page)
        expect(page.get_by_text("Données de décembre 2019").first).to_be_visible()
    assert len(requetes.toutes) > 10
    assert requetes.externes == [], f"requêtes vers l'extérieur : {requetes.externes}"
