"""Charge : N sessions simultanées pendant qu'un import s'enregistre.

Le matin d'une publication, le comité, les vice-présidents et la mission ouvrent l'application
en même temps. Ce banc lance de vrais `pilotage run` (un seul, ou plusieurs derrière nginx comme
en production : `--processus 2`), sur la base de démonstration SQLite ou PostgreSQL
(`--postgresql`), puis N sessions qui se connectent, ouvrent des pages et changent de période,
pendant qu'un import s'enregistre par la ligne de commande (un autre processus, comme une
personne de la mission).

Deux pilotes : `--client protocole` (défaut) parle le protocole de Streamlit sur le websocket,
comme un onglet mais sans dessin (`client_streamlit.py`) ; `--client chromium` ouvre de vrais
contextes Chromium, plus fidèles mais coûteux sur deux cœurs (le navigateur y dispute le
processeur au serveur). Chaque session lit la page avant de cliquer (`--reflexion`, secondes).

Il rapporte le p50 / p95 de l'affichage d'une page, d'un changement de période et d'une
connexion, les erreurs (attendu : 0), la mémoire des serveurs par session, et une sonde de
cohérence : à chaque affichage de la Synthèse de décembre 2019, le réalisé « Retours à l'emploi
durable » doit valoir soit l'ancien total, soit le nouveau (l'import ajoute 10 à chacun des 23
cantons pour 2019-T4, soit +230) ; une valeur entre les deux serait un lot vu à moitié.

    .venv/bin/python bench/charge.py --sessions 20 [--tours 3] [--processus 2] [--postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import charge_chromium
import charge_protocole
from bases import URL_PG, base_vide
from charge_mesures import AJOUT_PAR_CANTON, OBJECTIF_P95_S, Mesures, centile
from client_streamlit import Session

from deploiement import nginx

RACINE = Path(__file__).resolve().parents[1]


@dataclass
class Installation:
    adresse: str
    pids: list[int]
    env: dict[str, str]


def _port_libre() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _commande(env: dict[str, str], *args: str) -> str:
    resultat = subprocess.run([sys.executable, "-m", "dashboard.cli", *args], cwd=RACINE, env=env,
                              capture_output=True, check=True)  # fmt: skip
    return resultat.stdout.decode()


def _attendre_sante(adresse: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{adresse}/_stcore/health", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{adresse} ne répond pas")


@contextmanager
def _processus(commande: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """Un processus du banc ; sa sortie va dans `PILOTAGE_CHARGE_JOURNAL` (un dossier) s'il est
    donné, pour relire après coup ce que le serveur a vu (sessions ouvertes et fermées)."""
    with ExitStack() as pile:
        sortie: Any = subprocess.DEVNULL
        if dossier := os.environ.get("PILOTAGE_CHARGE_JOURNAL"):
            nom = f"{Path(commande[0]).name}-{'-'.join(commande[-2:])}.log".replace("/", "_")
            sortie = pile.enter_context(open(Path(dossier) / nom, "ab"))  # noqa: SIM115
        p = subprocess.Popen(commande, cwd=RACINE, env=env, stdout=sortie,
                             stderr=subprocess.STDOUT)  # fmt: skip
        try:
            yield p
        finally:
            p.terminate()
            p.wait(timeout=20)


@contextmanager
def installation(dossier: Path, url: str, processus: int) -> Iterator[Installation]:
    """`pilotage demo`, puis `processus` × `pilotage run` ; à partir de deux, nginx devant eux
    (le fichier de site de la production, deploiement/nginx.py)."""
    env = {**os.environ, "PILOTAGE_DATA_DIR": str(dossier), "PILOTAGE_DATABASE_URL": url,
           "PILOTAGE_DEMO": "1"}  # fmt: skip
    env.pop("PILOTAGE_USERS_FILE", None)
    _commande(env, "demo")
    ports = [_port_libre() for _ in range(processus)]
    with ExitStack() as pile:
        serveurs = [
            pile.enter_context(_processus(
                [sys.executable, "-m", "dashboard.cli", "run", "--port", str(port)], env
            ))
            for port in ports
        ]  # fmt: skip
        for port in ports:
            _attendre_sante(f"http://127.0.0.1:{port}")
        adresse = f"http://127.0.0.1:{ports[0]}"
        if processus > 1:
            port = _port_libre()
            commande = nginx.instance_locale(dossier / "nginx", connexions=1024)
            site = nginx.render(ports=ports, ecoute=f"127.0.0.1:{port}", nom="127.0.0.1",
                                journal=str(dossier / "nginx" / "pilotage.log"))  # fmt: skip
            (dossier / "nginx" / "conf.d" / "pilotage.conf").write_text(site, encoding="utf-8")
            pile.enter_context(_processus([*commande, "-g", "daemon off;"], env))
            adresse = f"http://127.0.0.1:{port}"
            _attendre_sante(adresse)
        yield Installation(adresse, [s.pid for s in serveurs], env)


def memoire_ko(pids: list[int]) -> int:
    """Mémoire résidente des processus serveur (et de leurs enfants directs), en Ko."""
    total = 0
    for pid in pids:
        tous = [pid]
        enfants = Path(f"/proc/{pid}/task/{pid}/children")
        if enfants.exists():
            tous += [int(p) for p in enfants.read_text().split()]
        for p in tous:
            for ligne in Path(f"/proc/{p}/status").read_text().splitlines():
                if ligne.startswith("VmRSS:"):
                    total += int(ligne.split()[1])
    return total


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


def _rapport(args: argparse.Namespace, mesures: Mesures, duree: float) -> None:
    nombres = f"{len(mesures.affichages)} affichages, {len(mesures.changements)} changements"
    print(f"\n{args.sessions} sessions × {args.tours} tours en {duree:.0f} s ; {nombres}")
    series = (("affichage d'une page", mesures.affichages, None),
              ("changement de période", mesures.changements, OBJECTIF_P95_S),
              ("connexion", mesures.connexions, None))  # fmt: skip
    for nom, valeurs, objectif in series:
        if not valeurs:
            continue
        p95 = centile(valeurs, 95)
        texte = f"  {nom:<24} p50 {centile(valeurs, 50):5.2f} s   p95 {p95:5.2f} s"
        if objectif is not None:
            texte += f"   (objectif p95 ≤ {objectif:.1f} s : "
            texte += "ok)" if p95 <= objectif else "TROP LENT)"
        print(texte)
    for chemin, valeurs in mesures.par_page.items():
        print(f"    changement sur {chemin:<17} p50 {centile(valeurs, 50):5.2f} s   "
              f"p95 {centile(valeurs, 95):5.2f} s")  # fmt: skip


async def _sessions(inst: Installation, args: argparse.Namespace, mesures: Mesures) -> list:
    fichier = _fichier_import(Path(inst.env["PILOTAGE_DATA_DIR"]), inst.env)
    importer = _importer_pendant(inst.env, fichier, args.delai_import)
    reglages = {"reflexion": args.reflexion}
    if args.client == "protocole":
        taches = [
            charge_protocole.session(inst.adresse, args.tours, mesures, graine=i, **reglages)
            for i in range(args.sessions)
        ]
        return await asyncio.gather(*taches, importer, return_exceptions=True)
    async with charge_chromium.async_playwright() as p:
        navigateur = await charge_chromium.lancer_navigateur(p)
        taches = [
            charge_chromium.session(
                navigateur, inst.adresse, args.tours, mesures, graine=i, **reglages
            )  # fmt: skip
            for i in range(args.sessions)
        ]
        resultats = await asyncio.gather(*taches, importer, return_exceptions=True)
        await navigateur.close()
    return resultats


async def charger(inst: Installation, args: argparse.Namespace) -> int:
    mesures, temoin = Mesures(), Mesures()
    async with Session(inst.adresse) as s:  # le témoin : la sonde avant et après la charge
        await charge_protocole.connecter(s, temoin)
        await charge_protocole.sonde(s, temoin)
        avant = memoire_ko(inst.pids)
        debut = time.perf_counter()
        resultats = await _sessions(inst, args, mesures)
        duree = time.perf_counter() - debut
        apres = memoire_ko(inst.pids)
        await charge_protocole.sonde(s, temoin)
    mesures.erreurs += [
        f"{type(r).__name__} : {r}" for r in resultats if isinstance(r, BaseException)
    ]
    ancien, nouveau = temoin.sonde[0], temoin.sonde[-1]
    attendu = ancien + 23 * AJOUT_PAR_CANTON
    incoherentes = [v for v in mesures.sonde if v not in (ancien, nouveau)]
    _rapport(args, mesures, duree)
    par_session = (apres - avant) / 1024 / args.sessions
    print(f"  mémoire des serveurs : {avant / 1024:.0f} Mo avant, {apres / 1024:.0f} Mo avec les "
          f"sessions, soit {par_session:.1f} Mo par session")  # fmt: skip
    print(f"  sonde de cohérence : {len(mesures.sonde)} lectures, ancien total {ancien:.0f}, "
          f"nouveau {nouveau:.0f} (attendu {attendu:.0f}), {len(incoherentes)} lecture(s) "
          "entre les deux")  # fmt: skip
    if args.client == "chromium":
        print(f"  connexions ressaisies (formulaire redessiné sous charge) : {mesures.reprises}")
    print(f"  erreurs : {len(mesures.erreurs)}")
    for erreur in mesures.erreurs[:20]:
        print(f"    - {erreur}")
    return 0 if not mesures.erreurs and not incoherentes and nouveau == attendu else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--tours", type=int, default=3)
    parser.add_argument("--client", choices=("protocole", "chromium"), default="protocole")
    parser.add_argument("--processus", type=int, default=1,
                        help="processus « pilotage run » (2 et plus : nginx)")  # fmt: skip
    parser.add_argument("--reflexion", type=float, default=3.0,
                        help="lecture moyenne d'une page avant un clic (s)")  # fmt: skip
    parser.add_argument("--delai-import", type=float, default=20.0,
                        help="secondes avant l'import, une fois les sessions lancées")  # fmt: skip
    parser.add_argument("--postgresql", nargs="?", const=URL_PG,
                        help="PostgreSQL (schéma jetable) au lieu de SQLite")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as dossier, base_vide(args.postgresql) as url:
        with installation(Path(dossier), url, args.processus) as inst:
            base = "PostgreSQL" if args.postgresql else "SQLite"
            print(f"{args.processus} processus (pids {inst.pids}) derrière {inst.adresse}, "
                  f"base {base}, client {args.client}")  # fmt: skip
            sys.exit(asyncio.run(charger(inst, args)))


if __name__ == "__main__":
    main()
