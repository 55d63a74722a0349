"""Ce que le routeur a établi pour cette exécution (utilisateur, vue), lu par les pages.

Deux clés nommées et possédées par ce module : rien d'autre ne les écrit.
"""

from __future__ import annotations

import streamlit as st

from dashboard.auth import Utilisateur
from dashboard.view_state import Vue

_UTILISATEUR = "_contexte_utilisateur"
_VUE = "_contexte_vue"


def set_contexte(utilisateur: Utilisateur, vue: Vue) -> None:
    st.session_state[_UTILISATEUR] = utilisateur
    st.session_state[_VUE] = vue


def utilisateur() -> Utilisateur:
    """La personne connectée (le routeur arrête la page avant s'il n'y en a pas)."""
    return st.session_state[_UTILISATEUR]


def vue() -> Vue:
    """La vue partagée de cette exécution."""
    return st.session_state[_VUE]
