"""Synthèse : où en sont les objectifs phares du plan, pour le territoire et la période choisis."""

import streamlit as st

from dashboard import contexte, donnees, donnees_plan, formats, memo, synthese, vue_synthese

vue, utilisateur = contexte.vue(), contexte.utilisateur()
territoire = donnees.choix_vue(utilisateur.perimetre).territoires[vue.territoire]
st.header("Synthèse")
st.caption(
    f"{territoire} · situation à fin {formats.periode(vue.periode)}. Chaque indicateur est jugé "
    "sur sa dernière période connue, dans sa périodicité ; le statut compare le réalisé à la "
    "valeur attendue à cette date."
)
progressions = donnees_plan.progressions(
    vue.territoire, vue.periode, utilisateur.perimetre, synthese.INDICATEURS_CARTES
)
cartes = memo.en_cache(synthese.build_cartes, progressions, mois=vue.periode)
vue_synthese.render_cartes(cartes, vue, utilisateur.perimetre)
