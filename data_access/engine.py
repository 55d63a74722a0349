"""Création du moteur SQLAlchemy, la même pour SQLite (défaut) et PostgreSQL (production)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

WORK_MEM_PG = "32MB"


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
    # work_mem : l'agrégation des cantons par territoire d'action de `progression` groupe
    # jusqu'à 300 000 valeurs (un département de 27 cantons × 150 indicateurs × 120 mois, à
    # l'échelle de la France) ; avec les 4 Mo par défaut, PostgreSQL trie sur disque (0,6 s),
    # avec 32 Mo il agrège en mémoire (0,2 s). Réglé par connexion : c'est un besoin de nos
    # requêtes, pas un réglage du serveur à demander à l'exploitant (bench/NOTES_ECHELLE.md).
    # Ajouté aux `options` de l'adresse (qui peuvent déjà porter un search_path), sans les
    # remplacer ; un work_mem déjà donné dans l'adresse l'emporte.
    options = str(parsed.query.get("options", ""))
    if "work_mem" not in options:
        options = f"{options} -c work_mem={WORK_MEM_PG}".strip()
        parsed = parsed.update_query_dict({"options": options})
    return create_engine(parsed, pool_pre_ping=True)
