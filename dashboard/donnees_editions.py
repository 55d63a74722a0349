"""Lectures en cache du tableau de bord : éditions publiées et vue en direct.

Une édition publiée ne change jamais : elle est gardée longtemps. La vue en direct suit la règle
des autres lectures : dix minutes au plus, et vidée dès que la version des données change (un
import, un commentaire, une publication : `donnees.suivre_version`, à chaque exécution). Le
périmètre de l'utilisateur fait partie de la clé.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import donnees_plan, editions, tableau_bord
from dashboard.donnees import engine
from dashboard.tableau_bord import LigneTerritoire, TableauDeBord
from data_access import publications


@st.cache_data(ttl="10m", max_entries=4, show_spinner=False)
def publiees() -> list[publications.MoisPublie]:
    """Les éditions publiées, de la plus récente à la plus ancienne."""
    with engine().connect() as conn:
        return publications.read_publications(conn)


@st.cache_data(max_entries=256, show_spinner=False)
def edition(mois: str, territoire: str) -> TableauDeBord | None:
    """L'édition publiée du mois pour le territoire (jamais périmée : elle ne change plus)."""
    with engine().connect() as conn:
        return editions.lire_edition(conn, mois=mois, territoire=territoire)


@st.cache_data(ttl="10m", max_entries=64, show_spinner=False)
def section4(mois: str, perimetre: str | None) -> tuple[LigneTerritoire, ...]:
    """Le tableau du §4 du mois : le même pour le département et chaque territoire d'action,
    tiré de la lecture en cache de la page Territoires (calculée une fois pour les deux)."""
    cadre = donnees_plan.progressions_section4(mois, perimetre)
    noms = {code: lib for code, (lib, _) in donnees_plan.territoires_libelles().items()}
    return tableau_bord.build_section4(cadre, noms, mois)


@st.cache_data(ttl="10m", max_entries=64, show_spinner=False)
def direct(mois: str, territoire: str, perimetre: str | None) -> TableauDeBord:
    """Le tableau en direct, avec les indicateurs révisés depuis la publication du mois.

    Ses progressions sont les lectures en cache des pages Synthèse et Objectifs : ouvrir le
    tableau de bord après elles (ou l'inverse) ne refait pas le calcul.
    """
    lignes = section4(mois, perimetre)

    def lire(t: str, m: str) -> pd.DataFrame:
        return donnees_plan.toutes_progressions(t, m, perimetre, False)

    with engine().connect() as conn:
        return editions.direct(
            conn, mois=mois, territoire=territoire, perimetre=perimetre, section4=lignes,
            lire=lire,
        )  # fmt: skip


@st.cache_data(ttl="10m", max_entries=16, show_spinner=False)
def a_commenter(mois: str) -> list[editions.LigneIndicateur]:
    """Les indicateurs en retard du mois (département ou territoire), à commenter."""
    with engine().connect() as conn:
        return list(editions.a_commenter(conn, mois=mois))
