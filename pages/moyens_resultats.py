"""Moyens et résultats : ETP, effectifs et budgets face aux résultats, ratios descriptifs.

Page mince : l'année vient de l'URL (`annee=`), le territoire de la vue partagée ; le calcul est
dans `dashboard.moyens`, le rendu dans `dashboard.vue_moyens`.
"""

import streamlit as st

from dashboard import contexte, vue_moyens

vue, utilisateur = contexte.vue(), contexte.utilisateur()
st.header("Moyens et résultats")
annee = vue_moyens.render_choix_annee()
if annee is None:
    st.stop()
donnees = vue_moyens.build(annee, vue.territoire, utilisateur.perimetre)
vue_moyens.render_intro(donnees)
vue_moyens.render_etp(donnees)
vue_moyens.render_convention(donnees)
vue_moyens.render_effectifs(donnees)
vue_moyens.render_budgets(donnees)
vue_moyens.render_normes(donnees)
