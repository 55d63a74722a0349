"""Tests de bout en bout : un vrai serveur `pilotage run` et le Chromium de Debian.

Le serveur tourne sur un port libre de la boucle locale, avec une base de démonstration et des
comptes dans un dossier temporaire ; on attend `/_stcore/health` plutôt que de dormir. Le
navigateur est `/usr/bin/chromium` (paquet Debian, installé par scripts/test.sh) : Playwright ne
télécharge jamais son propre navigateur. Sans Chromium, les tests échouent, ils ne sont pas évités.
Toute requête vers une autre adresse que la machine elle-même est bloquée et notée.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect

from dashboard.auth import MESSAGE_ATTENTE
from dashboard.utilisateurs import COMPTES_DEMO

RACINE = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PILOTAGE_CHROMIUM", "/usr/bin/chromium")
DELAI_MS = 30_000
NON_LOCAL = re.compile(r"^(https?|wss?)://(?!127\.0\.0\.1|localhost)")
MOT_DE_PASSE_VERROU = "verrou-de-test-67"
expect.set_options(timeout=DELAI_MS)


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Serveur:
    """Un `pilotage run` qu'on peut arrêter et relancer sur la même base."""

    dossier: Path
    port: int = field(default_factory=_port_libre)
    processus: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PILOTAGE_")}
        env.update(PILOTAGE_DATA_DIR=str(self.dossier), PILOTAGE_DEMO="1")
        return env

    def start(self) -> None:
        journal = (self.dossier / "serveur.log").open("ab")
        self.processus = subprocess.Popen(
            [sys.executable, "-m", "dashboard.cli", "run", "--port", str(self.port)],
            cwd=RACINE, env=self.env(), stdout=journal, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        limite = time.monotonic() + 60
        while time.monotonic() < limite:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.3)
        pytest.fail(f"le serveur n'a pas démarré : voir {self.dossier / 'serveur.log'}")

    def stop(self) -> None:
        if self.processus and self.processus.poll() is None:
            os.killpg(self.processus.pid, signal.SIGTERM)
            self.processus.wait(timeout=20)
        limite = time.monotonic() + 20
        while time.monotonic() < limite:  # le port doit être libéré avant un redémarrage
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                time.sleep(0.2)
            except OSError:
                return


@pytest.fixture(scope="session")
def serveur(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serveur]:
    srv = Serveur(tmp_path_factory.mktemp("e2e"))
    subprocess.run([sys.executable, "-m", "dashboard.cli", "demo"], cwd=RACINE, env=srv.env(),
                   check=True, capture_output=True)  # fmt: skip
    # Un compte à verrouiller, pour ne pas bloquer les comptes des autres tests.
    subprocess.run([sys.executable, "-m", "dashboard.cli", "users", "add", "essai-verrou",
                    "--role", "lecteur"], cwd=RACINE, env=srv.env(), check=True,
                   input=MOT_DE_PASSE_VERROU.encode(), capture_output=True)  # fmt: skip
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def navigateur(pilote_playwright: Playwright) -> Iterator[Browser]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : lancez « bash scripts/test.sh », qui "
                    "l'installe (apt-get install chromium).", pytrace=False)  # fmt: skip
    navigateur = _lancer(pilote_playwright)
    yield navigateur
    navigateur.close()


def _lancer(p: Playwright) -> Browser:
    return p.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--disable-gpu", "--disable-background-networking", "--disable-component-update",
              "--no-first-run", "--disable-sync", "--no-sandbox"],
    )  # fmt: skip


@dataclass
class Requetes:
    """Toutes les requêtes de la page, et celles qui visaient l'extérieur (bloquées)."""

    toutes: list[str] = field(default_factory=list)
    externes: list[str] = field(default_factory=list)


@pytest.fixture
def requetes() -> Requetes:
    return Requetes()


@pytest.fixture
def contexte(navigateur: Browser, requetes: Requetes) -> Iterator[BrowserContext]:
    ctx = navigateur.new_context(locale="fr-FR", viewport={"width": 1400, "height": 900})

    def bloquer(route):  # type: ignore[no-untyped-def]
        requetes.externes.append(route.request.url)
        route.abort()

    ctx.route(NON_LOCAL, bloquer)
    ctx.on("request", lambda r: requetes.toutes.append(r.url))
    yield ctx
    ctx.close()


@pytest.fixture
def page(contexte: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    pg = contexte.new_page()
    yield pg
    rapport = getattr(request.node, "rapport_appel", None)
    if rapport is not None and rapport.failed:
        dossier = RACINE / "var" / "e2e-echecs"
        dossier.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(dossier / f"{request.node.name}.png"), full_page=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    resultat = yield
    if call.when == "call":
        item.rapport_appel = resultat.get_result()  # type: ignore[attr-defined]


# Vrai quand la page est au repos depuis `n` relevés consécutifs : script arrêté et plus aucun
# élément périmé. Le compteur vit dans la page, sous un jeton propre à chaque attente.
_AU_REPOS = """([jeton, n]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const calme = app !== null
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && document.querySelector('[data-stale="true"]') === null;
    const suivi = window.__pilotageRepos;
    const avant = suivi && suivi.jeton === jeton ? suivi.n : 0;
    window.__pilotageRepos = {jeton, n: calme ? avant + 1 : 0};
    return window.__pilotageRepos.n >= n;
}"""
_jetons = iter(range(1, 1_000_000))


def attendre(page: Page, releves: int = 4) -> None:
    """Attend que la page soit au repos : script Streamlit arrêté, aucun élément périmé, et cela
    sur plusieurs relevés de suite (toutes les 100 ms, jamais un sommeil fixe).

    Un seul relevé ne suffit pas : le composant des cookies renvoie le contenu du navigateur
    après le premier dessin et relance le script ; pendant cette relance, Streamlit garde
    l'ancien élément à côté du nouveau, et un clic trouverait deux cibles."""
    page.wait_for_function(_AU_REPOS, arg=[next(_jetons), releves], polling=100, timeout=DELAI_MS)


def se_connecter(page: Page, identifiant: str, mot_de_passe: str) -> None:
    """Remplit le formulaire de connexion affiché et attend la page (après le message d'attente
    de l'écriture du cookie, s'il est venu)."""
    page.get_by_role("textbox", name="Identifiant").fill(identifiant)
    page.locator('input[type="password"]').fill(mot_de_passe)
    bouton = page.get_by_role("button", name="Se connecter")
    bouton.click()
    attendre(page)
    # Machine chargée : un clic qui tombe pendant la relance que provoque le composant des
    # cookies peut être perdu (le formulaire reste, rempli, sans message d'échec). On reclique
    # une fois ; un vrai refus, lui, affiche son message et le test le verra.
    if bouton.is_visible() and not page.get_by_role("alert").count():
        bouton.click()
        attendre(page)
    expect(page.get_by_text(MESSAGE_ATTENTE)).to_have_count(0)
    attendre(page)


def ouvrir_connecte(page: Page, serveur: Serveur, chemin: str, identifiant: str) -> None:
    """Ouvre `chemin` (adresse et requête) puis se connecte avec ce compte de démonstration :
    le parcours d'un lien partagé reçu par une personne pas encore connectée."""
    mot_de_passe = next(c.mot_de_passe for c in COMPTES_DEMO if c.identifiant == identifiant)
    page.goto(f"{serveur.url}{chemin}")
    attendre(page)
    se_connecter(page, identifiant, mot_de_passe)
