"""Page « Objectifs » dans Chromium : ouvrir la fiche d'un indicateur, la rouvrir par son URL,
lire chaque statut sans la couleur, et des barres de progression accessibles."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Locator, Page, expect

from data_access import engine, progression
from tests.e2e.conftest import Requetes, Serveur, attendre, se_connecter

# Dans le bloc OO2 du département en juin 2019 : les cibles déduites de l'OO2 (A2.1, A4.1,
# A6.1, A7.1…) sont des repères, plus des retards ; le retard du NORD est vérifié par AppTest.
STATUTS = ("en avance", "dans la trajectoire", "repère", "non renseigné")
TITRE_FICHE = re.compile(r"^Fiche OO2-S\.1 · ")


def _bloc(page: Page, code: str) -> Locator:
    """Le bloc repliable d'un OO ou d'un axe : son titre commence par le code, en gras."""
    titre = page.locator("summary strong", has_text=re.compile(rf"^{re.escape(code)}$"))
    return page.get_by_test_id("stExpander").filter(has=titre)


def _ouvrir(page: Page, code: str) -> Locator:
    """Déplie le bloc d'un OO. Le tableau des bilans, dessiné après coup, peut décaler la page
    sous la souris : on vérifie que c'est bien ce bloc qui s'est ouvert, sinon on reclique."""
    bloc = _bloc(page, code)
    details = bloc.locator("details")
    for _ in range(3):
        bloc.locator("summary").click()
        try:
            expect(details).to_have_attribute("open", "", timeout=3_000)
            break
        except AssertionError:
            continue
    expect(bloc.get_by_role("progressbar").first).to_be_visible()
    return bloc


def _objectifs(page: Page, serveur: Serveur, requete: str) -> None:
    page.goto(f"{serveur.url}/objectifs?{requete}")
    attendre(page)
    if page.get_by_role("button", name="Se connecter").is_visible():
        se_connecter(page, "pilotage", "demo-pilotage-67")
    # `.first` : pendant une relance, Streamlit garde un instant l'ancien titre à côté du nouveau.
    expect(page.get_by_role("heading", name="Objectifs", exact=True).first).to_be_visible()


def _realise_sur_cible(serveur: Serveur) -> int:
    """Valeur de la barre des retours à l'emploi au département, relue dans la base."""
    eng = engine.create(f"sqlite:///{serveur.dossier / 'pilotage.db'}")
    with eng.connect() as conn:
        cibles = progression.read_progression(
            conn, indicateur="OO2-S.1", territoire="67", mois="2019-06"
        )
    eng.dispose()
    plan = cibles[cibles["source"].str.contains("§3.1")].iloc[0]
    return int(min(1.0, plan["reel"] / plan["cible"]) * 100)


def test_un_clic_ouvre_la_fiche_et_son_url_la_rouvre(
    contexte: BrowserContext, page: Page, serveur: Serveur, requetes: Requetes
) -> None:
    _objectifs(page, serveur, "periode=2019-06&territoire=67")
    bloc = _ouvrir(page, "OO2")
    bloc.locator(".st-key-fiche_OO2-S-1 button").click()
    attendre(page)
    expect(page.get_by_role("heading", name=TITRE_FICHE)).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]fiche=OO2-S\.1"))
    expect(page.locator(".st-key-fiche_ouverte [data-testid='stVegaLiteChart']")).to_be_visible()

    autre = contexte.new_page()
    _objectifs(autre, serveur, page.url.split("?", 1)[1])
    expect(autre.get_by_role("heading", name=TITRE_FICHE)).to_be_visible()
    expect(autre.locator(".st-key-fiche_ouverte [data-testid='stVegaLiteChart']")).to_be_visible()
    assert "fiche=OO2-S.1" in autre.url
    autre.close()
    assert requetes.externes == [], f"requêtes vers l'extérieur : {requetes.externes}"


def test_chaque_statut_se_lit_en_mots_et_les_barres_sont_accessibles(
    page: Page, serveur: Serveur, requetes: Requetes
) -> None:
    _objectifs(page, serveur, "periode=2019-06&territoire=67")
    contenu = _ouvrir(page, "OO2").get_by_test_id("stExpanderDetails")
    for statut in STATUTS:  # dans les lignes d'indicateurs, pas seulement dans le titre du bloc
        expect(contenu.get_by_text(statut).first).to_be_visible()
    barres = contenu.get_by_role("progressbar")
    expect(barres.first).to_have_attribute("aria-valuenow", re.compile(r"^\d+$"))
    for rang in range(barres.count()):
        valeur = int(barres.nth(rang).get_attribute("aria-valuenow") or "-1")
        assert 0 <= valeur <= 100
    retours = page.locator(".st-key-indicateur_OO2-S-1").get_by_role("progressbar")
    expect(retours).to_have_attribute("aria-valuenow", str(_realise_sur_cible(serveur)))
    expect(page.locator(".st-key-indicateur_OO2-S-1")).to_contain_text("en avance")
    assert requetes.externes == [], f"requêtes vers l'extérieur : {requetes.externes}"


def test_un_lien_fiche_ouvre_la_page_avec_la_fiche_a_l_ecran(page: Page, serveur: Serveur) -> None:
    """Ticket 20 : `fiche=` sur un indicateur du bas de la page (A37.1, dernier axe) : la fiche
    est à l'écran sans défiler à la main, en 1280×720."""
    page.set_viewport_size({"width": 1280, "height": 720})
    _objectifs(page, serveur, "periode=2019-06&territoire=67&fiche=A37.1")
    fiche = page.locator(".st-key-fiche_ouverte")
    expect(fiche.get_by_role("heading", name=re.compile(r"^Fiche A37\.1 · "))).to_be_visible()
    expect(fiche).to_be_in_viewport()
    hauteur = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    assert hauteur > 2 * 720, "la page tient dans l'écran : le test ne prouverait rien"
