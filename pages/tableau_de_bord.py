"""Tableau de bord mensuel : l'édition publiée d'un mois (`edition=AAAA-MM`) ou la vue en direct,
ses exports, et pour la mission de pilotage les commentaires et la publication."""

import streamlit as st

from dashboard import contexte
from dashboard.vues import comite as vue_comite
from dashboard.vues import tableau_de_bord

vue, utilisateur = contexte.vue(), contexte.utilisateur()
if vue_comite.demandee():  # `mode=comite` : la présentation en séance, rien d'autre
    vue_comite.render(vue, utilisateur)
    st.stop()
mois_edition = tableau_de_bord.choisir_edition()
tableau = tableau_de_bord.charger(vue, utilisateur, mois_edition)
tableau_de_bord.render_entete(tableau)
tableau_de_bord.render_sections(tableau)
st.subheader("Exporter", anchor=False)
tableau_de_bord.render_exports(tableau)
if tableau_de_bord.est_pilotage(utilisateur) and mois_edition is None:
    st.subheader("Commentaires et publication", anchor=False)
    tableau_de_bord.render_publication(tableau.mois, utilisateur)
st.subheader("Éditions publiées", anchor=False)
tableau_de_bord.render_editions(vue)
