"""Lectures en cache du tableau de bord : éditions publiées et vue en direct.

Une édition publiée ne change jamais : elle est gardée longtemps. La vue en direct suit la règle
des autres lectures : dix minutes au plus, et vidée dès que la version des données change (un
import, un commentaire, une publication : `donnees.suivre_version`, à chaque exécution). Le
périmètre de l'utilisateur fait partie de la clé.
"""

from __future__ import annotations

import streamlit as st

from dashboard.donnees import lectures, plan
from dashboard.donnees.lectures import engine
from dashboard.modeles.synthese import INDICATEURS_CARTES
from dashboard.tableau_de_bord import contenu, editions
from dashboard.tableau_de_bord.contenu import LigneTerritoire, TableauDeBord
from dashboard.tableau_de_bord.moyens_figes import MoyensEdition
from data_access import publications, tableau_de_bord
from data_access.droits import Acteur


@st.cache_data(ttl="10m", max_entries=4, show_spinner=False)
def publiees() -> list[publications.MoisPublie]:
    """Les éditions publiées, de la plus récente à la plus ancienne."""
    with engine().connect() as conn:
        return publications.read_publications(conn)


@st.cache_data(max_entries=256, show_spinner=False)
def edition(mois: str, territoire: str) -> TableauDeBord | None:
    """L'édition publiée du mois pour le territoire (jamais périmée : elle ne change plus)."""
    with engine().connect() as conn:
        return editions.lire_edition(conn, mois=mois, territoire=territoire)


@st.cache_data(ttl="10m", max_entries=64, show_spinner=False)
def section4(mois: str, perimetre: str | None) -> tuple[LigneTerritoire, ...]:
    """Le tableau du §4 du mois : le même pour le département et chaque territoire d'action,
    tiré de la lecture en cache de la page Territoires (calculée une fois pour les deux)."""
    cadre = plan.progressions_section4(mois, perimetre)
    noms = {code: lib for code, (lib, _) in plan.territoires_libelles().items()}
    return contenu.build_section4(cadre, noms, mois)


@st.cache_data(ttl="10m", max_entries=64, show_spinner=False)
def direct(mois: str, territoire: str, perimetre: str | None) -> TableauDeBord:
    """Le tableau en direct, avec les indicateurs révisés depuis la publication du mois.

    Ses progressions du mois sont la lecture en cache des pages Synthèse et Objectifs, et son
    §4 celle de la page Territoires : ouvrir le tableau de bord après elles (ou l'inverse) ne
    refait pas le calcul. Le reste est lu en une étape, puis le tableau se construit sans base.
    """
    lignes = section4(mois, perimetre)
    progressions = plan.toutes_progressions(territoire, mois, perimetre, False)
    with engine().connect() as conn:
        lecture = tableau_de_bord.read_tableau(
            conn, mois=mois, territoire=territoire, perimetre=perimetre,
            indicateurs_courbes=INDICATEURS_CARTES, progressions=progressions,
        )  # fmt: skip
    vivant = contenu.construire(lecture, lignes)
    return editions.avec_revisions(vivant, edition(vivant.mois, territoire))


@st.cache_data(ttl="10m", max_entries=64, show_spinner=False)
def moyens_direct(mois: str, territoire: str, perimetre: str | None) -> MoyensEdition:
    """Les moyens et résultats en direct du mois, bornés à ce mois comme ceux d'une édition :
    lus seulement quand la diapositive du comité les montre, pas à chaque tableau en direct."""
    with engine().connect() as conn:
        lus = editions.lire_moyens(conn, mois=mois, lecteurs={territoire: (perimetre,)})
    return lus[territoire][0]


@st.cache_data(ttl="10m", max_entries=16, show_spinner=False)
def a_commenter(mois: str) -> list[editions.Retard]:
    """Les retards du mois, un par indicateur et territoire en retard, à commenter."""
    with engine().connect() as conn:
        return list(editions.a_commenter(conn, mois=mois))


def commenter(mois: str, textes: dict[tuple[str, str], str], *, acteur: Acteur) -> None:
    """Enregistre les commentaires du mois, par (indicateur, territoire), en une transaction
    (tous ou aucun). Les lectures se mettent à jour par la version des données, comme après un
    import."""
    with engine().begin() as conn:
        for (code, territoire), texte in textes.items():
            editions.commenter(conn, mois=mois, indicateur=code, territoire=territoire,
                               texte=texte, acteur=acteur)  # fmt: skip


def publier(mois: str, *, acteur: Acteur) -> None:
    """Publie l'édition du mois (refusée tant qu'un retard n'est pas commenté)."""
    demonstration = lectures.demonstration()
    with engine().begin() as conn:
        editions.publier(conn, mois=mois, acteur=acteur, demonstration=demonstration)
