"""Moyens et résultats : que produisent nos moyens ? ETP face aux résultats, ratios descriptifs.

Page mince : l'année vient de l'URL (`annee=`), le territoire de la vue partagée ; le calcul est
dans `dashboard.modeles.moyens_resultats`, le rendu dans `dashboard.vues.moyens_resultats`.
"""

import streamlit as st

from dashboard import contexte
from dashboard.vues import moyens_resultats

vue, utilisateur = contexte.vue(), contexte.utilisateur()
st.header("Moyens et résultats")
annee = moyens_resultats.render_choix_annee()
if annee is None:
    st.stop()
donnees = moyens_resultats.build(annee, vue.territoire, utilisateur.perimetre)
moyens_resultats.render_intro(donnees)
moyens_resultats.render_territoires(donnees)
moyens_resultats.render_strategies(donnees)
moyens_resultats.render_rapprochements(donnees)
moyens_resultats.render_documents(donnees)
