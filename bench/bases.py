"""Bases jetables des bancs : un fichier SQLite temporaire ou un schéma PostgreSQL détruit après.

Les bancs se lancent depuis la racine du dépôt (`.venv/bin/python bench/….py`) ; ce module est
importé à côté d'eux.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

from dashboard import utilisateurs
from data_access import demo, droits

URL_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def base_vide(postgresql: str | None = None) -> Iterator[str]:
    """URL d'une base vide : SQLite temporaire, ou schéma PostgreSQL neuf si `postgresql`."""
    if not postgresql:
        with tempfile.TemporaryDirectory() as dossier:
            yield f"sqlite:///{Path(dossier) / 'bench.db'}"
        return
    nom = f"pilotage_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgresql, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{nom}"'))
    try:
        url = make_url(postgresql).update_query_dict({"options": f"-csearch_path={nom}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{nom}" CASCADE'))
        admin.dispose()


def preparer_app(dossier: Path) -> str:
    """Base de démonstration et comptes dans `dossier`, environnement pointé dessus (AppTest)."""
    url = f"sqlite:///{dossier / 'pilotage.db'}"
    demo.create_base(url)
    utilisateurs.add_comptes_demo(
        dossier / "utilisateurs.yaml", acteur=droits.administrateur_local("bench")
    )
    os.environ.update(PILOTAGE_DATA_DIR=str(dossier), PILOTAGE_DATABASE_URL=url, PILOTAGE_DEMO="1")
    os.environ.pop("PILOTAGE_USERS_FILE", None)
    return url


def lancer(mesurer: Callable[[str, int], None], description: str, repetitions: int) -> None:
    """Ligne de commande commune des bancs d'accès aux données : SQLite par défaut,
    `--postgresql [URL]` pour un schéma jetable, `--repetitions N`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--postgresql", nargs="?", const=URL_PG,
                        help="PostgreSQL (schéma jetable) au lieu de SQLite")  # fmt: skip
    parser.add_argument("--repetitions", type=int, default=repetitions)
    args = parser.parse_args()
    with base_vide(args.postgresql) as url:
        mesurer(url, args.repetitions)


def chronometrer_appels(
    conn: Connection, appels: dict[str, Callable[[Connection], object]], repetitions: int,
    objectif_ms: float,
) -> None:  # fmt: skip
    """Imprime la médiane et le maximum de chaque appel (après un appel d'échauffement : cache
    du serveur, plans de requête), face à l'objectif."""
    print(f"{'appel':<46} {'médiane':>9} {'max':>9}  objectif {objectif_ms:.0f} ms")
    for nom, appel in appels.items():
        appel(conn)
        temps = []
        for _ in range(repetitions):
            t0 = time.perf_counter()
            appel(conn)
            temps.append((time.perf_counter() - t0) * 1000)
        med = statistics.median(temps)
        verdict = "ok" if med <= objectif_ms else "TROP LENT"
        print(f"{nom:<46} {med:>7.1f}ms {max(temps):>7.1f}ms  {verdict}")


def session_ouverte(identifiant: str) -> str:
    """Le jeton d'une session ouverte en base pour ce compte (réglages de l'environnement), à
    poser dans `st.session_state[auth.CLE_SESSION]` d'un AppTest déjà connecté : la page vérifie
    la session en base à chaque exécution."""
    from config.settings import read_settings
    from dashboard import auth, utilisateurs
    from data_access import engine

    settings = read_settings()
    hache = utilisateurs.read_comptes(settings.users_file)["usernames"][identifiant]["password"]
    moteur = engine.create(settings.database_url)
    try:
        return auth.ouvrir_session(moteur, identifiant, str(hache))
    finally:
        moteur.dispose()
