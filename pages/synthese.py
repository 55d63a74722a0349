"""Synthèse : où en sont les objectifs phares du plan, pour le département, à la dernière date."""

import streamlit as st

from dashboard import donnees, synthese

dernier_mois, _ = donnees.etat_donnees()
st.header("Synthèse")
st.info(
    "Page en construction : cartes de synthèse, sélecteurs de période et de territoire à venir."
)
if dernier_mois is None:
    st.warning("Aucune donnée importée pour l'instant.")
    st.stop()
st.dataframe(
    synthese.build_tableau(
        donnees.progressions_phares(dernier_mois), donnees.libelles_indicateurs()
    ),
    hide_index=True,
    width="stretch",
)
st.caption(
    "Attendu à la date : cible au prorata des mois écoulés de sa période pour un flux, arrêté à la "
    "dernière période connue de l'indicateur ; la cible elle-même pour un stock (modèle de "
    "Pilotage, les documents ne donnent pas de profil infra-annuel)."
)
