"""Lectures en cache de la page « Moyens et résultats ».

Mêmes règles que `dashboard.donnees.lectures`, dont on reprend le moteur : arguments primitifs
(entiers, chaînes, tuples) pour des clés de cache stables et bon marché ; le périmètre de
l'utilisateur fait partie de la clé, pour qu'une lecture permise à l'un ne soit jamais servie à un
autre. Un module à part pour ne pas toucher `donnees.py`, que d'autres pages font évoluer.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.donnees.lectures import engine
from data_access import moyens


@st.cache_data(ttl="10m", max_entries=4, show_spinner=False)
def annees() -> list[int]:
    """Années proposées : celles des moyens datés et celles couvertes par des valeurs."""
    with engine().connect() as conn:
        return moyens.read_annees(conn)


@st.cache_data(ttl="10m", max_entries=64, show_spinner=False)
def ressources(annee: int, territoire: str, perimetre: str | None) -> pd.DataFrame:
    """Moyens de l'année (et moyens non datés) qui concernent le territoire choisi."""
    with engine().connect() as conn:
        return moyens.read_ressources(conn, annee=annee, territoire=territoire, perimetre=perimetre)


@st.cache_data(ttl="10m", max_entries=32, show_spinner=False)
def normes(territoire: str, perimetre: str | None) -> pd.DataFrame:
    """Normes de la fiche 5.2.14 qui valent pour le territoire choisi."""
    with engine().connect() as conn:
        return moyens.read_normes(conn, territoire=territoire, perimetre=perimetre)


@st.cache_data(ttl="10m", max_entries=64, show_spinner=False)
def resultats_annuels(
    indicateurs: tuple[str, ...], territoire: str, annees_: tuple[int, ...], perimetre: str | None
) -> pd.DataFrame:
    """Résultat annuel de chaque indicateur sur chaque année (somme ou dernier niveau)."""
    with engine().connect() as conn:
        return moyens.read_resultats_annuels(
            conn, indicateurs=list(indicateurs), territoire=territoire, annees=list(annees_),
            perimetre=perimetre,
        )  # fmt: skip


@st.cache_data(ttl="10m", max_entries=32, show_spinner=False)
def indicateurs_objectifs(objectifs: tuple[str, ...], territoire: str, annee: int) -> pd.DataFrame:
    """Indicateurs rattachés à ces objectifs (axes de la convention), avec leur cible de l'année."""
    with engine().connect() as conn:
        return moyens.read_indicateurs_objectifs(
            conn, objectifs=list(objectifs), territoire=territoire, annee=annee
        )
