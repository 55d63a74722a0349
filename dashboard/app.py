"""Point d'entrée unique et routeur de l'application Streamlit.

`pages/` est au niveau du dépôt, pas à côté de ce fichier : un dossier `pages/` voisin du script
d'entrée ferait basculer Streamlit dans son ancienne découverte automatique des pages.
"""

import streamlit as st

from dashboard import entete

st.set_page_config(page_title="Pilotage — PDIE du Bas-Rhin", page_icon="📊", layout="wide")

navigation = st.navigation(
    [st.Page("../pages/synthese.py", title="Synthèse", url_path="synthese", default=True)]
)
entete.render()
navigation.run()
