"""Charge : N sessions de navigateur simultanées pendant qu'un import s'enregistre.

Le matin d'une publication, le comité, les vice-présidents et la mission ouvrent l'application
en même temps. Ce banc lance un vrai `pilotage run` (base de démonstration SQLite, ou PostgreSQL
avec `--postgresql`), puis N contextes Chromium (un navigateur, N sessions Streamlit) qui se
connectent, ouvrent des pages et changent de période, pendant qu'un import s'enregistre par la
ligne de commande (un autre processus, comme une personne de la mission).

Il rapporte le p50 / p95 de l'affichage d'une page et d'un changement de sélecteur, les erreurs
(attendu : 0), la mémoire du serveur par session, et une sonde de cohérence : à chaque affichage
de la Synthèse de décembre 2019, le réalisé « Retours à l'emploi durable » doit valoir soit
l'ancien total, soit le nouveau (l'import ajoute 10 à chacun des 23 cantons pour 2019-T4, soit
+230) ; une valeur entre les deux serait un lot vu à moitié.

    .venv/bin/python bench/charge.py --sessions 20 [--tours 3] [--postgresql [URL]]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bases import URL_PG, base_vide
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

RACINE = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("PILOTAGE_CHROMIUM", "/usr/bin/chromium")
PAGES = ("/synthese", "/objectifs", "/territoires", "/tableau-de-bord", "/carte")
PERIODES = {"juin 2019": "2019-06", "mars 2019": "2019-03", "décembre 2018": "2018-12"}
IDENTIFIANT, MOT_DE_PASSE = "pilotage", "demo-pilotage-67"
AJOUT_PAR_CANTON = 10
DELAI_MS = 60_000
OBJECTIF_P95_S = 1.0
ETAT_LIBRE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


@dataclass
class Mesures:
    affichages: list[float] = field(default_factory=list)
    changements: list[float] = field(default_factory=list)
    erreurs: list[str] = field(default_factory=list)
    sonde: list[float] = field(default_factory=list)
    reprises: int = 0


def _port_libre() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _commande(env: dict[str, str], *args: str, entree: bytes | None = None) -> str:
    resultat = subprocess.run([sys.executable, "-m", "dashboard.cli", *args], cwd=RACINE, env=env,
                              input=entree, capture_output=True, check=True)  # fmt: skip
    return resultat.stdout.decode()


@contextmanager
def serveur(dossier: Path, url: str):  # type: ignore[no-untyped-def]
    """`pilotage demo` puis `pilotage run` sur un port libre ; rend (adresse, pid, env)."""
    env = {**os.environ, "PILOTAGE_DATA_DIR": str(dossier), "PILOTAGE_DATABASE_URL": url,
           "PILOTAGE_DEMO": "1"}  # fmt: skip
    env.pop("PILOTAGE_USERS_FILE", None)
    _commande(env, "demo")
    port = _port_libre()
    processus = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "run", "--port", str(port)], cwd=RACINE, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    adresse = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{adresse}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield adresse, processus.pid, env
    finally:
        processus.terminate()
        processus.wait(timeout=20)


def memoire_ko(pid: int) -> int:
    """Mémoire résidente du processus serveur (et de ses enfants directs), en Ko."""
    total = 0
    pids = [pid]
    enfants = Path(f"/proc/{pid}/task/{pid}/children")
    if enfants.exists():
        pids += [int(p) for p in enfants.read_text().split()]
    for p in pids:
        for ligne in Path(f"/proc/{p}/status").read_text().splitlines():
            if ligne.startswith("VmRSS:"):
                total += int(ligne.split()[1])
    return total


async def _attendre(page: Page) -> None:
    await page.locator(ETAT_LIBRE).wait_for(state="attached", timeout=DELAI_MS)


async def _connecter(contexte: BrowserContext, adresse: str, mesures: Mesures) -> Page:
    """Connexion par le formulaire. Sous charge, le formulaire peut être redessiné (relance
    du composant de cookies) entre la saisie et le clic : les champs reviennent vides. Le banc
    ressaisit alors, comme le ferait la personne, et compte ces reprises."""
    page = await contexte.new_page()
    await page.goto(f"{adresse}/synthese?periode=2019-12&territoire=67")
    await _attendre(page)
    for essai in range(4):
        await page.get_by_role("textbox", name="Identifiant").fill(IDENTIFIANT)
        await page.locator('input[type="password"]').fill(MOT_DE_PASSE)
        await page.get_by_role("button", name="Se connecter").click()
        try:
            await page.get_by_text("Données au").first.wait_for(timeout=DELAI_MS // 4)
            break
        except Exception:  # noqa: BLE001 — formulaire redessiné, ou page encore en calcul
            if essai == 3:
                raise
            if not await page.get_by_role("textbox", name="Identifiant").count():
                # Connectée, la page se calcule encore : on attend, sans ressaisir.
                await page.get_by_text("Données au").first.wait_for(timeout=DELAI_MS)
                break
            mesures.reprises += 1
    await _attendre(page)
    return page


def _nombre(texte: str) -> float:
    return float(texte.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", "."))


async def _sonde(page: Page, adresse: str, mesures: Mesures) -> None:
    """Le réalisé des retours à l'emploi (Synthèse, décembre 2019, département)."""
    debut = time.perf_counter()
    await page.goto(f"{adresse}/synthese?periode=2019-12&territoire=67")
    carte = page.locator('[class*="st-key-carte_OO2-S-1"] [data-testid="stMetricValue"]').first
    await carte.wait_for(timeout=DELAI_MS)
    await _attendre(page)
    mesures.affichages.append(time.perf_counter() - debut)
    mesures.sonde.append(_nombre(await carte.inner_text()))


async def _session(navigateur: Browser, adresse: str, tours: int, mesures: Mesures) -> None:
    contexte = await navigateur.new_context(viewport={"width": 1280, "height": 900})
    etape = "connexion"
    try:
        page = await _connecter(contexte, adresse, mesures)
        for tour in range(tours):
            await _sonde(page, adresse, mesures)
            for chemin in PAGES:
                etape = chemin
                debut = time.perf_counter()
                await page.goto(f"{adresse}{chemin}?periode=2019-12&territoire=67")
                await page.get_by_role("combobox", name="Période").wait_for(timeout=DELAI_MS)
                await _attendre(page)
                mesures.affichages.append(time.perf_counter() - debut)
                libelle = list(PERIODES)[tour % len(PERIODES)]
                debut = time.perf_counter()
                periode = page.get_by_role("combobox", name="Période")
                await periode.click()
                await periode.fill(libelle)
                await page.keyboard.press("Enter")
                # L'URL est réécrite par le script relancé : l'attendre, puis la fin du script,
                # mesure la relance elle-même et pas l'état d'avant le clic.
                voulue = re.compile(f"periode={PERIODES[libelle]}")
                await page.wait_for_url(voulue, timeout=DELAI_MS)
                await _attendre(page)
                mesures.changements.append(time.perf_counter() - debut)
                if await page.locator('[data-testid="stException"]').count():
                    mesures.erreurs.append(f"{chemin} : exception affichée")
                if await page.get_by_text("Une erreur inattendue est survenue").count():
                    mesures.erreurs.append(f"{chemin} : erreur affichée")
    except Exception as exc:  # noqa: BLE001 — une session qui échoue est une erreur comptée
        if os.environ.get("PILOTAGE_CHARGE_CAPTURES"):
            pages = contexte.pages
            if pages:
                chemin = Path(os.environ["PILOTAGE_CHARGE_CAPTURES"]) / f"echec-{id(contexte)}.png"
                await pages[-1].screenshot(path=str(chemin))
        premiere = str(exc).splitlines()[0][:200]
        mesures.erreurs.append(f"{etape} : {type(exc).__name__} : {premiere}")
    finally:
        await contexte.close()


def _fichier_import(dossier: Path, env: dict[str, str]) -> Path:
    """+10 sur la valeur 2019-T4 de chacun des 23 cantons, en un seul lot."""
    from sqlalchemy import create_engine

    from data_access import series

    moteur = create_engine(env["PILOTAGE_DATABASE_URL"])
    with moteur.connect() as conn:
        cadre = series.read_par_canton(conn, indicateur="OO2-S.1", periode="2019-T4")
    moteur.dispose()
    lignes = [f"OO2-S.1;{c};2019-T4;{v + AJOUT_PAR_CANTON:.0f}"
              for c, v in zip(cadre["canton"], cadre["valeur"], strict=True)]  # fmt: skip
    chemin = dossier / "charge_2019T4.csv"
    chemin.write_text("indicateur;territoire;periode;valeur\n" + "\n".join(lignes) + "\n")
    return chemin


async def _importer_pendant(env: dict[str, str], fichier: Path, delai_s: float) -> float:
    await asyncio.sleep(delai_s)
    debut = time.perf_counter()
    processus = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "dashboard.cli", "import", str(fichier), "--correction",
        "--auteur", "banc-charge", cwd=RACINE, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    sortie, erreur = await processus.communicate()
    if processus.returncode != 0:
        raise RuntimeError(f"import refusé : {erreur.decode()}")
    duree = time.perf_counter() - debut
    print(f"import pendant la charge ({duree:.1f} s) : {sortie.decode().splitlines()[0]}")
    return duree


def _centile(valeurs: list[float], q: int) -> float:
    if len(valeurs) == 1:
        return valeurs[0]
    return statistics.quantiles(valeurs, n=100, method="inclusive")[q - 1]


def _rapport(args: argparse.Namespace, mesures: Mesures, duree: float) -> None:
    nombres = f"{len(mesures.affichages)} affichages, {len(mesures.changements)} changements"
    print(f"\n{args.sessions} sessions × {args.tours} tours en {duree:.0f} s ; {nombres}")
    series = (("affichage d'une page", mesures.affichages, None),
              ("changement de période", mesures.changements, OBJECTIF_P95_S))  # fmt: skip
    for nom, valeurs, objectif in series:
        if not valeurs:
            continue
        p95 = _centile(valeurs, 95)
        texte = f"  {nom:<24} p50 {_centile(valeurs, 50):5.2f} s   p95 {p95:5.2f} s"
        if objectif is not None:
            texte += f"   (objectif p95 ≤ {objectif:.1f} s : "
            texte += "ok)" if p95 <= objectif else "TROP LENT)"
        print(texte)


async def charger(adresse: str, pid: int, env: dict[str, str], args: argparse.Namespace) -> int:
    mesures = Mesures()
    async with async_playwright() as p:
        navigateur = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update"],
        )  # fmt: skip
        avant = memoire_ko(pid)
        fichier = _fichier_import(Path(env["PILOTAGE_DATA_DIR"]), env)
        temoin = Mesures()
        contexte = await navigateur.new_context()
        page = await _connecter(contexte, adresse, temoin)
        await _sonde(page, adresse, temoin)
        debut = time.perf_counter()
        taches = [_session(navigateur, adresse, args.tours, mesures) for _ in range(args.sessions)]
        resultats = await asyncio.gather(
            *taches, _importer_pendant(env, fichier, args.delai_import), return_exceptions=True
        )
        duree = time.perf_counter() - debut
        apres = memoire_ko(pid)
        await _sonde(page, adresse, temoin)
        await contexte.close()
        await navigateur.close()
    mesures.erreurs += [
        f"{type(r).__name__} : {r}" for r in resultats if isinstance(r, BaseException)
    ]
    ancien, nouveau = temoin.sonde[0], temoin.sonde[-1]
    attendu = ancien + 23 * AJOUT_PAR_CANTON
    incoherentes = [v for v in mesures.sonde if v not in (ancien, nouveau)]
    _rapport(args, mesures, duree)
    par_session = (apres - avant) / 1024 / args.sessions
    print(f"  mémoire du serveur : {avant / 1024:.0f} Mo avant, {apres / 1024:.0f} Mo avec les "
          f"sessions, soit {par_session:.1f} Mo par session")  # fmt: skip
    print(f"  sonde de cohérence : {len(mesures.sonde)} lectures, ancien total {ancien:.0f}, "
          f"nouveau {nouveau:.0f} (attendu {attendu:.0f}), {len(incoherentes)} lecture(s) "
          "entre les deux")  # fmt: skip
    print(f"  connexions ressaisies (formulaire redessiné sous charge) : {mesures.reprises}")
    print(f"  erreurs : {len(mesures.erreurs)}")
    for erreur in mesures.erreurs[:20]:
        print(f"    - {erreur}")
    return 0 if not mesures.erreurs and not incoherentes and nouveau == attendu else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--tours", type=int, default=3)
    parser.add_argument("--delai-import", type=float, default=20.0,
                        help="secondes avant l'import, une fois les sessions lancées")  # fmt: skip
    parser.add_argument("--postgresql", nargs="?", const=URL_PG,
                        help="PostgreSQL (schéma jetable) au lieu de SQLite")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as dossier, base_vide(args.postgresql) as url:
        with serveur(Path(dossier), url) as (adresse, pid, env):
            base = "PostgreSQL" if args.postgresql else "SQLite"
            print(f"serveur {adresse} (pid {pid}), base {base}")
            sys.exit(asyncio.run(charger(adresse, pid, env, args)))


if __name__ == "__main__":
    main()
