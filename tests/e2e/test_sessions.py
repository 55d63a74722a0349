"""Sessions dans un vrai navigateur : une copie du cookie prise avant la déconnexion, un compte
supprimé pendant qu'il est connecté, un cookie forgé ramènent tous au formulaire de connexion,
jamais à une page d'erreur."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from collections.abc import Iterator

import jwt
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from dashboard.auth import NOM_COOKIE
from tests.e2e.conftest import RACINE, Serveur, attendre, se_connecter

ERREUR_INATTENDUE = "Une erreur inattendue"
MOT_DE_PASSE = "supprime-bientot-67"


@pytest.fixture
def fabrique() -> Iterator[list[BrowserContext]]:
    """Des contextes de navigateur neufs (aucun cookie), fermés à la fin du test."""
    ouverts: list[BrowserContext] = []
    yield ouverts
    for ctx in ouverts:
        ctx.close()


def _contexte(navigateur: Browser, ouverts: list[BrowserContext]) -> BrowserContext:
    ctx = navigateur.new_context(locale="fr-FR", viewport={"width": 1400, "height": 900})
    ouverts.append(ctx)
    return ctx


def _formulaire(page: Page) -> None:
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    expect(page.get_by_text(ERREUR_INATTENDUE)).to_have_count(0)
    expect(page.get_by_text("· Données de")).to_have_count(0)
    expect(page.get_by_role("button", name="Se déconnecter")).to_have_count(0)


def _cookie_ecrit(ctx: BrowserContext) -> dict[str, str]:
    fin = time.monotonic() + 15
    while time.monotonic() < fin:
        for c in ctx.cookies():
            if c["name"] == NOM_COOKIE:
                return {"name": c["name"], "value": c["value"], "domain": c["domain"],
                        "path": c["path"]}  # fmt: skip
        time.sleep(0.1)
    raise AssertionError(f"le cookie {NOM_COOKIE} n'a pas été écrit")


def _ouvrir_avec(navigateur: Browser, ouverts: list[BrowserContext], serveur: Serveur,
                 cookie: dict[str, str], chemin: str = "/import") -> Page:  # fmt: skip
    ctx = _contexte(navigateur, ouverts)
    ctx.add_cookies([cookie])  # type: ignore[list-item]
    page = ctx.new_page()
    page.goto(f"{serveur.url}{chemin}")
    attendre(page)
    return page


def test_apres_deconnexion_l_ancien_cookie_n_ouvre_plus_rien(
    navigateur: Browser, fabrique: list[BrowserContext], serveur: Serveur
) -> None:
    ctx = _contexte(navigateur, fabrique)
    page = ctx.new_page()
    page.goto(f"{serveur.url}/import")
    attendre(page)
    se_connecter(page, "admin", "demo-admin-67")
    expect(page.get_by_role("heading", name="Import des indicateurs")).to_be_visible()
    copie = _cookie_ecrit(ctx)
    # Témoin : la copie ouvre bien la session tant qu'elle vit.
    temoin = _ouvrir_avec(navigateur, fabrique, serveur, copie)
    expect(temoin.get_by_role("heading", name="Import des indicateurs")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()
    attendre(page)
    _formulaire(page)
    volee = _ouvrir_avec(navigateur, fabrique, serveur, copie)
    _formulaire(volee)
    expect(volee.get_by_role("heading", name="Import des indicateurs")).to_have_count(0)


def _pilotage(serveur: Serveur, *args: str, entree: str = "") -> None:
    subprocess.run([sys.executable, "-m", "dashboard.cli", *args], cwd=RACINE, env=serveur.env(),
                   check=True, input=entree.encode(), capture_output=True)  # fmt: skip


def test_compte_supprime_pendant_la_session_formulaire_au_clic_suivant(
    page: Page, serveur: Serveur
) -> None:
    _pilotage(serveur, "users", "add", "essai-suppression", "--role", "pilotage",
              entree=MOT_DE_PASSE)  # fmt: skip
    page.goto(f"{serveur.url}/synthese?periode=2019-06")
    attendre(page)
    se_connecter(page, "essai-suppression", MOT_DE_PASSE)
    expect(page.get_by_text("Données de juin 2019").first).to_be_visible()
    _pilotage(serveur, "users", "remove", "essai-suppression")
    page.locator('[data-testid="stSidebarNav"] a', has_text="Objectifs").click()
    attendre(page)
    _formulaire(page)
    page.reload()  # le navigateur garde-t-il un cookie qui rouvrirait la session ? non
    attendre(page)
    _formulaire(page)


def _b64(donnees: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(donnees).encode()).rstrip(b"=").decode()


def _forge(serveur: Serveur, maniere: str) -> str:
    contenu: dict[str, object] = {"username": "admin", "exp_date": time.time() + 3600}
    cle = (serveur.dossier / "cle_cookie_demo").read_text(encoding="utf-8").strip()
    if maniere == "alg-none":
        contenu["sid"] = "jeton-invente"
        return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(contenu)}."
    if maniere == "signature-fausse":
        return jwt.encode(contenu, "une-autre-cle-" + cle, algorithm="HS256")
    # Bien signé par la clé du serveur, mais sans session en base (le cookie d'avant, ou une clé
    # qui a fuité) : il n'ouvre rien.
    return jwt.encode(contenu, cle, algorithm="HS256")


@pytest.mark.parametrize("maniere", ["alg-none", "signature-fausse", "bien-signe-sans-session"])
def test_un_cookie_forge_mene_au_formulaire(
    navigateur: Browser, fabrique: list[BrowserContext], serveur: Serveur, maniere: str
) -> None:
    cookie = {"name": NOM_COOKIE, "value": _forge(serveur, maniere), "domain": "127.0.0.1",
              "path": "/"}  # fmt: skip
    _formulaire(_ouvrir_avec(navigateur, fabrique, serveur, cookie))
