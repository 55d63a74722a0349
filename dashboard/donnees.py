"""Accès aux données depuis Streamlit : un moteur partagé, des lectures mises en cache.

Les arguments des fonctions en cache sont des chaînes, pour des clés stables et bon marché ; la
couche `data_access` ne sait rien de Streamlit.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from config.settings import read_settings
from dashboard import synthese
from data_access import engine as moteur
from data_access import indicateurs, lots, progression


@st.cache_resource
def engine() -> Engine:
    """Le moteur SQLAlchemy de l'application, un par processus."""
    return moteur.create(read_settings().database_url)


@st.cache_data(ttl="10m", max_entries=16, show_spinner=False)
def etat_donnees() -> tuple[str | None, bool]:
    """Dernier mois avec des données et présence de données de démonstration."""
    with engine().connect() as conn:
        return lots.read_etat_donnees(conn)


@st.cache_data(ttl="10m", max_entries=256, show_spinner=False)
def progression_indicateur(indicateur: str, territoire: str, mois: str) -> pd.DataFrame:
    """Progression d'un indicateur vers ses cibles (voir `data_access.progression`)."""
    with engine().connect() as conn:
        return progression.read_progression(
            conn, indicateur=indicateur, territoire=territoire, mois=mois
        )


@st.cache_data(ttl="10m", max_entries=16, show_spinner=False)
def libelles_indicateurs() -> dict[str, str]:
    """Libellé de chaque indicateur, par code."""
    with engine().connect() as conn:
        referentiel = indicateurs.read_referentiel(conn)
    return dict(zip(referentiel["code"], referentiel["libelle"], strict=True))


def progressions_phares(mois: str) -> pd.DataFrame:
    """Progression des indicateurs phares de la synthèse, pour le département."""
    return pd.concat(
        [progression_indicateur(code, "67", mois) for code in synthese.INDICATEURS_PHARES],
        ignore_index=True,
    )
