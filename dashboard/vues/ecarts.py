"""Rendu des écarts entre documents : la section de la page Objectifs (tous les écarts, par
gravité) et, sur la fiche d'un indicateur, ceux qui le touchent.

Un écart tient en un seul élément Markdown (titre, description, sources) : la page Objectifs
compte déjà ~200 éléments, et chacun coûte au serveur (bench/NOTES_CHARGE.md).
"""

from __future__ import annotations

import re

import streamlit as st

from dashboard.donnees import plan as donnees_plan
from dashboard.modeles import ecarts as modele
from dashboard.modeles.ecarts import Ecart

# Ce qui déclencherait une mise en forme (gras, formule, lien, HTML) dans un texte du
# référentiel ; les parenthèses, tirets et points restent tels quels pour se lire sans « \ ».
_ACTIFS = re.compile(r"([\\`*$~<>\[\]|])")
_MILLIERS = re.compile(r"(?<=\d) (?=\d{3}\b)")  # « 10 000 » ne se coupe pas en fin de ligne


def _echapper(texte: str) -> str:
    return _MILLIERS.sub("\u202f", _ACTIFS.sub(r"\\\1", texte))


def _ecarts() -> list[Ecart]:
    return modele.build_ecarts(donnees_plan.ecarts(), donnees_plan.ecarts_indicateurs())


def texte_ecart(ecart: Ecart, *, avec_indicateurs: bool) -> str:
    """« **INC-01** · gravité haute · indicateur concerné : OO2-S.1 », la description (les deux
    lectures), puis la source de chaque lecture, en petit."""
    tete = [f"**{ecart.code}**", f"gravité {ecart.gravite}"]
    if avec_indicateurs and ecart.indicateurs:
        tete.append(modele.texte_indicateurs(ecart))
    return "  \n".join(
        [" · ".join(tete), _echapper(ecart.description),
         f":small[{_echapper(modele.texte_sources(ecart))}]"]
    )  # fmt: skip


def render_section() -> None:
    """La section « Écarts entre documents » : tous les écarts, un bloc repliable par gravité."""
    ecarts = _ecarts()
    with st.container(key="ecarts_documents"):
        st.subheader("Écarts entre documents", anchor=False, divider="gray")
        st.caption(
            f"{modele.texte_titre_section(ecarts)}. Les documents du plan se contredisent par "
            "endroits : chaque écart donne les deux lectures et la source de chacune ; les "
            "chiffres concernés sont affichés côte à côte, jamais réconciliés."
        )
        for gravite, liste in modele.par_gravite(ecarts).items():
            with st.expander(f"Gravité {gravite} · {len(liste)} écart{'s' * (len(liste) > 1)}"):
                for ecart in liste:
                    st.markdown(texte_ecart(ecart, avec_indicateurs=True))


def render_fiche(indicateur: str) -> None:
    """Sur la fiche d'un indicateur, les écarts qui le touchent (rien s'il n'y en a pas)."""
    touches = modele.de_l_indicateur(_ecarts(), indicateur)
    if not touches:
        return
    with st.container(key="fiche_ecarts"):
        st.markdown(f"**Écarts entre documents qui touchent {indicateur}**")
        for ecart in touches:
            st.markdown(texte_ecart(ecart, avec_indicateurs=False))
