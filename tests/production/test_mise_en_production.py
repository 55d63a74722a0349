"""La section « Mise en production » du README, suivie mot pour mot sur cette machine.

Chaque bloc marqué `<!-- bloc: NOM -->` de la section est lu dans le README et exécuté tel quel
par bash (`set -euo pipefail`), précédé du bloc des réglages dont seules les valeurs marquées
« à adapter » sont remplacées : une base PostgreSQL jetable, des ports libres, un dossier
temporaire. Le reste est ce que ferait l'exploitant : deux `pilotage run`, nginx (paquet Debian)
devant eux sur la boucle locale, connexion à travers nginx dans le Chromium de Debian,
sauvegarde, restauration, redémarrage un processus après l'autre.

Le nginx « du système » est ici une instance du binaire Debian lancée par le test, avec un
`nginx.conf` qui, comme celui de Debian, inclut `conf.d/*.conf` ; les commandes `nginx` et `sudo`
du README passent par deux petits scripts placés en tête du PATH (nginx avec ce fichier, sudo
sans changer d'utilisateur). Le navigateur demande `pilotage.test` (résolu en 127.0.0.1), un
nom qui n'est pas l'adresse des processus : le websocket ne s'ouvre que si nginx transmet
l'en-tête Host. Sans nginx, Chromium ou PostgreSQL, le test échoue, il n'est pas évité. Tout ce
qu'il démarre (processus, nginx, base) est arrêté ou détruit à la fin.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, expect
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from dashboard.auth import NOM_COOKIE
from deploiement.nginx import instance_locale
from tests.bases import URL_PG
from tests.e2e.conftest import CHROMIUM, attendre, se_connecter

RACINE = Path(__file__).resolve().parents[2]
BLOCS = ("reglages", "secrets", "migrations", "comptes", "demarrage", "arret", "nginx",
         "sauvegarde", "restauration", "redemarrage")  # fmt: skip
NOM = "pilotage.test"
MOT_DE_PASSE = "production-de-test-67"
CARTE = "/carte?indicateur=OO2-S.1&periode=2019-09"
DONNEES = "indicateur;territoire;periode;valeur\nOO2-S.1;6705;2019-T3;777\n"
LIGNE_JOURNAL = re.compile(r'"(?P<requete>[^"]*)" (?P<statut>\d+) .* amont=(?P<amont>\S+) '
                           r"instance=(?P<instance>\S+)$")  # fmt: skip


def read_blocs(readme: str) -> dict[str, str]:
    """Les blocs `bash` marqués de la section « Mise en production », par nom."""
    section = readme.split("\n## Mise en production\n", 1)[1].split("\n## ", 1)[0]
    blocs = re.findall(r"<!-- bloc: (\w+) -->\n```bash\n(.*?)\n```", section, flags=re.DOTALL)
    return dict(blocs)


def adapter_reglages(bloc: str, valeurs: dict[str, str]) -> str:
    """Le bloc des réglages avec ces valeurs pour les lignes « à adapter », les autres intactes."""
    lignes, adaptees = [], set()
    for ligne in bloc.splitlines():
        trouve = re.fullmatch(r'export (\w+)=("[^"]*"|\S+)\s+# à adapter', ligne)
        if trouve:
            adaptees.add(trouve[1])
            ligne = f"export {trouve[1]}={shlex.quote(valeurs[trouve[1]])}"
        lignes.append(ligne)
    assert adaptees == set(valeurs), "les réglages « à adapter » du README ont changé"
    return "\n".join(lignes)


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _repond(url: str, hote: str | None = None, cookie: str | None = None) -> bool:
    requete = urllib.request.Request(url, headers={"Host": hote} if hote else {})
    if cookie:
        requete.add_header("Cookie", f"pilotage_instance={cookie}")
    try:
        with urllib.request.urlopen(requete, timeout=5) as r:
            return r.read() == b"ok"
    except OSError:
        return False


def _attendre(condition, message: str, delai: float = 30) -> None:  # type: ignore[no-untyped-def]
    limite = time.monotonic() + delai
    while not condition():
        if time.monotonic() > limite:
            pytest.fail(message, pytrace=False)
        time.sleep(0.3)


@dataclass
class Installation:
    """L'installation du README sur cette machine : ses réglages, ses processus, sa base."""

    dossier: Path
    blocs: dict[str, str]
    ports: tuple[int, int] = field(default_factory=lambda: (_port_libre(), _port_libre()))
    port_nginx: int = field(default_factory=_port_libre)
    reglages: str = ""
    env: dict[str, str] = field(default_factory=dict)
    groupes: list[int] = field(default_factory=list)
    lot: int = 0

    @property
    def url(self) -> str:
        return f"http://{NOM}:{self.port_nginx}"

    @property
    def journal(self) -> Path:
        return self.dossier / "nginx" / "pilotage.access.log"

    def bash(self, script: str, entree: str | None = None) -> str:
        """Lance `script` après les réglages, dans son propre groupe de processus : ce qu'il
        laisse tourner (les `pilotage run` en arrière-plan) est arrêté avec ce groupe à la fin."""
        processus = subprocess.Popen(
            ["bash", "-euo", "pipefail", "-c", f"{self.reglages}\n{script}"], cwd=RACINE,
            env=self.env, stdin=subprocess.PIPE if entree else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        sortie, erreurs = processus.communicate(entree, timeout=120)
        if "nohup" in script:
            self.groupes.append(processus.pid)
        if processus.returncode:
            pytest.fail(f"échec ({processus.returncode}) de :\n{script}\n{sortie}{erreurs}",
                        pytrace=False)  # fmt: skip
        return sortie

    def bloc(self, nom: str, entree: str | None = None) -> str:
        """Exécute le bloc `nom` du README, tel quel."""
        return self.bash(self.blocs[nom], entree)

    def processus_restants(self) -> list[int]:
        """Les `pilotage run` encore vivants lancés par les blocs : de l'un de leurs groupes, et
        sur l'un de nos ports (un numéro de groupe libéré peut avoir été repris entre-temps)."""
        restants = []
        options = [f"--server.port\0{port}\0".encode() for port in self.ports]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                groupe = int(stat.read_text().rpartition(")")[2].split()[2])
                commande = (stat.parent / "cmdline").read_bytes()
            except (OSError, ValueError, IndexError):
                continue
            if groupe in self.groupes and any(option in commande for option in options):
                restants.append(int(stat.parent.name))
        return restants

    def amonts(self) -> list[tuple[str, str, str, str]]:
        """(requête, statut, processus, cookie de routage) de chaque ligne du journal de nginx."""
        lignes = self.journal.read_text(encoding="utf-8").splitlines()
        return [m.group("requete", "statut", "amont", "instance")
                for m in map(LIGNE_JOURNAL.search, lignes) if m]  # fmt: skip

    def statut_lot(self) -> str:
        sortie = self.bash(".venv/bin/pilotage lots")
        return next(li.split(";")[7] for li in sortie.splitlines() if li.startswith(f"{self.lot};"))


def _nginx_du_test(dossier: Path) -> tuple[Path, list[str]]:
    """Un nginx.conf qui, comme celui de Debian, inclut conf.d/*.conf ; renvoie le dossier des
    commandes `nginx` et `sudo` à mettre en tête du PATH, et la commande qui lance ce nginx."""
    try:
        commande = instance_locale(dossier)
    except FileNotFoundError:
        pytest.fail("nginx introuvable : lancez « bash scripts/test.sh », qui l'installe "
                    "(apt-get install nginx).", pytrace=False)  # fmt: skip
    bin_ = dossier.parent / "bin"
    bin_.mkdir()
    (bin_ / "nginx").write_text(f'#!/bin/sh\nexec {shlex.join(commande)} "$@"\n', encoding="utf-8")
    (bin_ / "sudo").write_text('#!/bin/sh\nexec "$@"\n', encoding="utf-8")
    for script in bin_.iterdir():
        script.chmod(0o755)
    return bin_, commande


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : lancez « bash scripts/test.sh ».",
                    pytrace=False)  # fmt: skip
    blocs = read_blocs((RACINE / "README.md").read_text(encoding="utf-8"))
    assert tuple(blocs) == BLOCS, "les blocs marqués du README ne sont pas ceux que suit le test"
    inst = Installation(tmp_path_factory.mktemp("production"), blocs)
    bin_, commande_nginx = _nginx_du_test(inst.dossier / "nginx")

    base, pg = f"pilotage_production_{uuid.uuid4().hex[:12]}", make_url(URL_PG)
    inst.reglages = adapter_reglages(blocs["reglages"], {
        "PILOTAGE_DATA_DIR": str(inst.dossier / "donnees"),
        "PILOTAGE_SAUVEGARDES": str(inst.dossier / "sauvegardes"),
        "PILOTAGE_PORTS": " ".join(map(str, inst.ports)),
        "PILOTAGE_NOM": NOM,
        "PILOTAGE_ECOUTE": f"127.0.0.1:{inst.port_nginx}",
        "PILOTAGE_NGINX_SITE": str(inst.dossier / "nginx" / "conf.d" / "pilotage.conf"),
        "PILOTAGE_NGINX_JOURNAL": str(inst.journal),
        "PGHOST": pg.host or "127.0.0.1", "PGPORT": str(pg.port or 5432),
        "PGUSER": pg.username or "postgres", "PGDATABASE": base,
    })  # fmt: skip
    inst.env = {k: v for k, v in os.environ.items() if not k.startswith(("PILOTAGE_", "PG"))}
    inst.env["PATH"] = f"{bin_}:{inst.env.get('PATH', '/usr/bin:/bin')}"
    admin = create_engine(URL_PG, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{base}"'))
    except OperationalError as exc:
        pytest.fail(f"PostgreSQL injoignable à {URL_PG} ({exc.orig}).", pytrace=False)
    nginx, sortie_nginx = None, (inst.dossier / "nginx" / "sortie.log").open("wb")
    try:
        # Le nginx « du système » : au premier plan, arrêté à la fin avec son groupe.
        nginx = subprocess.Popen(
            [*commande_nginx, "-g", "daemon off;"], stdout=sortie_nginx,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        _attendre(lambda: (inst.dossier / "nginx" / "nginx.pid").exists(), "nginx n'a pas démarré")
        inst.bloc("secrets", entree=f"{pg.password or 'sans-objet'}\n")
        inst.bloc("migrations")
        inst.bloc("comptes", entree=f"{MOT_DE_PASSE}\n")
        donnees = inst.dossier / "retours_2019T3.csv"
        donnees.write_text(DONNEES, encoding="utf-8")
        sortie = inst.bash(f".venv/bin/pilotage import {donnees} --auteur test-production")
        inst.lot = int(re.search(r"Lot (\d+) créé", sortie)[1])  # type: ignore[index]
        inst.bloc("demarrage")
        inst.bloc("nginx")
        sante = f"http://127.0.0.1:{inst.port_nginx}/_stcore/health"
        _attendre(lambda: _repond(sante, NOM), "nginx ne relaie pas vers les processus")
        yield inst
    finally:
        for pid in inst.processus_restants():
            os.kill(pid, signal.SIGTERM)
        if nginx is not None:
            os.killpg(nginx.pid, signal.SIGTERM)
            nginx.wait(timeout=20)
        sortie_nginx.close()
        for port in inst.ports:
            _attendre(lambda p=port: not _repond(f"http://127.0.0.1:{p}/_stcore/health"),
                      f"le processus du port {port} ne s'arrête pas")  # fmt: skip
        # DROP DATABASE attend que chaque session du serveur ait traité un signal ; une session
        # d'un autre programme en plein COPY FROM STDIN ne le traite qu'à la fin de sa copie.
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{base}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def contexte(pilote_playwright: Playwright) -> Iterator[BrowserContext]:
    """Un navigateur pour tout le module : les tests suivants gardent la connexion du premier."""
    navigateur = pilote_playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--disable-gpu", "--disable-background-networking", "--no-first-run",
              "--disable-component-update", "--disable-sync", "--no-sandbox",
              f"--host-resolver-rules=MAP {NOM} 127.0.0.1"],
    )  # fmt: skip
    ctx = navigateur.new_context(locale="fr-FR", viewport={"width": 1400, "height": 900})
    yield ctx
    ctx.close()
    navigateur.close()


@contextmanager
def _capture_si_echec(page: Page) -> Iterator[None]:
    """En cas d'échec, une capture d'écran dans var/e2e-echecs/ (comme pour tests/e2e)."""
    try:
        yield
    except AssertionError:
        (RACINE / "var" / "e2e-echecs").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=RACINE / "var" / "e2e-echecs" / "production.png", full_page=True)
        raise


def _synthese(contexte: BrowserContext, installation: Installation) -> Page:
    """La Synthèse à travers nginx, connectée par le cookie de connexion s'il est là (sinon par
    le formulaire), montrant le chiffre importé."""
    page = contexte.new_page()
    with _capture_si_echec(page):
        page.goto(f"{installation.url}/")
        if not any(c["name"] == NOM_COOKIE for c in contexte.cookies()):
            attendre(page)
            se_connecter(page, "admin", MOT_DE_PASSE)
        expect(page.get_by_role("heading", name="Synthèse")).to_be_visible()
        expect(page.get_by_text("777", exact=True).first).to_be_visible()
    return page


def _cookie_routage(contexte: BrowserContext) -> str:
    return next(c["value"] for c in contexte.cookies() if c["name"] == "pilotage_instance")


def test_connexion_a_travers_nginx_puis_carte_et_telechargement(
    installation: Installation, contexte: BrowserContext
) -> None:
    page = contexte.new_page()
    with _capture_si_echec(page):
        page.goto(f"{installation.url}{CARTE}")
        attendre(page)
        se_connecter(page, "admin", MOT_DE_PASSE)
        expect(page.get_by_role("heading", name="Carte des cantons")).to_be_visible()
        attendre(page)
        # L'export est servi par /media/, depuis la mémoire du processus de la session.
        with page.expect_download() as telechargement:
            page.get_by_role("button", name="Télécharger le tableau (CSV)").click()
    texte = Path(telechargement.value.path()).read_text(encoding="utf-8-sig")
    [haguenau] = [li for li in csv.reader(io.StringIO(texte), delimiter=";") if li[0] == "Haguenau"]
    assert haguenau[3] == "777"
    page.close()
    # Toutes les requêtes de ce navigateur (connexion, page, websocket, téléchargement) sont
    # allées à un seul processus ; son websocket, fermé avec la page, est passé par nginx (101 :
    # changement de protocole, journalisé à la fermeture).
    cookie = _cookie_routage(contexte)
    servi_par = {amont for _, _, amont, instance in installation.amonts() if instance == cookie}
    assert len(servi_par) == 1, servi_par
    _attendre(lambda: any(r.startswith("GET /_stcore/stream ") and s == "101" and i == cookie
                          for r, s, _, i in installation.amonts()),
              "aucun websocket n'est passé par nginx", delai=10)  # fmt: skip


def test_deux_processus_et_routage_collant_par_cookie(
    installation: Installation, contexte: BrowserContext
) -> None:
    attendus = {f"127.0.0.1:{port}" for port in installation.ports}
    for port in installation.ports:
        assert _repond(f"http://127.0.0.1:{port}/_stcore/health")
    sante = f"http://127.0.0.1:{installation.port_nginx}/_stcore/health"
    for _ in range(2):
        for i in range(16):
            assert _repond(sante, NOM, cookie=f"sonde-{i}")
    routage: dict[str, set[str]] = {}
    for _, _, amont, instance in installation.amonts():
        routage.setdefault(instance, set()).add(amont)
    sondes = {f"sonde-{i}": routage[f"sonde-{i}"] for i in range(16)}
    assert all(len(amonts) == 1 for amonts in sondes.values()), sondes
    assert set().union(*sondes.values()) == attendus

    # Ce navigateur, envoyé vers l'autre processus, y est connecté sans formulaire : le cookie
    # de connexion est signé par la même clé pour tous les processus.
    _synthese(contexte, installation).close()
    cookie = _cookie_routage(contexte)
    actuel = {amont for _, _, amont, instance in installation.amonts() if instance == cookie}
    assert len(actuel) == 1, actuel
    autre = next(sonde for sonde, amonts in sondes.items() if amonts != actuel)
    contexte.add_cookies([{"name": "pilotage_instance", "value": autre, "url": installation.url}])
    _synthese(contexte, installation).close()
    assert {a for _, _, a, i in installation.amonts() if i == autre} == sondes[autre]


def test_sauvegarde_restauration_et_redemarrage_sans_perdre_la_connexion(
    installation: Installation, contexte: BrowserContext
) -> None:
    installation.bloc("sauvegarde")
    sauvegardes = installation.dossier / "sauvegardes"
    assert len(list(sauvegardes.glob("pilotage-*.dump"))) == 1
    assert len(list(sauvegardes.glob("utilisateurs-*.yaml"))) == 1
    installation.bash(f".venv/bin/pilotage annuler {installation.lot} --auteur test-production")
    assert installation.statut_lot() == "annule"

    installation.bloc("arret")
    for port in installation.ports:
        assert not _repond(f"http://127.0.0.1:{port}/_stcore/health")
    installation.bloc("restauration")
    installation.bloc("demarrage")
    assert installation.statut_lot() == "valide"
    _synthese(contexte, installation).close()  # la valeur du lot est revenue

    installation.bloc("redemarrage")
    _synthese(contexte, installation).close()
