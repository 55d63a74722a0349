"""Import des indicateurs et des moyens (ETP, budgets) : déposer un fichier, le contrôler,
confirmer ; historique des lots."""

import streamlit as st

from dashboard import apparence, contexte, pages_app
from dashboard.vues import import_donnees, import_moyens

utilisateur = contexte.utilisateur()
st.header("Import des indicateurs")
if not pages_app.autorisee("import", utilisateur.role):  # le routeur filtre déjà : par prudence
    st.error(
        "Cette page est réservée à la mission de pilotage et aux administrateurs.",
        icon=apparence.ICONE_VERROU,
    )
    st.stop()
importer, moyens, historique = st.tabs(["Importer", "Moyens (ETP, budgets)", "Historique"])
with importer:
    import_donnees.render_importer(utilisateur)
with moyens:
    import_moyens.render_importer_moyens(utilisateur)
with historique:
    import_donnees.render_historique(utilisateur)
