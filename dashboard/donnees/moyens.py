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
from data_access import moyens, territoires
from data_access.perimetre import autorises


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


@st.cache_data(ttl="10m", max_entries=4, show_spinner=False)
def annees_rapprochables(types: tuple[str, ...], indicateurs: tuple[str, ...]) -> list[int]:
    """Années qui ont à la fois des moyens datés de ces types et des résultats de ces
    indicateurs : la page s'ouvre sur la dernière."""
    with engine().connect() as conn:
        return moyens.read_annees_rapprochables(conn, types=types, indicateurs=indicateurs)


@st.cache_data(ttl="10m", max_entries=16, show_spinner=False)
def territoires_action(
    perimetre: str | None,
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(territoires d'action lisibles : code → nom, dans l'ordre des noms ; rattachement d'un
    territoire d'action ou d'un canton à son territoire d'action ; nom de chaque territoire,
    « 67 » → « Bas-Rhin »)."""
    with engine().connect() as conn:
        tous = territoires.read_territoires(conn)
    permis = autorises(tous, perimetre)
    actions = tous[(tous["niveau"] == "territoire_action") & tous["code"].isin(permis)]
    actions = actions.sort_values("libelle")
    rattachement = {str(c): str(c) for c in actions["code"]}
    cantons = tous[(tous["niveau"] == "canton") & tous["parent"].isin(list(rattachement))]
    rattachement |= dict(
        zip(cantons["code"].astype(str), cantons["parent"].astype(str), strict=True)
    )
    noms = dict(zip(tous["code"].astype(str), tous["libelle"].astype(str), strict=True))
    lisibles = dict(zip(actions["code"].astype(str), actions["libelle"].astype(str), strict=True))
    return lisibles, rattachement, noms


@st.cache_data(ttl="10m", max_entries=16, show_spinner=False)
def ressources_toutes_annees(perimetre: str | None) -> pd.DataFrame:
    """Tous les moyens lisibles (toutes années), pour les trajets année par année."""
    with engine().connect() as conn:
        return moyens.read_ressources(conn, territoire=territoires.DEPARTEMENT, perimetre=perimetre)
