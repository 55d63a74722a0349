"""En-tête commun à toutes les pages : titre, territoire et période montrés, bandeau de
démonstration.

L'en-tête est posé par le routeur avant la page, au-dessus de son contenu : il doit nommer ce que
la page montre, pas le dernier mois importé ni le département par défaut. Le territoire et la
période sont ceux de la vue (pour un élu, son territoire par défaut) ; sur le tableau de bord,
ceux du tableau affiché : l'édition demandée et le territoire de son tableau.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from dashboard import apparence, formats
from dashboard.donnees import editions as donnees_editions
from dashboard.donnees import lectures
from dashboard.view_state import Vue
from dashboard.vues import tableau_de_bord

TITRE = "Pilotage du Plan Départemental pour l'Emploi et l'Inclusion"
# Streamlit sert une page déclarée en anglais (`<html lang="en">`) : un lecteur d'écran lirait
# tout le français avec la prononciation anglaise (WCAG 3.1.1). Le script la déclare en français ;
# son conteneur est masqué (un bloc vide ajouterait l'espacement de Streamlit en haut de page).
LANGUE = "<script>document.documentElement.lang = 'fr';</script>"
MASQUE_LANGUE = (
    "<style>[data-testid='stLayoutWrapper']:has(> .st-key-langue_page), .st-key-langue_page "
    "{ display: none; }</style>"
)


ADRESSE_TABLEAU_DE_BORD = "tableau-de-bord"


def phrase_periode(periode: str) -> str:
    """« Données de juin 2019 », « Données du 2e trimestre 2019 » : la phrase commune des
    périodes (`formats.donnees_de`)."""
    return formats.donnees_de(periode)


def contenu_affiche(vue: Vue, page: str) -> tuple[str, str]:
    """(territoire, mois) que la page montre. Le tableau de bord montre le tableau du territoire
    d'action d'un canton, et l'édition demandée quand elle est publiée (`charger`), sinon le
    mois de la vue."""
    if page != ADRESSE_TABLEAU_DE_BORD:
        return vue.territoire, vue.periode
    territoire = tableau_de_bord.territoire_du_tableau(vue.territoire)
    mois = vue.extras.get("edition")
    if mois and donnees_editions.edition(mois, territoire) is not None:
        return territoire, mois
    return territoire, vue.periode


def texte(vue: Vue, page: str, libelles: Mapping[str, str]) -> str:
    """« Territoire Nord · Données de juin 2019 » : le territoire et la période de la page."""
    territoire, mois = contenu_affiche(vue, page)
    return f"{libelles.get(territoire, territoire)} · {phrase_periode(mois)}"


def render(vue: Vue, page: str, libelles: Mapping[str, str]) -> None:
    """Titre, territoire et période montrés, et, si des données de démonstration sont
    affichées, le bandeau. `libelles` : les territoires de la vue et leurs noms."""
    _, demonstration = lectures.etat_donnees()
    st.title(TITRE)
    st.caption(texte(vue, page, libelles))
    if demonstration:
        st.warning(
            "**Données de démonstration** : les valeurs affichées sont générées pour la "
            "démonstration ; seules les cibles et les libellés viennent des documents du plan.",
            icon=apparence.ICONE_ATTENTION,
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
