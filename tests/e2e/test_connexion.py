"""Connexion, déconnexion, verrouillage et liens profonds dans un vrai navigateur."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect
from sqlalchemy import func, select

from dashboard.auth import MESSAGE_ATTENTE, NOM_COOKIE
from data_access import engine, schema
from tests.e2e.conftest import (
    MOT_DE_PASSE_VERROU,
    Requetes,
    Serveur,
    attendre,
    ouvrir_connecte,
    se_connecter,
)

ADRESSES = ("synthese", "carte", "objectifs", "territoires", "moyens-resultats",
            "tableau-de-bord", "import")  # fmt: skip


def _formulaire_visible(page: Page) -> None:
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    expect(page.get_by_text("· Données de")).to_have_count(0)
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)


@pytest.mark.parametrize("adresse", ADRESSES)
def test_sans_connexion_chaque_page_montre_le_formulaire(
    page: Page, serveur: Serveur, adresse: str
) -> None:
    page.goto(f"{serveur.url}/{adresse}?periode=2018-06")
    attendre(page)
    _formulaire_visible(page)


def test_mauvais_mot_de_passe_message_francais(page: Page, serveur: Serveur) -> None:
    page.goto(serveur.url)
    attendre(page)
    se_connecter(page, "pilotage", "pas-le-bon-mot-de-passe")
    expect(page.get_by_text("Identifiant ou mot de passe incorrect.")).to_be_visible()
    _formulaire_visible(page)


def test_lien_profond_garde_sa_requete_apres_connexion(
    page: Page, serveur: Serveur, requetes: Requetes
) -> None:
    ouvrir_connecte(
        page, serveur, "/carte?periode=2018-06&territoire=SUD&indicateur=A8.1", "pilotage"
    )
    expect(page.get_by_role("heading", name="Carte des cantons")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/carte\?.*periode=2018-06"))
    assert "territoire=SUD" in page.url and "indicateur=A8.1" in page.url
    expect(page.get_by_role("combobox", name="Période")).to_have_value(re.compile("juin 2018"))
    expect(page.get_by_role("combobox", name="Territoire")).to_have_value(
        re.compile("Territoire Sud")
    )
    assert requetes.externes == [], f"requêtes vers l'extérieur : {requetes.externes}"


def test_deconnexion_puis_rechargement_reste_deconnecte(page: Page, serveur: Serveur) -> None:
    page.goto(serveur.url)
    attendre(page)
    se_connecter(page, "admin", "demo-admin-67")
    expect(page.get_by_text("Données de décembre 2019").first).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()
    attendre(page)
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    # Le cookie est effacé par le script du composant de cookies, dans le navigateur, juste après
    # l'affichage du formulaire : un rechargement dans ces quelques millisecondes le renverrait
    # encore (machine chargée). On recharge une fois le navigateur débarrassé du cookie, comme
    # le fait toute personne qui clique puis recharge.
    _sans_cookie(page)
    page.reload()
    attendre(page)
    _formulaire_visible(page)


def test_la_page_attend_que_le_navigateur_ait_ecrit_le_cookie(page: Page, serveur: Serveur) -> None:
    """Sous charge, le script qui écrit le cookie s'exécute des secondes après le dessin de la
    page (bench/NOTES_CHARGE.md) : une page montrée avant l'écriture, rechargée aussitôt,
    redemandait le mot de passe. Ici, le composant des cookies reste en chargement tant que le
    test ne le libère pas (le routage de Playwright coupe aussi le cache du navigateur)."""
    retenues: list[Route] = []
    libre = False

    def composant(route: Route) -> None:
        if libre:
            route.continue_()
        else:
            retenues.append(route)

    page.route("**/component/*cookie_manager*/index.html*", composant)
    page.goto(f"{serveur.url}/synthese?periode=2019-06")
    attendre(page)
    page.get_by_role("textbox", name="Identifiant").fill("pilotage")
    page.locator('input[type="password"]').fill("demo-pilotage-67")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text(MESSAGE_ATTENTE)).to_be_visible()
    expect(page.get_by_text("· Données de")).to_have_count(0)
    assert not any(c["name"] == NOM_COOKIE for c in page.context.cookies())
    libre = True
    for route in retenues:
        route.continue_()
    expect(page.get_by_text("Données de juin 2019").first).to_be_visible()
    assert any(c["name"] == NOM_COOKIE for c in page.context.cookies())
    page.reload()
    attendre(page)
    expect(page.get_by_text("Données de juin 2019").first).to_be_visible()
    expect(page.get_by_role("button", name="Se connecter")).to_have_count(0)


def _sans_cookie(page: Page, delai_s: float = 10.0) -> None:
    fin = time.monotonic() + delai_s
    while any(c["name"] == NOM_COOKIE for c in page.context.cookies()):
        assert time.monotonic() < fin, f"le cookie {NOM_COOKIE} reste après la déconnexion"
        page.wait_for_timeout(100)


def test_la_vue_d_une_url_se_rouvre_et_survit_au_changement_de_page(
    contexte: BrowserContext, serveur: Serveur
) -> None:
    page = contexte.new_page()
    ouvrir_connecte(
        page, serveur, "/synthese?periode=2018-03&territoire=EMS&indicateur=FIN-2.1", "admin"
    )
    expect(page.get_by_role("combobox", name="Période")).to_have_value(re.compile("mars 2018"))
    expect(page.get_by_role("combobox", name="Territoire")).to_have_value(
        re.compile("Eurométropole de Strasbourg")
    )
    expect(page.get_by_role("combobox", name="Indicateur")).to_have_value(re.compile("FIN-2.1"))
    page.locator('[data-testid="stSidebarNav"] a', has_text="Objectifs").click()
    attendre(page)
    expect(page).to_have_url(re.compile(r"/objectifs\?.*periode=2018-03"))
    page.locator('[data-testid="stSidebarNav"] a', has_text="Synthèse").click()
    attendre(page)
    expect(page.get_by_role("combobox", name="Territoire")).to_have_value(
        re.compile("Eurométropole de Strasbourg")
    )
    assert "indicateur=FIN-2.1" in page.url


def test_un_elu_nord_ne_voit_pas_un_autre_territoire_meme_par_l_url(
    page: Page, serveur: Serveur
) -> None:
    ouvrir_connecte(page, serveur, "/synthese?territoire=6717&periode=2019-06", "elu-nord")
    # L'avis « hors de votre périmètre » est vérifié en AppTest (test_routeur) ; ici, ce qui
    # compte : la vue est ramenée au territoire de l'élu et rien d'autre n'est proposé.
    expect(page.get_by_role("combobox", name="Territoire")).to_have_value(
        re.compile("Territoire Nord")
    )
    page.get_by_role("combobox", name="Territoire").click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    textes = " ".join(options.all_inner_texts())
    assert "Haguenau" in textes and "Strasbourg" not in textes and "Eurométropole" not in textes
    page.keyboard.press("Escape")
    expect(page.get_by_text("Strasbourg")).to_have_count(0)


def _attendre_echecs(serveur: Serveur, attendus: int) -> None:
    eng = engine.create(f"sqlite:///{serveur.dossier / 'pilotage.db'}")
    requete = select(func.count()).where(schema.echec_connexion.c.identifiant == "essai-verrou")
    limite = time.monotonic() + 20
    with eng.connect() as conn:
        while conn.execute(requete).scalar_one() < attendus and time.monotonic() < limite:
            time.sleep(0.2)
            conn.rollback()
    eng.dispose()


def test_six_mauvais_mots_de_passe_verrouillent_meme_apres_redemarrage(
    contexte: BrowserContext, serveur: Serveur
) -> None:
    page = contexte.new_page()
    page.goto(serveur.url)
    attendre(page)
    for n in range(1, 6):
        se_connecter(page, "essai-verrou", "mauvais-mot-de-passe")
        _attendre_echecs(serveur, n)  # chaque essai a bien été reçu par le serveur
    se_connecter(page, "essai-verrou", MOT_DE_PASSE_VERROU)
    expect(page.get_by_text("Ce compte est verrouillé")).to_be_visible()
    serveur.stop()
    serveur.start()
    page = contexte.new_page()
    page.goto(serveur.url)
    attendre(page)
    se_connecter(page, "essai-verrou", MOT_DE_PASSE_VERROU)
    expect(page.get_by_text("Ce compte est verrouillé")).to_be_visible()
    expect(page.get_by_text("· Données de")).to_have_count(0)
