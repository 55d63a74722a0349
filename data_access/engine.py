"""Création du moteur SQLAlchemy, la même pour SQLite (défaut) et PostgreSQL (production)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url


def _setup_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Réglages de chaque connexion SQLite.

    - foreign_keys : SQLite n'applique pas les clés étrangères sans cette consigne ;
    - journal_mode WAL : les lectures de l'application ne bloquent pas un import en cours ;
    - busy_timeout : un écrivain concurrent fait attendre au lieu d'échouer aussitôt.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create(url: str) -> Engine:
    """Moteur pour `url` ; crée le dossier d'un fichier SQLite au premier lancement."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _setup_sqlite)
        return engine
    return create_engine(parsed, pool_pre_ping=True)
