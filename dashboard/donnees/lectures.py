"""Accès aux données depuis Streamlit : un moteur partagé, des lectures mises en cache.

Les arguments des fonctions en cache sont des chaînes, pour des clés stables et bon marché ; la
couche `data_access` ne sait rien de Streamlit.
"""

from __future__ import annotations

import threading
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from config.settings import read_settings
from dashboard.view_state import Choix
from data_access import couverture, indicateurs, lots, periodes, series, territoires, version
from data_access import engine as moteur
from data_access.perimetre import autorises


@st.cache_resource
def engine() -> Engine:
    """Le moteur SQLAlchemy de l'application, un par processus."""
    return moteur.create(read_settings().database_url)


_VERSION: dict[str, str] = {}
_VERROU_VERSION = threading.Lock()


def suivre_version() -> None:
    """Vide les caches de lecture du processus si les données ont changé depuis la dernière
    exécution (un import, une publication, un commentaire, un événement, ici ou dans un autre
    processus) : rien de périmé n'est jamais montré. À appeler avant toute lecture en cache."""
    with engine().connect() as conn:
        actuelle = version.read_version(conn)
    with _VERROU_VERSION:
        if _VERSION.get("donnees") != actuelle:
            st.cache_data.clear()
            _VERSION["donnees"] = actuelle


@st.cache_data(ttl="10m", max_entries=16, show_spinner=False)
def etat_donnees() -> tuple[str | None, bool]:
    """Dernier mois avec des données et présence de données de démonstration."""
    with engine().connect() as conn:
        return lots.read_etat_donnees(conn)


def demonstration() -> bool:
    """Les chiffres montrés sont-ils de démonstration ? Le réglage `PILOTAGE_DEMO`, ou un lot de
    démonstration en base (ce qui allume le bandeau des pages) : la vue en direct et ses
    exports le disent, une édition publiée alors le fige (`Publication.demonstration`)."""
    return read_settings().demo or etat_donnees()[1]


@st.cache_data(ttl="10m", max_entries=16, show_spinner=False)
def choix_vue(perimetre: str | None) -> Choix:
    """Valeurs permises des sélecteurs partagés, restreintes au périmètre de l'utilisateur."""
    with engine().connect() as conn:
        debut, fin = lots.read_etendue(conn)
        periode_defaut = couverture.read_periode_par_defaut(conn)
        tous = territoires.read_territoires(conn)
        referentiel = indicateurs.read_referentiel(conn)
    if debut is None or fin is None:
        debut = fin = periodes.Mois.parse(f"{date.today():%Y-%m}").__str__()
    mois = periodes.entre(periodes.Mois.parse(debut), periodes.Mois.parse(fin),
                          periodes.Periodicite.MENSUELLE)  # fmt: skip
    permis = autorises(tous, perimetre)
    rang = tous["niveau"].map({"departement": 0, "territoire_action": 1, "canton": 2})
    visibles = tous.assign(rang=rang).sort_values(["rang", "libelle"])
    visibles = visibles[visibles["code"].isin(permis)]
    return Choix(
        periodes=[m.code for m in mois],
        territoires=dict(zip(visibles["code"], _libelles_territoires(visibles), strict=True)),
        indicateurs=dict(zip(referentiel["code"], referentiel["libelle"], strict=True)),
        perimetre=perimetre,
        periode_defaut=periode_defaut,
    )


def _libelles_territoires(cadre: pd.DataFrame) -> list[str]:
    prefixes = {"departement": "", "territoire_action": "Territoire ", "canton": "Canton "}
    return [
        f"{prefixes.get(n, '')}{lib}"
        for n, lib in zip(cadre["niveau"], cadre["libelle"], strict=True)
    ]


@st.cache_data(ttl="10m", max_entries=128, show_spinner=False)
def fiche_indicateur(code: str) -> dict[str, object]:
    """Métadonnées d'un indicateur (nature, unité, périodicité, échelle, source…)."""
    with engine().connect() as conn:
        fiche = indicateurs.read_indicateur(conn, code)
    if fiche is None:
        raise series.IndicateurInconnu(f"indicateur inconnu : {code}")
    return fiche


@st.cache_data(ttl="10m", max_entries=256, show_spinner=False)
def par_canton(indicateur: str, periode: str, perimetre: str | None) -> pd.DataFrame:
    """Valeurs par canton d'un indicateur à une période (restreintes au périmètre)."""
    with engine().connect() as conn:
        return series.read_par_canton(
            conn, indicateur=indicateur, periode=periode, perimetre=perimetre
        )


@st.cache_data(ttl="10m", max_entries=256, show_spinner=False)
def valeur_departement(indicateur: str, periode: str, perimetre: str | None) -> float | None:
    """Valeur du département lui-même (référence de la carte), la même pour tout périmètre."""
    with engine().connect() as conn:
        return series.read_valeur_departement(
            conn, indicateur=indicateur, periode=periode, perimetre=perimetre
        )


@st.cache_data(ttl="10m", max_entries=64, show_spinner=False)
def cantons_toutes_periodes(indicateur: str, perimetre: str | None) -> pd.DataFrame:
    """Valeurs de tous les cantons à toutes les périodes (fiche d'un canton)."""
    with engine().connect() as conn:
        return series.read_cantons_toutes_periodes(conn, indicateur=indicateur, perimetre=perimetre)


@st.cache_data(ttl="10m", max_entries=256, show_spinner=False)
def serie(indicateur: str, territoire: str, perimetre: str | None) -> pd.DataFrame:
    """Série d'un indicateur pour un territoire (valeurs directes ou agrégées)."""
    with engine().connect() as conn:
        return series.read_serie(
            conn, indicateur=indicateur, territoire=territoire, perimetre=perimetre
        )


@st.cache_data(ttl="10m", max_entries=256, show_spinner=False)
def derniere_periode_cantons(indicateur: str, fin_max: str, perimetre: str | None) -> str | None:
    """Dernière période de l'indicateur (finie au plus tard en `fin_max`) où un canton du
    périmètre a une valeur : la carte y remonte quand la période choisie n'en a aucune."""
    with engine().connect() as conn:
        return couverture.read_derniere_periode_cantons(
            conn, indicateur=indicateur, fin_max=fin_max, perimetre=perimetre
        )


@st.cache_data(ttl="10m", max_entries=16, show_spinner=False)
def populations() -> dict[str, int]:
    """Population de chaque territoire (département, territoires d'action, cantons)."""
    with engine().connect() as conn:
        cadre = territoires.read_territoires(conn)
    return {
        c: int(p) for c, p in zip(cadre["code"], cadre["population"], strict=True) if pd.notna(p)
    }
