"""Point d'entrée unique et routeur de l'application Streamlit.

Ordre : configuration de la page, porte d'entrée (connexion), liste des pages selon le rôle,
sélecteurs partagés et vue de l'URL, en-tête, puis la page. `pages/` est au niveau du dépôt, pas
à côté de ce fichier : un dossier `pages/` voisin du script d'entrée ferait basculer Streamlit
dans son ancienne découverte automatique des pages.
"""

import streamlit as st

from config.settings import read_settings
from dashboard import apparence, auth, contexte, erreurs, pages_app, view_state
from dashboard.donnees import lectures
from dashboard.vues import entete

st.set_page_config(
    page_title="Pilotage — PDIE du Bas-Rhin", page_icon=apparence.icone_application(), layout="wide"
)

with erreurs.frontiere():
    entete.render_langue()
    settings = read_settings()
    porte = auth.build(settings, lectures.engine())
    auth.reprendre_session(porte)
    utilisateur = auth.utilisateur_courant(porte)
    navigation = st.navigation(
        pages_app.build_pages(utilisateur.role if utilisateur else None),
        position="sidebar" if utilisateur else "hidden",
    )
    if utilisateur is None:
        entete.render_connexion()
        utilisateur = auth.require_user(porte)
        if utilisateur is None:
            st.stop()
    if auth.attendre_cookie(porte):
        st.stop()
    # Avant toute lecture en cache, et après la porte d'entrée : le formulaire de connexion (et
    # le refus d'une clé de cookie manquante) s'affiche même quand la base ne répond pas.
    lectures.suivre_version()
    if auth.render_deconnexion(porte, utilisateur):
        st.stop()
    choix = lectures.choix_vue(utilisateur.perimetre)
    view_state.set_page(navigation.url_path)
    view_state.current(choix)
    vue = view_state.render_selecteurs(
        choix, pages_app.selecteurs(navigation.url_path), pages_app.SANS_EFFET
    )
    contexte.set_contexte(utilisateur, vue)
    entete.render(vue, navigation.url_path, choix.territoires)
    if not pages_app.autorisee(navigation.url_path, utilisateur.role):
        st.error(
            "Cette page est réservée à la mission de pilotage et aux administrateurs.",
            icon=apparence.ICONE_VERROU,
        )
        st.stop()
    navigation.run()
