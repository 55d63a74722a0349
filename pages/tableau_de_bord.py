"""Tableau de bord mensuel : l'édition publiée d'un mois (`edition=AAAA-MM`) ou la vue en direct,
ses exports, et pour la mission de pilotage les commentaires et la publication."""

import streamlit as st

from dashboard import contexte, vue_comite, vue_tableau_bord

vue, utilisateur = contexte.vue(), contexte.utilisateur()
if vue_comite.demandee():  # `mode=comite` : la présentation en séance, rien d'autre
    vue_comite.render(vue, utilisateur)
    st.stop()
mois_edition = vue_tableau_bord.choisir_edition()
tableau = vue_tableau_bord.charger(vue, utilisateur, mois_edition)
vue_tableau_bord.render_entete(tableau)
vue_tableau_bord.render_sections(tableau)
st.subheader("Exporter", anchor=False)
vue_tableau_bord.render_exports(tableau)
if vue_tableau_bord.est_pilotage(utilisateur) and mois_edition is None:
    st.subheader("Commentaires et publication", anchor=False)
    vue_tableau_bord.render_publication(tableau.mois, utilisateur)
st.subheader("Éditions publiées", anchor=False)
vue_tableau_bord.render_editions(vue)
