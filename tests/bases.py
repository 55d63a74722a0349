"""Bases de test : un fichier SQLite temporaire, ou un schéma PostgreSQL jetable par usage.

Le serveur PostgreSQL survit aux tests : chaque base de test y est un schéma au nom unique, détruit
à la fin. Si le serveur est injoignable, le test échoue (jamais d'évitement silencieux) : la
couche de données doit être prouvée sur les deux bases.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from data_access import schema

URL_PG = os.environ.get("PILOTAGE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


@contextmanager
def schema_pg() -> Iterator[str]:
    """Un schéma PostgreSQL neuf ; renvoie l'URL qui y place les tables, le détruit à la sortie."""
    nom = f"pilotage_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(URL_PG, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{nom}"'))
    except OperationalError as exc:
        pytest.fail(
            f"PostgreSQL injoignable à {URL_PG} ({exc.orig}). Démarrez-le : "
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
            pytrace=False,
        )
    url = make_url(URL_PG).update_query_dict({"options": f"-csearch_path={nom}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{nom}" CASCADE'))
        admin.dispose()


@contextmanager
def base_vide(backend: str, dossier: Path) -> Iterator[str]:
    """URL d'une base vide du type demandé."""
    if backend == "sqlite":
        yield f"sqlite:///{dossier / 'pilotage.db'}"
    else:
        with schema_pg() as url:
            yield url


def empreinte_base(conn: Connection) -> dict[str, tuple[int, str]]:
    """Pour chaque table du schéma : son nombre de lignes et le SHA-256 de toutes ses lignes.
    Deux empreintes égales : une opération refusée n'a rien écrit, nulle part."""
    resultat = {}
    for table in schema.metadata.sorted_tables:
        ordre = list(table.primary_key.columns) or list(table.columns)
        lignes = conn.execute(select(table).order_by(*ordre)).all()
        compte = conn.execute(select(func.count()).select_from(table)).scalar_one()
        resultat[table.name] = (compte, hashlib.sha256(repr(lignes).encode()).hexdigest())
    return resultat


# Tables que les révisions d'après la version 2 (0003 : sessions, 0004 : état d'avant des moyens)
# ajoutent : une base « faite par la version 2 » ne les a pas. Une révision qui ajoute une table
# l'ajoute ici, sinon les tests qui imitent une base d'avant Alembic échouent (table déjà là).
TABLES_APRES_VERSION_2 = ("session_connexion", "ressource_precedente")


def comme_avant_alembic(conn: Connection) -> None:
    """Ramène une base faite par la version en cours à ce qu'aurait fait la version 2 : sans
    `alembic_version` ni les tables des révisions suivantes (les colonnes propres à la version 2
    restent : à chaque test de retirer ce qui est antérieur)."""
    conn.execute(text("DROP TABLE alembic_version"))
    for table in TABLES_APRES_VERSION_2:
        conn.execute(text(f"DROP TABLE {table}"))
