"""Rendu des événements datés d'une fiche : leur liste sous la courbe et, pour la mission de
pilotage et les administrateurs, l'ajout et la suppression.

Un lecteur voit la liste, sans formulaire ni bouton. Les règles (mois, type, libellé,
indicateurs, territoire) sont vérifiées par `data_access.annotations` ; un refus s'affiche en
français sous le formulaire, toute autre erreur remonte à `erreurs.frontiere`. Après une
écriture, la page se relance : la courbe et la liste montrent aussitôt le changement.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import apparence, contexte, formats
from dashboard.auth import Utilisateur
from dashboard.donnees import annotations as donnees_annotations
from dashboard.donnees import lectures
from data_access import droits
from data_access.annotations import TYPES, AnnotationInvalide
from data_access.droits import Droit, DroitRefuse
from data_access.territoires import DEPARTEMENT

PORTEES = {
    "cet": "Cet indicateur",
    "plusieurs": "Plusieurs indicateurs",
    "tous": "Tous les indicateurs",
}
PARTOUT = ""  # option « partout » du choix du territoire
_GENERATION = "annotations_generation"  # compteur : changer les clés du formulaire le vide
_MESSAGE = "annotations_message"  # message de réussite montré après le rechargement
_A_SUPPRIMER = "annotations_a_supprimer"  # événement dont la suppression attend confirmation


def peut_gerer(utilisateur: Utilisateur) -> bool:
    """Vrai si ce rôle peut ajouter et supprimer des événements (la règle de
    `data_access.droits`, que l'écriture vérifie de nouveau, périmètre compris)."""
    return droits.peut(utilisateur, Droit.ANNOTER)


def numeros(traces: pd.DataFrame) -> dict[int, int]:
    """Le numéro de chaque événement tracé (`graphiques.annotations.build_evenements`), par id."""
    return {int(i): int(n) for i, n in zip(traces["id"], traces["numero"], strict=True)}


def numeros_depuis(ids: tuple[int, ...]) -> dict[int, int]:
    """Le numéro de chaque événement tracé, par id, depuis les ids dans l'ordre des numéros."""
    return {i: n for n, i in enumerate(ids, start=1)}


def build_ligne(evenement: Mapping[str, Any], numero: int | None = None) -> str:
    """« **1.** **septembre 2018** · Nouvelle convention · libellé · Partout · OO2-S.1 »
    (Markdown) ; `numero` : celui de son repère sur la courbe, absent hors de la courbe."""
    parties = [
        f"**{formats.periode(str(evenement['mois']))}**",
        str(evenement["libelle_type"]),
        formats.texte_brut(str(evenement["libelle"])),
        f"territoire : {evenement['libelle_territoire']}",
        f"indicateurs : {evenement['indicateurs']}",
    ]
    ligne = " · ".join(parties)
    return f"**{numero}.** {ligne}" if numero is not None else ligne


def options_territoires(territoires: Mapping[str, str], perimetre: str | None) -> dict[str, str]:
    """Territoires proposés : partout (sans périmètre seulement), puis territoires d'action et
    cantons ; le département est « partout » et n'est pas proposé à part."""
    options = {PARTOUT: "Partout (tout le département)"} if perimetre is None else {}
    options.update({c: li for c, li in territoires.items() if c != DEPARTEMENT})
    return options


def render_evenements(
    evenements: pd.DataFrame,
    *,
    indicateur: str,
    territoire: str,
    mois: str,
    numeros: Mapping[int, int] | None = None,
) -> None:
    """La liste des événements de la fiche ; le formulaire et les suppressions si le rôle le
    permet. `evenements` : ceux qui s'appliquent à la vue ; `numeros` : le numéro du repère de
    ceux qui sont tracés sur la courbe, par id."""
    utilisateur = contexte.utilisateur()
    gestion = peut_gerer(utilisateur)
    with st.container(key="evenements"):
        st.markdown("**Événements datés**")
        if message := st.session_state.pop(_MESSAGE, None):
            st.success(message, icon=apparence.ICONE_SUCCES)
        render_liste(evenements, gestion=gestion, numeros=numeros)
        if gestion:
            _render_ajout(utilisateur, indicateur=indicateur, territoire=territoire, mois=mois)


def render_liste(
    evenements: pd.DataFrame, *, gestion: bool = False, numeros: Mapping[int, int] | None = None
) -> None:
    """Une ligne par événement, précédée du numéro de son repère sur la courbe ; avec
    `gestion`, un bouton de suppression (à confirmer)."""
    if evenements.empty:
        st.caption("Aucun événement daté pour cet indicateur sur ce territoire.")
        return
    st.caption(
        "Numérotés sur la courbe, sur un trait en tirets ; un changement de définition y coupe "
        "la courbe. Un événement hors de la période tracée ne figure que dans cette liste, sans "
        "numéro."
    )
    numeros = numeros or {}
    for evenement in evenements.to_dict("records"):
        ligne = build_ligne(evenement, numeros.get(int(evenement["id"])))
        with st.container(key=f"evenement_{evenement['id']}"):
            if not gestion:
                st.markdown(ligne)
                continue
            texte, bouton = st.columns([6, 1], vertical_alignment="center")
            texte.markdown(ligne)
            if bouton.button("Supprimer", key=f"annotation_supprimer_{evenement['id']}"):
                st.session_state[_A_SUPPRIMER] = int(evenement["id"])
                st.rerun()
            if st.session_state.get(_A_SUPPRIMER) == evenement["id"]:
                _render_confirmation(evenement)


def _render_confirmation(evenement: Mapping[str, Any]) -> None:
    libelle = formats.texte_brut(str(evenement["libelle"]))
    st.warning(f"Supprimer l'événement « {libelle} » ?", icon=apparence.ICONE_SUPPRIMER)
    oui, non = st.columns(2)
    if oui.button("Confirmer la suppression", key="annotation_confirmer", type="primary"):
        st.session_state.pop(_A_SUPPRIMER, None)
        try:
            donnees_annotations.delete(int(evenement["id"]), acteur=contexte.utilisateur())
        except (AnnotationInvalide, DroitRefuse) as exc:
            st.error(f"Suppression impossible : {exc}.", icon=apparence.ICONE_REFUS)
            return
        libelle = formats.texte_brut(str(evenement["libelle"]))
        st.session_state[_MESSAGE] = f"Événement supprimé : « {libelle} »."
        st.rerun()
    if non.button("Garder l'événement", key="annotation_garder"):
        st.session_state.pop(_A_SUPPRIMER, None)
        st.rerun()


def _cle(champ: str, indicateur: str) -> str:
    """Clé d'un champ du formulaire : propre à la fiche et à la génération du formulaire."""
    generation = st.session_state.get(_GENERATION, 0)
    return f"annotation_{champ}_{generation}_{indicateur.replace('.', '-')}"


def _render_ajout(utilisateur: Utilisateur, *, indicateur: str, territoire: str, mois: str) -> None:
    """« Ajouter un événement » : portée, territoire, type, mois, libellé."""
    choix = lectures.choix_vue(utilisateur.perimetre)
    with st.expander("Ajouter un événement"):
        portee = st.radio(
            "Indicateurs concernés", list(PORTEES), key=_cle("portee", indicateur),
            format_func=lambda p: f"{PORTEES[p]} ({indicateur})" if p == "cet" else PORTEES[p],
            horizontal=True,
        )  # fmt: skip
        autres: list[str] = []
        if portee == "plusieurs":
            autres = st.multiselect(
                "Indicateurs", list(choix.indicateurs), default=[indicateur],
                key=_cle("indicateurs", indicateur),
                format_func=lambda c: f"{c} · {choix.indicateurs[c]}",
            )  # fmt: skip
        lieux = options_territoires(choix.territoires, utilisateur.perimetre)
        lieu = st.selectbox(
            "Territoire où l'événement s'applique", list(lieux), key=_cle("territoire", indicateur),
            index=list(lieux).index(territoire) if territoire in lieux else 0,
            format_func=lieux.__getitem__,
        )  # fmt: skip
        type_ = st.selectbox("Type d'événement", list(TYPES), key=_cle("type", indicateur),
                             format_func=TYPES.__getitem__)  # fmt: skip
        moiss = list(choix.periodes)
        date = st.selectbox(
            "Mois", moiss, key=_cle("mois", indicateur), format_func=formats.periode,
            index=moiss.index(mois) if mois in moiss else len(moiss) - 1,
        )  # fmt: skip
        libelle = st.text_input("Libellé", key=_cle("libelle", indicateur), max_chars=200)
        if st.button("Enregistrer l'événement", key=_cle("enregistrer", indicateur)):
            indicateurs = {"cet": [indicateur], "plusieurs": autres, "tous": None}[portee]
            _enregistrer(utilisateur, mois=date, type_=type_, libelle=libelle,
                         indicateurs=indicateurs, territoire=lieu or None)  # fmt: skip


def _enregistrer(
    utilisateur: Utilisateur,
    *,
    mois: str,
    type_: str,
    libelle: str,
    indicateurs: list[str] | None,
    territoire: str | None,
) -> None:
    """Écrit l'événement ; un refus est dit sous le formulaire, une réussite après relance."""
    try:
        donnees_annotations.add(
            mois=mois, type_=type_, libelle=libelle, indicateurs=indicateurs,
            territoire=territoire, acteur=utilisateur,
        )  # fmt: skip
    except (AnnotationInvalide, DroitRefuse) as exc:
        st.error(f"Événement non enregistré : {exc}.", icon=apparence.ICONE_REFUS)
        return
    st.session_state[_MESSAGE] = (
        f"Événement enregistré : « {formats.texte_brut(libelle.strip())} » "
        f"({formats.periode(mois)})."
    )
    st.session_state[_GENERATION] = st.session_state.get(_GENERATION, 0) + 1
    st.rerun()
