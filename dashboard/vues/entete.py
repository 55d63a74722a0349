"""En-tête commun à toutes les pages : titre, date des données, bandeau de démonstration."""

from __future__ import annotations

import streamlit as st

from dashboard import formats
from dashboard.donnees import lectures

TITRE = "Pilotage du Plan Départemental pour l'Emploi et l'Inclusion"
# Streamlit sert une page déclarée en anglais (`<html lang="en">`) : un lecteur d'écran lirait
# tout le français avec la prononciation anglaise (WCAG 3.1.1). Le script la déclare en français ;
# son conteneur est masqué (un bloc vide ajouterait l'espacement de Streamlit en haut de page).
LANGUE = "<script>document.documentElement.lang = 'fr';</script>"
MASQUE_LANGUE = (
    "<style>[data-testid='stLayoutWrapper']:has(> .st-key-langue_page), .st-key-langue_page "
    "{ display: none; }</style>"
)


def render() -> None:
    """Titre, « Données au … » et, si des données de démonstration sont affichées, le bandeau."""
    dernier_mois, demonstration = lectures.etat_donnees()
    st.title(TITRE)
    st.caption(f"Bas-Rhin · Données au {formats.periode(dernier_mois)}")
    if demonstration:
        st.warning(
            "**Données de démonstration** : les valeurs affichées sont générées pour la "
            "démonstration ; seules les cibles et les libellés viennent des documents du plan.",
            icon="⚠️",
        )


def render_connexion() -> None:
    """En-tête de la page de connexion : aucun chiffre tant que personne n'est connecté."""
    st.title(TITRE)
    st.caption("Bas-Rhin · Accès réservé : connectez-vous pour consulter le tableau de bord.")


def render_langue() -> None:
    """Déclare la page en français pour les technologies d'assistance (une fois par exécution,
    avant la porte d'entrée : la page de connexion aussi)."""
    st.html(MASQUE_LANGUE)
    with st.container(key="langue_page"):
        st.html(LANGUE, unsafe_allow_javascript=True)
