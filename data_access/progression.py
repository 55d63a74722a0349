"""Progression d'un indicateur vers ses cibles, pour un territoire et une date."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, select

from config.settings import Seuils, read_seuils
from data_access import periodes, schema, series, trajectoire
from data_access.cadres import en_cadre

COLONNES_PROGRESSION = {
    "indicateur": "string",
    "territoire": "string",
    "periode_cible": "string",
    "libelle_cible": "string",
    "cible": "float64",
    "reel": "float64",
    "attendu": "float64",
    "part_ecoulee": "float64",
    "donnees_au": "string",
    "statut": "string",
    "en_cours": "bool",
    "source": "string",
    "derive": "bool",
    "lien": "string",
}


def read_progression(
    conn: Connection,
    *,
    indicateur: str,
    territoire: str,
    mois: str,
    seuils: Seuils | None = None,
) -> pd.DataFrame:
    """Une ligne par cible de l'indicateur pour ce territoire, commencée à la date `mois`.

    `en_cours` marque la cible dont la plage contient la date ; les cibles échues sont évaluées à
    leur fin. Deux cibles concurrentes (10 000 du §3.1 et 11 199 du §4) donnent deux lignes.
    """
    seuils = seuils or read_seuils()
    date = periodes.Mois.parse(mois)
    fiche = conn.execute(
        select(schema.indicateur.c.nature, schema.indicateur.c.polarite).where(
            schema.indicateur.c.code == indicateur
        )
    ).first()
    if fiche is None:
        raise series.IndicateurInconnu(f"indicateur inconnu : {indicateur}")
    c = schema.cible
    cibles = conn.execute(
        select(c)
        .where(c.c.indicateur == indicateur, c.c.territoire == territoire, c.c.debut <= mois)
        .order_by(c.c.debut, c.c.fin, c.c.source)
    ).mappings().all()  # fmt: skip
    serie = series.read_serie(conn, indicateur=indicateur, territoire=territoire)
    lignes = []
    for ci in cibles:
        plage = periodes.parse_plage(ci["periode"])
        ev = trajectoire.evaluer(
            serie, nature=fiche.nature, polarite=fiche.polarite, cible=ci["valeur"], plage=plage,
            mois=date, seuils=seuils,
        )  # fmt: skip
        lignes.append(
            (indicateur, territoire, ci["periode"], ci["libelle"], ev.cible, ev.reel, ev.attendu,
             ev.part_ecoulee, ev.donnees_au, ev.statut.value, plage.debut <= date <= plage.fin,
             ci["source"], ci["derive"], ci["lien"])
        )  # fmt: skip
    return en_cadre(lignes, COLONNES_PROGRESSION)
