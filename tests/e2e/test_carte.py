"""La carte dans Chromium, hors ligne : 18 zones, changement d'indicateur, fiche d'une zone."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from dashboard.carte.config import read_libelles_zones
from tests.e2e.conftest import Requetes, Serveur, attendre, ouvrir_connecte

IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _cliquer_haguenau(page: Page) -> None:
    """Clique sur Haguenau ; la carte peut être remontée par Streamlit juste après un changement
    d'indicateur (son cadre est alors remplacé) : on recommence sur le nouveau cadre."""
    for _ in range(5):
        try:
            iframe = page.locator(IFRAME)
            expect(iframe).to_have_count(1)
            expect(page.frame_locator(IFRAME).locator("path.leaflet-interactive")).to_have_count(18)
            iframe.scroll_into_view_if_needed(timeout=5_000)
            cadre = iframe.element_handle(timeout=5_000).content_frame()
            assert cadre is not None
            point = cadre.evaluate("() => window.map.latLngToContainerPoint([48.8156, 7.7906])")
            boite = iframe.bounding_box(timeout=5_000)
            assert boite is not None
            page.mouse.click(boite["x"] + point["x"], boite["y"] + point["y"])
            expect(page).to_have_url(re.compile(r"canton=6705"), timeout=8_000)
            return
        except (PlaywrightError, AssertionError):
            page.wait_for_timeout(500)
    raise AssertionError(f"le clic sur Haguenau n'a pas ouvert sa fiche : {page.url}")


def test_la_carte_se_dessine_sans_internet_et_ouvre_la_fiche_d_une_zone(
    page: Page, serveur: Serveur, requetes: Requetes
) -> None:
    ouvrir_connecte(page, serveur, "/carte?indicateur=OO2-S.1&periode=2019-06", "admin")
    zones = page.frame_locator(IFRAME).locator("path.leaflet-interactive")
    expect(zones).to_have_count(18)
    expect(page.get_by_text("Période : 2e trimestre 2019")).to_be_visible()
    assert requetes.externes == [], f"requêtes vers l'extérieur : {requetes.externes}"

    indicateur = page.get_by_role("combobox", name="Indicateur")
    indicateur.click()
    indicateur.fill("FIN-2.1")
    page.keyboard.press("Enter")
    attendre(page)
    expect(page.get_by_text("Période : juin 2019")).to_be_visible()
    expect(page.get_by_text("FIN-2.1 · Evolution du nombre d'allocataires")).to_be_visible()
    expect(page.frame_locator(IFRAME).locator("path.leaflet-interactive")).to_have_count(18)

    # Clic à la souris sur la ville de Haguenau (canton 6705), placée par la carte elle-même.
    _cliquer_haguenau(page)
    attendre(page)
    expect(page).to_have_url(re.compile(r"canton=6705"))
    nom = read_libelles_zones()["6705"]
    expect(page.get_by_role("heading", name=nom)).to_be_visible()
    expect(page.get_by_text("Indicateurs du plan pour cette zone")).to_be_visible()
    zone = parse_qs(urlparse(page.url).query)["canton"][0]

    page.reload()
    attendre(page)
    expect(page.get_by_role("heading", name=nom)).to_be_visible()
    assert f"canton={zone}" in page.url

    # La même fiche se choisit aussi au clavier, dans la liste à côté de la carte.
    liste = page.get_by_role("combobox", name="Fiche de la zone")
    liste.click()
    liste.fill("Sélestat")
    page.keyboard.press("Enter")
    attendre(page)
    expect(page).to_have_url(re.compile(r"canton=6716"))
    expect(page.get_by_role("heading", name="Sélestat")).to_be_visible()
    assert requetes.externes == [], f"requêtes vers l'extérieur : {requetes.externes}"
