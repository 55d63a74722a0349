"""Mois publiés et contenu figé de leurs éditions.

Une fois un tableau de bord diffusé, ses chiffres ne changent plus : la table `publication` dit qui
a publié quel mois et quand (l'import s'en sert pour exiger une correction explicite avant de
toucher un mois publié), la table `edition` garde le contenu publié, en JSON, pour le département et
chaque territoire d'action. Ce module n'interprète pas ce contenu
(`dashboard.tableau_de_bord.contenu` le fait) : il l'écrit une fois et le relit. L'appelant tient la
transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select

from data_access import droits, schema
from data_access.droits import Acteur, Droit
from data_access.periodes import Mois


@dataclass(frozen=True)
class MoisPublie:
    """Une édition publiée : le mois, quand et par qui."""

    mois: str
    publie_le: datetime
    publie_par: str


def read_mois_publies(conn: Connection) -> set[str]:
    """Les mois publiés, en `AAAA-MM`."""
    return {str(m) for m in conn.execute(select(schema.publication.c.mois)).scalars()}


def read_publications(conn: Connection) -> list[MoisPublie]:
    """Les éditions publiées, de la plus récente à la plus ancienne."""
    p = schema.publication
    requete = select(p.c.mois, p.c.publie_le, p.c.publie_par).order_by(p.c.mois.desc())
    return [MoisPublie(str(m), _utc(q), str(par)) for m, q, par in conn.execute(requete)]


def _utc(quand: datetime) -> datetime:
    """SQLite rend des dates naïves (écrites en UTC) : on leur rend leur fuseau."""
    return quand if quand.tzinfo else quand.replace(tzinfo=UTC)


def publish(
    conn: Connection, *, mois: str, acteur: Acteur, contenus: Mapping[str, str] | None = None,
    quand: datetime | None = None,
) -> bool:  # fmt: skip
    """Publie `mois` (AAAA-MM) avec le contenu figé de chaque territoire (`contenus`), signé
    de l'identifiant de `acteur`.

    Republier un mois déjà publié ne change rien et rend False (la première publication reste) ;
    rend True sinon. Lève PeriodeInvalide si `mois` n'est pas un mois, DroitRefuse si `acteur`
    ne peut pas publier.
    """
    droits.exiger(acteur, Droit.PUBLIER)
    code = str(Mois.parse(mois))
    if code in read_mois_publies(conn):
        return False
    conn.execute(
        insert(schema.publication).values(
            mois=code, publie_le=quand or datetime.now(UTC), publie_par=acteur.identifiant
        )
    )
    if contenus:
        conn.execute(
            insert(schema.edition),
            [{"mois": code, "territoire": t, "contenu": c} for t, c in contenus.items()],
        )
    return True


def read_edition(conn: Connection, *, mois: str, territoire: str) -> str | None:
    """Le contenu publié (JSON) d'un mois pour un territoire, ou None s'il n'y en a pas."""
    e = schema.edition
    requete = select(e.c.contenu).where(
        (e.c.mois == str(Mois.parse(mois))) & (e.c.territoire == territoire)
    )
    return conn.execute(requete).scalar_one_or_none()
