"""Un calcul pur d'une page, fait une fois pour ses arguments et rejoué ensuite depuis le cache.

Chaque clic relance tout le script de la page : les lectures en base sont en cache
(`donnees*`), mais ce que la page en tire (arbre des objectifs, cartes de la synthèse,
graphiques Altair et leurs phrases) était recalculé à chaque fois, pour les mêmes données.
Sous la charge d'un matin de publication (bench/charge.py), c'était l'essentiel du temps de
processeur d'une relance. `@memoise` garde le résultat d'une fonction, par arguments, dans le cache
de Streamlit, vidé avec les autres quand les données changent (`donnees.suivre_version`).

Réservé aux fonctions pures : même arguments, même résultat, aucun appel qui dessine. Les
arguments sont hachés par Streamlit (cadres compris) ; le résultat est copié à chaque lecture.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

F = TypeVar("F", bound=Callable[..., Any])

# Fonctions décorées, par référence `module:Qualifié.nom` : le cache se clé sur des valeurs, pas
# sur des objets fonction, et le nom du module désigne l'enveloppe, pas la fonction.
_ORIGINALES: dict[str, Callable[..., Any]] = {}


@st.cache_data(max_entries=1024, show_spinner=False)
def _appel(reference: str, args: tuple[Any, ...], options: dict[str, Any]) -> Any:
    return _ORIGINALES[reference](*args, **options)


def memoise(fonction: F) -> F:
    """Décorateur : chaque appel est calculé une fois pour ses arguments. Pour les fonctions
    des modules `vue_*`, qui lisent en cache et mettent en forme ; les modules de calcul restent
    sans Streamlit. Préférer des arguments en chaînes : un cadre est haché à chaque appel."""
    reference = f"{fonction.__module__}:{fonction.__qualname__}"
    _ORIGINALES[reference] = fonction

    @functools.wraps(fonction)
    def enveloppe(*args: Any, **options: Any) -> Any:
        return _appel(reference, args, options)

    return enveloppe  # type: ignore[return-value]
