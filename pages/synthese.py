"""Synthèse : où en sont les objectifs phares du plan, pour le territoire et la période choisis."""

import streamlit as st

from dashboard import contexte, formats
from dashboard.donnees import lectures
from dashboard.vues import synthese

vue, utilisateur = contexte.vue(), contexte.utilisateur()
territoire = lectures.choix_vue(utilisateur.perimetre).territoires[vue.territoire]
st.header("Synthèse")
st.caption(
    f"{territoire} · situation à fin {formats.periode(vue.periode)}. Chaque indicateur est jugé "
    "sur sa dernière période connue, dans sa périodicité ; le statut compare le réalisé à la "
    "valeur attendue à cette date."
)
cartes = synthese.lire_cartes(vue.territoire, vue.periode, utilisateur.perimetre)
synthese.render_cartes(cartes, vue, utilisateur.perimetre)
