"""Mois publiés : une fois un tableau de bord diffusé, ses chiffres ne changent plus en silence.

Version minimale (l'import en a besoin pour sa règle « mois publié ») : publier un mois et lire
les mois publiés. L'appelant tient la transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select

from data_access import schema
from data_access.periodes import Mois


def read_mois_publies(conn: Connection) -> set[str]:
    """Les mois publiés, en `AAAA-MM`."""
    return {str(m) for m in conn.execute(select(schema.publication.c.mois)).scalars()}


def publish(conn: Connection, *, mois: str, par: str) -> None:
    """Publie `mois` (AAAA-MM) ; republier un mois déjà publié garde la première publication.

    Lève PeriodeInvalide si `mois` n'est pas un mois.
    """
    code = str(Mois.parse(mois))
    if code in read_mois_publies(conn):
        return
    conn.execute(
        insert(schema.publication).values(mois=code, publie_le=datetime.now(UTC), publie_par=par)
    )
