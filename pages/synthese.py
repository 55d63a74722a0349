"""Synthèse : où en sont les objectifs phares du plan, pour le territoire et la période choisis."""

import streamlit as st

from dashboard import contexte, donnees, formats, synthese

vue = contexte.vue()
st.header("Synthèse")
st.caption(f"{formats.periode(vue.periode)} · territoire {vue.territoire}")
st.info("Page en construction : cartes de synthèse à venir.", icon="🚧")
st.dataframe(
    synthese.build_tableau(
        donnees.progressions_phares(vue.periode, vue.territoire), donnees.libelles_indicateurs()
    ),
    hide_index=True,
    width="stretch",
)
st.caption(
    "Attendu à la date : cible au prorata des mois écoulés de sa période pour un flux, arrêté à la "
    "dernière période connue de l'indicateur ; la cible elle-même pour un stock (modèle de "
    "Pilotage, les documents ne donnent pas de profil infra-annuel)."
)
