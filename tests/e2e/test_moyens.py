"""« Moyens et résultats » dans Chromium, hors ligne : graphiques dessinés, tableaux, et le
sélecteur d'année qui change les chiffres et l'URL."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import create_engine

from dashboard import formats
from data_access import moyens
from tests.e2e.conftest import Requetes, Serveur, attendre, ouvrir_connecte

GRAPHIQUE = '[data-testid="stVegaLiteChart"]'
TABLEAU = '[data-testid="stDataFrame"]'
PHRASE = '[data-testid="stMarkdownContainer"] li'  # un ratio en phrase, ses deux termes compris


def _placements_par_conseiller(serveur: Serveur, annee: int) -> str:
    """Le ratio attendu, relu dans la base du serveur (19 conseillers emploi, 002 §1.2)."""
    eng = create_engine(f"sqlite:///{serveur.dossier / 'pilotage.db'}")
    with eng.connect() as conn:
        cadre = moyens.read_resultats_annuels(
            conn, indicateurs=["A2.1"], territoire="67", annees=[annee]
        )
    eng.dispose()
    return f"{formats.nombre(float(cadre['valeur'].iloc[0]) / 19, 1)} placements par conseiller"


def _choisir_annee(page: Page, annee: str) -> None:
    choix = page.get_by_role("combobox", name="Année")
    choix.click()
    choix.fill(annee)
    page.keyboard.press("Enter")
    attendre(page)


def test_graphiques_tableaux_et_annee_dans_l_url(
    page: Page, serveur: Serveur, requetes: Requetes
) -> None:
    ouvrir_connecte(page, serveur, "/moyens-resultats?annee=2020", "admin")
    expect(page.get_by_role("heading", name="Moyens et résultats")).to_be_visible()
    graphiques = page.locator(GRAPHIQUE)
    expect(graphiques).to_have_count(2)  # ETP par stratégie ; effectif contre placements
    for i in range(2):
        expect(graphiques.nth(i).locator("canvas, svg").first).to_be_visible()
    expect(page.locator(TABLEAU).first).to_be_visible()
    expect(page.get_by_test_id("stMetricValue").filter(has_text="7,4")).to_have_count(1)
    expect(page.get_by_text("5,45", exact=False).first).to_be_visible()
    assert "annee=2020" in page.url

    ratio_2019 = _placements_par_conseiller(serveur, 2019)
    phrase = page.locator(PHRASE).filter(has_text="Placements de l'équipe emploi")
    expect(phrase).to_contain_text("non renseigné")  # aucun résultat en 2020, ni 0 ni ∞
    expect(phrase).not_to_contain_text(ratio_2019)
    _choisir_annee(page, "2019")
    expect(page).to_have_url(re.compile(r"annee=2019"))
    expect(phrase.filter(has_text=ratio_2019)).to_have_count(1)
    expect(phrase).to_have_count(1)  # la phrase de 2020 a disparu (fin de l'exécution)
    expect(phrase).to_contain_text("19 conseillers")
    expect(page.get_by_test_id("stMetricValue").filter(has_text="7,4")).to_have_count(0)
    expect(page.locator(GRAPHIQUE)).to_have_count(1)  # plus d'ETP de convention en 2019

    page.reload()
    attendre(page)
    expect(phrase.filter(has_text=ratio_2019)).to_have_count(1)
    assert "annee=2019" in page.url
    assert requetes.externes == [], f"requêtes vers l'extérieur : {requetes.externes}"
