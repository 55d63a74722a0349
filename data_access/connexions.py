"""Verrouillage après échecs de connexion, gardé en base pour survivre à un redémarrage.

Règle : cinq échecs pour un même identifiant en moins de quinze minutes le verrouillent quinze
minutes à compter du cinquième. Pendant le verrou, le mot de passe n'est pas vérifié et la
tentative n'est pas notée : elle ne prolonge rien (sans quoi quiconque connaît un identifiant
pourrait le tenir verrouillé indéfiniment). Le verrou se lit donc sur les cinq derniers échecs
seulement. Une connexion réussie efface les échecs de l'identifiant.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, insert, select

from data_access import schema

ECHECS_MAX = 5
FENETRE = timedelta(minutes=15)
DUREE_VERROU = timedelta(minutes=15)


def _maintenant() -> datetime:
    return datetime.now(UTC)


def _utc(quand: datetime) -> datetime:
    """SQLite rend des dates sans fuseau (écrites en UTC) ; PostgreSQL, avec."""
    return quand if quand.tzinfo else quand.replace(tzinfo=UTC)


def record_echec(conn: Connection, *, identifiant: str, quand: datetime | None = None) -> None:
    """Note un échec de connexion pour cet identifiant (jamais pendant un verrou)."""
    conn.execute(
        insert(schema.echec_connexion).values(
            identifiant=identifiant.strip().lower(), quand=quand or _maintenant()
        )
    )


def read_fin_verrou(conn: Connection, *, identifiant: str) -> datetime | None:
    """La fin du dernier verrou de l'identifiant (passée ou à venir), ou None s'il n'en a pas :
    ses `ECHECS_MAX` derniers échecs tiennent en moins de `FENETRE`, et le verrou court
    `DUREE_VERROU` après le plus récent. Un échec noté après la fin d'un verrou le fait oublier
    (les cinq derniers échecs ne tiennent plus dans la fenêtre)."""
    e = schema.echec_connexion
    derniers = [
        _utc(q)
        for q in conn.execute(
            select(e.c.quand)
            .where(e.c.identifiant == identifiant.strip().lower())
            .order_by(e.c.quand.desc())
            .limit(ECHECS_MAX)
        ).scalars()
    ]
    if len(derniers) < ECHECS_MAX or derniers[0] - derniers[-1] >= FENETRE:
        return None
    return derniers[0] + DUREE_VERROU


def est_verrouille(
    conn: Connection, *, identifiant: str, maintenant: datetime | None = None
) -> bool:
    """Vrai si l'identifiant est verrouillé en ce moment."""
    fin = read_fin_verrou(conn, identifiant=identifiant)
    return fin is not None and (maintenant or _maintenant()) < fin


def reset_echecs(conn: Connection, *, identifiant: str) -> None:
    """Efface les échecs d'un identifiant après une connexion réussie."""
    e = schema.echec_connexion
    conn.execute(delete(e).where(e.c.identifiant == identifiant.strip().lower()))
