"""Lectures en cache des pages de progression du plan (Synthèse, Objectifs, Territoires).

Mêmes règles que `dashboard.donnees.lectures`, dont on reprend le moteur : arguments primitifs
(chaînes, tuples de chaînes, booléens) pour des clés de cache stables et bon marché ; le périmètre
de l'utilisateur fait partie de la clé, pour qu'une lecture permise à l'un ne soit jamais servie à
un autre. Un module à part pour ne pas toucher `donnees.py`, que la carte fait évoluer.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.donnees.lectures import engine
from dashboard.modeles.territoires import INDICATEURS_SECTION4, TERRITOIRES_SECTION4
from data_access import ecarts as data_ecarts
from data_access import plan, progression, territoires
from data_access.series import IndicateurInconnu


@st.cache_data(ttl="10m", max_entries=8, show_spinner=False)
def arbre(racines: tuple[str, ...] = plan.RACINES_DEFAUT) -> pd.DataFrame:
    """Arbre(s) du plan à plat (`plan.read_arbre`) : ("finalite",) pour le §7, ("axe",) pour
    la convention MDE."""
    with engine().connect() as conn:
        return plan.read_arbre(conn, racines=racines)


@st.cache_data(ttl="10m", max_entries=64, show_spinner=False)
def toutes_progressions(
    territoire: str, mois: str, perimetre: str | None, cibles_a_venir: bool = False
) -> pd.DataFrame:
    """Progressions de tous les indicateurs pour un territoire, à une date.

    Une lecture pour la Synthèse, les Objectifs et le Tableau de bord d'une même vue : chacun
    y prend ses indicateurs (`progressions`). Sous la charge d'un matin de publication, chaque
    page refaisait son propre calcul à froid après chaque import (bench/NOTES_CHARGE.md). Le
    résultat ne dépend pas de la liste demandée : chaque indicateur s'évalue seul.
    Hors du périmètre, `HorsPerimetre` remonte jusqu'à la frontière des erreurs du routeur.
    """
    with engine().connect() as conn:
        return progression.read_progressions(
            conn, indicateurs=None, territoire=territoire, mois=mois, perimetre=perimetre,
            cibles_a_venir=cibles_a_venir,
        )  # fmt: skip


@st.cache_data(ttl="10m", max_entries=128, show_spinner=False)
def progressions(
    territoire: str,
    mois: str,
    perimetre: str | None,
    indicateurs: tuple[str, ...] | None = None,
    cibles_a_venir: bool = False,
) -> pd.DataFrame:
    """Progressions de plusieurs indicateurs (tous si None) pour un territoire, à une date,
    prises dans `toutes_progressions`, dans l'ordre du référentiel."""
    toutes = toutes_progressions(territoire, mois, perimetre, cibles_a_venir)
    if indicateurs is None:
        return toutes
    inconnus = sorted(set(indicateurs) - set(toutes["indicateur"]))
    if inconnus:
        raise IndicateurInconnu(f"indicateur inconnu : {', '.join(inconnus)}")
    return toutes[toutes["indicateur"].isin(indicateurs)].reset_index(drop=True)


@st.cache_data(ttl="10m", max_entries=64, show_spinner=False)
def progressions_section4(mois: str, perimetre: str | None) -> pd.DataFrame:
    """Les rubriques du tableau §4 pour les quatre territoires et le total (ceux du périmètre)."""
    with engine().connect() as conn:
        return progression.read_progressions_territoires(
            conn, indicateurs=INDICATEURS_SECTION4, territoires=TERRITOIRES_SECTION4, mois=mois,
            perimetre=perimetre,
        )  # fmt: skip


@st.cache_data(ttl="10m", max_entries=128, show_spinner=False)
def series(indicateurs: tuple[str, ...], territoire: str, perimetre: str | None) -> pd.DataFrame:
    """Séries de quelques indicateurs pour un territoire (fiche, courbes des cartes)."""
    with engine().connect() as conn:
        return progression.read_series(
            conn, indicateurs=list(indicateurs), territoire=territoire, perimetre=perimetre
        )


@st.cache_data(ttl="10m", max_entries=128, show_spinner=False)
def contributions(
    indicateur: str, territoire: str, periode_cible: str, mois: str, perimetre: str | None
) -> pd.DataFrame:
    """Réalisé brut de chaque canton d'un territoire sur la plage d'une cible (avant secret)."""
    with engine().connect() as conn:
        return progression.read_contributions_cantons(
            conn, indicateur=indicateur, territoire=territoire, periode_cible=periode_cible,
            mois=mois, perimetre=perimetre,
        )  # fmt: skip


@st.cache_data(ttl="10m", max_entries=4, show_spinner=False)
def territoires_libelles() -> dict[str, tuple[str, str | None]]:
    """Libellé et parent de chaque territoire (département, territoires d'action, cantons)."""
    with engine().connect() as conn:
        cadre = territoires.read_territoires(conn)
    return {
        str(code): (str(libelle), None if pd.isna(parent) else str(parent))
        for code, libelle, parent in zip(
            cadre["code"], cadre["libelle"], cadre["parent"], strict=True
        )
    }


@st.cache_data(ttl="10m", max_entries=1, show_spinner=False)
def ecarts() -> pd.DataFrame:
    """Les écarts entre documents (`data_ecarts.read_ecarts`) : faits documentaires, les mêmes
    pour tout périmètre, d'où une seule entrée en cache."""
    with engine().connect() as conn:
        return data_ecarts.read_ecarts(conn)


@st.cache_data(ttl="10m", max_entries=1, show_spinner=False)
def ecarts_indicateurs() -> pd.DataFrame:
    """Les couples (écart, indicateur) que le référentiel relie (`read_ecarts_indicateurs`)."""
    with engine().connect() as conn:
        return data_ecarts.read_ecarts_indicateurs(conn)
