"""Écritures idempotentes : insérer ou mettre à jour par clé naturelle, sur SQLite et PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, delete, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite


def upsert(
    conn: Connection, table: Table, lignes: Sequence[dict[str, Any]], cles: Sequence[str]
) -> int:
    """Insère `lignes`, ou met à jour celles dont la clé existe ; renvoie le nombre de lignes.

    Les deux dialectes savent faire `INSERT … ON CONFLICT DO UPDATE` ; on choisit l'insert du
    dialecte une fois ici, pour que le reste du code n'ait pas à le savoir.
    """
    if not lignes:
        return 0
    dialecte = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialecte.insert(table)
    colonnes = [c for c in lignes[0] if c not in cles]
    if colonnes:
        stmt = stmt.on_conflict_do_update(
            index_elements=list(cles), set_={c: stmt.excluded[c] for c in colonnes}
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(cles))
    conn.execute(stmt, list(lignes))
    return len(lignes)


def delete_absentes(
    conn: Connection,
    table: Table,
    lignes: Sequence[dict[str, Any]],
    cles: Sequence[str],
    filtre: ColumnElement[bool] | None = None,
) -> int:
    """Supprime les lignes de `table` (restreintes à `filtre`) dont la clé n'est plus dans `lignes`.

    Sert au référentiel : une ligne retirée d'un fichier de `config/` disparaît de la base.
    """
    colonnes = [table.c[c] for c in cles]
    requete = select(*colonnes) if filtre is None else select(*colonnes).where(filtre)
    presentes = {tuple(ligne[c] for c in cles) for ligne in lignes}
    absentes = {tuple(r) for r in conn.execute(requete)} - presentes
    if absentes:
        conn.execute(delete(table).where(tuple_(*colonnes).in_(list(absentes))))
    return len(absentes)
