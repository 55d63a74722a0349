"""Pose d'un graphique accessible : le dessin, la liste de ses événements numérotés, sa phrase
juste dessous, ses valeurs en tableau.

Toutes les pages passent par ici, pour que chaque graphique ait les mêmes alternatives : la phrase
de `dashboard.graphiques.resumes` (visible, et nom accessible du graphique) et, quand la page ne
montre pas déjà les mêmes chiffres dans un tableau, un bloc repliable avec ses valeurs. Les
événements datés sont des numéros sur la courbe : leur liste (`graphiques.annotations.lignes`,
libellés entiers) est écrite juste sous le dessin, comme sous la courbe du PDF.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.graphiques import resumes

# Caractères que le Markdown de Streamlit interpréterait (gras, lien, formule entre « $ »).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#+!|$~])")


@dataclass(frozen=True)
class Figure:
    """Un graphique calculé une fois (en cache) : ses valeurs, sa phrase, sa spécification."""

    table: pd.DataFrame
    resume: str
    spec: dict[str, Any]
    evenements: tuple[str, ...] = ()  # la liste numérotée des événements de la courbe


def texte_brut(texte: str) -> str:
    """Le texte échappé pour `st.caption` : il s'affiche tel quel, comme le lit un lecteur
    d'écran dans la description du graphique."""
    return _MARKDOWN.sub(r"\\\1", texte)


def render(
    graphique: resumes.GraphiqueAltair,
    resume: str,
    *,
    valeurs: pd.DataFrame | None = None,
    titre_valeurs: str = "Valeurs du graphique",
    cle: str | None = None,
    evenements: Sequence[str] = (),
) -> None:
    """Le graphique (nommé par sa phrase), la phrase juste dessous, ses événements numérotés,
    puis ses valeurs repliées s'il y en a."""
    st.altair_chart(resumes.decrire(graphique, resume), width="stretch", key=cle)
    st.caption(texte_brut(resume))
    render_evenements(evenements)
    _valeurs(valeurs, titre_valeurs)


def specification(
    fabrique: Callable[..., resumes.GraphiqueAltair], *args: Any, resume: str, **options: Any
) -> dict[str, Any]:
    """La spécification Vega-Lite du graphique `fabrique(*args, **options)`, nommé par sa
    phrase : à calculer dans une fonction en cache (`memo.memoise`), avec la phrase et les
    valeurs, dans une `Figure` ; construire un graphique Altair coûte plus que le poser."""
    graphique = fabrique(*args, **options)
    # La phrase posée sur le graphique qu'on vient de construire, sans le recopier : une copie
    # d'un graphique en couches recopie chaque couche en profondeur (`resumes.decrire`).
    graphique.description = resume
    # Sans validation contre le schéma Vega-Lite : elle coûte 40 % de la construction, et les
    # tests unitaires valident déjà chaque constructeur (`to_dict()` par défaut).
    return graphique.to_dict(validate=False)  # type: ignore[no-any-return]


def poser(
    spec: dict[str, Any],
    resume: str,
    *,
    valeurs: pd.DataFrame | None = None,
    titre_valeurs: str = "Valeurs du graphique",
    cle: str | None = None,
    evenements: Sequence[str] = (),
) -> None:
    """Pose une spécification de `specification` : le graphique, sa phrase juste dessous (le
    nom accessible du graphique, que le test d'accessibilité attend à cet endroit), ses
    événements numérotés, ses valeurs."""
    st.vega_lite_chart(spec=spec, width="stretch", key=cle)
    st.caption(texte_brut(resume))
    render_evenements(evenements)
    _valeurs(valeurs, titre_valeurs)


def render_evenements(lignes: Sequence[str]) -> None:
    """La liste numérotée des événements d'une courbe, sous le dessin (rien sans événement) :
    chaque numéro renvoie au repère du même numéro sur la courbe."""
    if lignes:
        liste = "\n".join(texte_brut(li) for li in lignes)
        st.markdown(f"**Événements sur la courbe**\n\n{liste}")


def _valeurs(valeurs: pd.DataFrame | None, titre_valeurs: str) -> None:
    if valeurs is not None:
        with st.expander(titre_valeurs):
            st.dataframe(valeurs, hide_index=True, width="stretch")
