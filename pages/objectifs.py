"""Objectifs : l'arbre du plan (§7) et la convention MDE, la progression de chaque indicateur, les
bilans par OS et OO, la fiche d'un indicateur (`fiche=<code>` dans l'URL) et les écarts entre
documents."""

import streamlit as st

from dashboard import apparence, contexte, formats, view_state
from dashboard.donnees import lectures
from dashboard.vues import ecarts, objectifs

vue, utilisateur = contexte.vue(), contexte.utilisateur()
territoires = lectures.choix_vue(utilisateur.perimetre).territoires
st.header("Objectifs")
st.caption(
    f"{territoires[vue.territoire]} · situation à fin {formats.periode(vue.periode)}. Chaque "
    "indicateur est jugé dans sa périodicité, sur sa dernière période close ; un indicateur "
    "suivi pour le seul département est « non décliné » pour un territoire."
)
arbres = [
    objectifs.build_arbre(
        ("finalite",), vue.territoire, vue.periode, utilisateur.perimetre,
        titre="Plan départemental 2017-2019 (§7) : finalité, OS, OO, actions, indicateurs",
    )
]  # fmt: skip
if objectifs.mde_lisible(utilisateur.perimetre):
    arbres.append(
        objectifs.build_arbre(
            ("axe",), objectifs.TERRITOIRE_MDE, vue.periode, utilisateur.perimetre,
            titre="Convention MDE 2020 (Eurométropole de Strasbourg) : axes et indicateurs",
            cibles_a_venir=True,
        )
    )  # fmt: skip
fiche = view_state.extra("fiche", [code for arbre in arbres for code in arbre.codes])
objectifs.render_bilans(arbres)
for arbre in arbres:
    objectifs.render_arbre(arbre, fiche, vue.periode, utilisateur.perimetre)
if not objectifs.mde_lisible(utilisateur.perimetre):
    st.info(
        "La convention MDE 2020 porte sur l'Eurométropole de Strasbourg, hors de votre "
        f"périmètre ({utilisateur.perimetre}) : ses indicateurs ne sont pas affichés.",
        icon=apparence.ICONE_VERROU,
    )
ecarts.render_section()
