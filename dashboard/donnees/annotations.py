"""Lectures en cache des événements datés (annotations des courbes), et leur écriture.

Mêmes règles que `dashboard.donnees.lectures`, dont on reprend le moteur : arguments primitifs pour
des clés de cache stables. Une écriture passe par ici et vide le cache des événements, pour que la
courbe et la liste les montrent aussitôt.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard.donnees.lectures import engine
from data_access import annotations as stockage
from data_access.droits import Acteur


@st.cache_data(ttl="10m", max_entries=256, show_spinner=False)
def evenements(indicateur: str, territoires: tuple[str, ...]) -> pd.DataFrame:
    """Les événements d'un indicateur qui s'appliquent à la vue de ces territoires (un seul, ou
    les cantons d'une zone de la carte), par mois croissant."""
    with engine().connect() as conn:
        return stockage.read_annotations(conn, indicateur=indicateur, territoire=list(territoires))


def add(
    *,
    mois: str,
    type_: str,
    libelle: str,
    indicateurs: Sequence[str] | None,
    territoire: str | None,
    acteur: Acteur,
) -> int:
    """Enregistre un événement (lève `AnnotationInvalide`, `DroitRefuse`) et vide le cache des
    événements."""
    with engine().begin() as conn:
        nouveau = stockage.add_annotation(
            conn, mois=mois, type=type_, libelle=libelle, indicateurs=indicateurs,
            territoire=territoire, acteur=acteur,
        )  # fmt: skip
    evenements.clear()
    return nouveau


def delete(annotation: int, *, acteur: Acteur) -> None:
    """Supprime un événement (lève `AnnotationInvalide`, `DroitRefuse`) et vide le cache des
    événements."""
    with engine().begin() as conn:
        stockage.delete_annotation(conn, annotation, acteur=acteur)
    evenements.clear()
