"""En-tête commun à toutes les pages : titre, date des données, bandeau de démonstration."""

from __future__ import annotations

import streamlit as st

from dashboard import donnees, formats

TITRE = "Pilotage du Plan Départemental pour l'Emploi et l'Inclusion"


def render() -> None:
    """Titre, « Données au … » et, si des données de démonstration sont affichées, le bandeau."""
    dernier_mois, demonstration = donnees.etat_donnees()
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
