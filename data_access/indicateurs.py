"""Lectures du référentiel d'indicateurs et de cibles, en DataFrames au format déclaré."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, case, select

from data_access import schema
from data_access.cadres import en_cadre

COLONNES_REFERENTIEL = {
    "code": "string",
    "libelle": "string",
    "niveau": "string",
    "nature": "string",
    "unite": "string",
    "periodicite": "string",
    "polarite": "string",
    "prioritaire": "string",
    "source": "string",
}

COLONNES_CIBLES = {
    "indicateur": "string",
    "territoire": "string",
    "periode": "string",
    "valeur": "float64",
    "source": "string",
    "derive": "string",
}


def read_referentiel(conn: Connection) -> pd.DataFrame:
    """Indicateurs dans l'ordre des plans ; `prioritaire` en oui/non comme dans les fichiers."""
    i = schema.indicateur
    requete = select(
        i.c.code,
        i.c.libelle,
        i.c.niveau,
        i.c.nature,
        i.c.unite,
        i.c.periodicite,
        i.c.polarite,
        case((i.c.prioritaire, "oui"), else_="non").label("prioritaire"),
        i.c.source,
    ).order_by(i.c.rang)
    return en_cadre(conn.execute(requete), COLONNES_REFERENTIEL)


def read_cibles(conn: Connection) -> pd.DataFrame:
    """Toutes les cibles, chacune avec sa source et son statut de dérivation (oui/non)."""
    c = schema.cible
    requete = select(
        c.c.indicateur,
        c.c.territoire,
        c.c.periode,
        c.c.valeur,
        c.c.source,
        case((c.c.derive, "oui"), else_="non").label("derive"),
    ).order_by(c.c.indicateur, c.c.territoire, c.c.periode, c.c.source)
    return en_cadre(conn.execute(requete), COLONNES_CIBLES)


def read_indicateur(conn: Connection, code: str) -> dict[str, object] | None:
    """La fiche d'un indicateur (toutes ses métadonnées), ou None s'il n'existe pas."""
    ligne = conn.execute(select(schema.indicateur).where(schema.indicateur.c.code == code)).first()
    return dict(ligne._mapping) if ligne else None
