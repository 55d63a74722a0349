"""Écritures de l'onglet « Moyens (ETP, budgets) » de la page Import, avec le moteur de
l'application.

Comme `donnees.import_donnees` pour les indicateurs : une transaction par import (tout ou rien),
les caches vidés après l'écriture pour que la page « Moyens et résultats » montre aussitôt le lot ;
rien n'est mis en cache (un aperçu dépend du fichier déposé). Un module à part, pour ne pas
toucher l'import des indicateurs, que d'autres travaux font évoluer.
"""

from __future__ import annotations

import streamlit as st

from dashboard.donnees.lectures import engine
from data_access import import_ressources
from data_access.droits import Acteur
from data_access.lots import Comptes


def apercu(nom: str, contenu: bytes) -> import_ressources.ApercuRessources:
    """Ce que l'import du fichier de ressources ferait (contrôle complet, rien n'est écrit)."""
    with engine().connect() as conn:
        return import_ressources.prepare_import_ressources(conn, nom=nom, contenu=contenu)


def importer(
    nom: str, contenu: bytes, *, acteur: Acteur, attendu: Comptes | None = None
) -> import_ressources.ResultatRessources:
    """Écrit le lot en une transaction (nouveau contrôle sous verrou, droits de `acteur`
    vérifiés par la fonction qui écrit), puis vide les caches."""
    with engine().begin() as conn:
        resultat = import_ressources.commit_import_ressources(
            conn, nom=nom, contenu=contenu, acteur=acteur, attendu=attendu
        )
    st.cache_data.clear()
    return resultat
