"""Verrouillage après échecs de connexion, gardé en base pour survivre à un redémarrage.

Règle : cinq échecs pour un même identifiant en quinze minutes le verrouillent quinze minutes
(tant que cinq échecs restent dans la fenêtre glissante). Une connexion réussie efface ses échecs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select

from data_access import schema

ECHECS_MAX = 5
FENETRE = timedelta(minutes=15)


def _maintenant() -> datetime:
    return datetime.now(UTC)


def record_echec(conn: Connection, *, identifiant: str, quand: datetime | None = None) -> None:
    """Note un échec de connexion pour cet identifiant."""
    conn.execute(
        insert(schema.echec_connexion).values(
            identifiant=identifiant.strip().lower(), quand=quand or _maintenant()
        )
    )


def est_verrouille(
    conn: Connection, *, identifiant: str, maintenant: datetime | None = None
) -> bool:
    """Vrai si l'identifiant a atteint le nombre d'échecs permis dans la fenêtre."""
    e = schema.echec_connexion
    depuis = (maintenant or _maintenant()) - FENETRE
    nombre = conn.execute(
        select(func.count()).where(
            e.c.identifiant == identifiant.strip().lower(), e.c.quand >= depuis
        )
    ).scalar_one()
    return int(nombre) >= ECHECS_MAX


def reset_echecs(conn: Connection, *, identifiant: str) -> None:
    """Efface les échecs d'un identifiant après une connexion réussie."""
    e = schema.echec_connexion
    conn.execute(delete(e).where(e.c.identifiant == identifiant.strip().lower()))
