"""Lectures de l'arbre des territoires : département → territoires d'action → cantons → communes."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, select

from data_access import schema
from data_access.cadres import en_cadre

DEPARTEMENT = "67"

COLONNES_TERRITOIRES = {
    "code": "string",
    "libelle": "string",
    "niveau": "string",
    "parent": "string",
    "population": "Int64",
    "zone_carte": "string",
    "note": "string",
}


def read_territoires(conn: Connection, *, niveaux: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Territoires (hors communes par défaut, qui ne servent qu'à la géographie)."""
    t = schema.territoire
    niveaux = niveaux or ("departement", "territoire_action", "canton")
    requete = (
        select(t.c.code, t.c.libelle, t.c.niveau, t.c.parent, t.c.population, t.c.zone_carte,
               t.c.note)
        .where(t.c.niveau.in_(niveaux))
        .order_by(t.c.code)
    )  # fmt: skip
    return en_cadre(conn.execute(requete), COLONNES_TERRITOIRES)


def cantons_de(territoires: pd.DataFrame, code: str) -> list[str]:
    """Codes des cantons situés sous `code` (lui-même si c'est un canton)."""
    parents = dict(zip(territoires["code"], territoires["parent"], strict=True))
    niveaux = dict(zip(territoires["code"], territoires["niveau"], strict=True))

    def sous(canton: str) -> bool:
        courant: str | None = canton
        while courant is not None and not pd.isna(courant):
            if courant == code:
                return True
            courant = parents.get(courant)
        return False

    return sorted(c for c, n in niveaux.items() if n == "canton" and sous(c))
