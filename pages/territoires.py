"""Territoires d'action : le tableau du §4 en progression, le classement des territoires et la
contribution des cantons du territoire choisi (sous secret statistique, sans cible de canton)."""

import streamlit as st

from dashboard import contexte, formats
from dashboard.vues import territoires as vue_territoires

vue, utilisateur = contexte.vue(), contexte.utilisateur()
st.header("Territoires d'action")
st.caption(
    f"Situation à fin {formats.periode(vue.periode)}. Objectifs par territoire d'action et par "
    "an du §4 du PDIE (accès à l'emploi, accès à l'insertion, offres mobilisées par les "
    "conseillers départementaux) ; le total départemental du §4 (11 199 retours à l'emploi) "
    "n'est pas l'objectif de 10 000 du §3.1."
)
s4 = vue_territoires.section4(vue.periode, utilisateur.perimetre)
st.subheader("Objectifs du §4 par territoire et par an", anchor=False)
vue_territoires.render_section4(s4)
st.subheader("Classement des territoires", anchor=False)
indicateur, periode = vue_territoires.render_choix(vue.periode)
vue_territoires.render_classement(vue.periode, utilisateur.perimetre, indicateur, periode)
st.subheader("Contribution des cantons", anchor=False)
territoires = vue_territoires.territoires_cantons(vue.territoire, s4)
vue_territoires.render_contributions(
    s4, territoires, indicateur, periode, vue.periode, utilisateur.perimetre
)
