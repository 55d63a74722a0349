"""Lectures et écritures de la page Import, avec le moteur de l'application.

La page ne tient aucune connexion : elle appelle ces fonctions, qui ouvrent la transaction (une
par import ou annulation, tout ou rien) et vident les caches après une écriture, pour que la
carte et les tableaux montrent aussitôt le lot enregistré ou annulé. Rien n'est mis en cache : un
aperçu dépend du fichier déposé, l'historique doit être celui du moment.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.donnees.lectures import engine
from data_access import imports
from data_access.droits import Acteur
from data_access.lots import Comptes


def modeles() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Le modèle d'import pré-rempli des codes, et la liste des codes de territoires."""
    with engine().connect() as conn:
        return imports.build_modele(conn), imports.build_territoires_modele(conn)


def apercu(nom: str, contenu: bytes, correction: bool) -> imports.Apercu:
    """Ce que l'import du fichier ferait (contrôle complet, rien n'est écrit)."""
    with engine().connect() as conn:
        return imports.prepare_import(conn, nom=nom, contenu=contenu, correction=correction)


def importer(
    nom: str, contenu: bytes, *, acteur: Acteur, correction: bool, attendu: Comptes
) -> imports.ResultatImport:
    """Écrit le lot en une transaction (nouveau contrôle sous verrou, droits de `acteur`),
    puis vide les caches."""
    with engine().begin() as conn:
        resultat = imports.commit_import(conn, nom=nom, contenu=contenu, acteur=acteur,
                                         correction=correction, attendu=attendu)  # fmt: skip
    st.cache_data.clear()
    return resultat


def historique() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Les lots d'import et le journal d'audit, tels qu'ils sont à l'instant."""
    with engine().connect() as conn:
        return imports.read_lots(conn), imports.read_journal(conn)


def annuler(lot: int, *, acteur: Acteur) -> imports.Annulation:
    """Annule un lot (valeurs précédentes rétablies) en une transaction, puis vide les caches."""
    with engine().begin() as conn:
        annulation = imports.rollback_lot(conn, lot=lot, acteur=acteur)
    st.cache_data.clear()
    return annulation
