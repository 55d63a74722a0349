"""Carte des cantons : un indicateur par zone, ses classes, son tableau, la fiche d'une zone."""

import streamlit as st

from dashboard import apparence, contexte
from dashboard.carte import fiche_canton
from dashboard.carte.config import read_config_carte
from dashboard.vues import carte as vue_carte

vue, utilisateur = contexte.vue(), contexte.utilisateur()
config = read_config_carte()
ind, fiche = vue_carte.indicateur(vue.indicateur)
st.header("Carte des cantons")
st.markdown(f"**{ind.code} · {ind.libelle}**")
periode = fiche_canton.periode_a_date(vue.periode, str(fiche["periodicite"]))
if fiche["echelle"] != "canton" or periode is None:
    st.info(
        "Cet indicateur n'a pas de valeurs par canton (échelle : "
        f"{fiche['echelle']}). Choisissez un indicateur suivi par canton, par exemple "
        "OO2-S.1 (retours à l'emploi) ou FIN-2.1 (allocataires).",
        icon=apparence.ICONE_CARTE,
    )
    st.stop()
periode = vue_carte.render_periode(ind, periode, vue.periode, utilisateur.perimetre)
mesure, methode = vue_carte.render_choix_mesure(ind, config)
config = config.__class__(**{**config.__dict__, "methode": methode})
mesures = vue_carte.build(ind, periode, mesure, utilisateur.perimetre, config.seuil_secret)
colonne_carte, colonne_fiche = st.columns([3, 2])
with colonne_carte:
    cliquee = vue_carte.render_carte(mesures, config)
with colonne_fiche:
    vue_carte.render_legende(mesures, config)
    zone = vue_carte.render_choix_zone(cliquee)
    if zone is None:
        st.info(
            "Cliquez sur une zone de la carte, ou choisissez-la ci-dessus, pour ouvrir sa fiche.",
            icon=apparence.ICONE_CLIC,
        )
    else:
        vue_carte.render_fiche(zone, ind, vue.periode, utilisateur.perimetre, config.seuil_secret)
st.markdown("**Tableau des zones**")
vue_carte.render_tableau(mesures)
