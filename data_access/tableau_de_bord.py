"""Ce que la base dit du tableau de bord d'un mois, lu en une étape et rendu en valeurs simples.

Le tableau de bord (`dashboard.tableau_de_bord.contenu`) se construit ensuite sans base ni
cache : ses lectures sont toutes ici, pour que la construction se teste sur des valeurs et que
l'application puisse fournir celles qu'elle a déjà en cache (les progressions du mois, lues aussi
par les pages Synthèse et Objectifs). L'appelant tient la connexion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from data_access import commentaires, periodes, plan, progression, publications
from data_access.annotations import read_annotations
from data_access.territoires import read_territoires

MOIS_COURBE = 24
"""Les courbes du tableau de bord montrent les 24 derniers mois."""


@dataclass(frozen=True)
class LectureTableau:
    """Les lectures d'un tableau de bord : un mois, un territoire, dans un périmètre.

    `edition_precedente` : le contenu publié du mois d'avant (JSON), s'il l'est ; sinon
    `progressions_precedentes` donne les statuts du mois d'avant. `commentaires` : ceux du mois
    pour ce seul territoire (par indicateur), jamais ceux d'un autre.
    """

    mois: str
    territoire: str
    progressions: pd.DataFrame
    edition_precedente: str | None
    progressions_precedentes: pd.DataFrame | None
    arbre: pd.DataFrame
    commentaires: dict[str, dict[str, Any]]
    territoires: pd.DataFrame
    evenements_mois: pd.DataFrame
    evenements_courbes: pd.DataFrame
    series: pd.DataFrame
    debut_courbes: str


@dataclass(frozen=True)
class LectureSection4:
    """Le tableau du §4 lu : progressions par territoire d'action et libellés des territoires."""

    progressions: pd.DataFrame
    libelles: dict[str, str]


def _progressions(
    conn: Connection, territoire: str, mois: str, perimetre: str | None
) -> pd.DataFrame:
    return progression.read_progressions(
        conn, indicateurs=None, territoire=territoire, mois=mois, perimetre=perimetre
    )


def read_tableau(
    conn: Connection,
    *,
    mois: str,
    territoire: str,
    indicateurs_courbes: Sequence[str],
    perimetre: str | None = None,
    progressions: pd.DataFrame | None = None,
) -> LectureTableau:
    """Tout ce que le tableau de bord de `mois` pour `territoire` lit dans la base.

    `progressions` : celles du mois déjà lues (l'application passe sa lecture en cache) ; sinon
    lues ici, tous indicateurs, dans le périmètre. `indicateurs_courbes` : les indicateurs dont
    on trace les 24 derniers mois. Hors du périmètre, lève HorsPerimetre.
    """
    code_mois = str(periodes.Mois.parse(mois))
    avant = str(periodes.Mois.parse(code_mois).decale(-1))
    debut = str(periodes.Mois.parse(code_mois).decale(1 - MOIS_COURBE))
    if progressions is None:
        progressions = _progressions(conn, territoire, code_mois, perimetre)
    precedente = publications.read_edition(conn, mois=avant, territoire=territoire)
    return LectureTableau(
        mois=code_mois,
        territoire=territoire,
        progressions=progressions,
        edition_precedente=precedente,
        progressions_precedentes=(
            _progressions(conn, territoire, avant, perimetre) if precedente is None else None
        ),
        arbre=plan.read_arbre(conn, racines=("finalite",)),
        commentaires=commentaires.read_commentaires(conn, mois=code_mois, territoire=territoire),
        territoires=read_territoires(conn),
        evenements_mois=read_annotations(
            conn, territoire=territoire, debut=code_mois, fin=code_mois
        ),
        evenements_courbes=read_annotations(
            conn, territoire=territoire, debut=debut, fin=code_mois
        ),
        series=progression.read_series(
            conn,
            indicateurs=list(indicateurs_courbes),
            territoire=territoire,
            perimetre=perimetre,
        ),  # fmt: skip
        debut_courbes=debut,
    )


def read_section4(
    conn: Connection,
    *,
    mois: str,
    indicateurs: Sequence[str],
    territoires: Sequence[str],
    perimetre: str | None = None,
) -> LectureSection4:
    """Le tableau du §4 (territoires d'action et total) au mois, et les noms des territoires."""
    cadre = progression.read_progressions_territoires(
        conn, indicateurs=indicateurs, territoires=territoires, mois=mois, perimetre=perimetre
    )
    noms = read_territoires(conn)
    return LectureSection4(cadre, dict(zip(noms["code"], noms["libelle"], strict=True)))
