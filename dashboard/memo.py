"""Un calcul pur d'une page, fait une fois pour ses arguments et rejoué ensuite depuis le cache.

Chaque clic relance tout le script de la page : les lectures en base sont en cache
(`donnees*`), mais ce que la page en tire (arbre des objectifs, cartes de la synthèse,
graphiques Altair et leurs phrases) était recalculé à chaque fois, pour les mêmes données.
Sous la charge d'un matin de publication (bench/charge.py), c'était l'essentiel du temps de
processeur d'une relance. `en_cache(f, *args)` garde le résultat de `f(*args)` dans le cache
de Streamlit, vidé avec les autres quand les données changent (`donnees.suivre_version`).

Réservé aux fonctions pures : même arguments, même résultat, aucun appel qui dessine. Les
arguments sont hachés par Streamlit (cadres compris) ; le résultat est copié à chaque lecture.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

# Fonctions décorées par `memoise`, par référence : le nom du module désigne l'enveloppe.
_ORIGINALES: dict[str, Callable[..., Any]] = {}


def nom(fonction: Callable[..., Any]) -> str:
    """`module:Qualifié.nom` : ce qui retrouve la fonction dans un autre processus ou une autre
    exécution (le cache se clé sur des valeurs, pas sur des objets fonction)."""
    return f"{fonction.__module__}:{fonction.__qualname__}"


def resoudre(reference: str) -> Callable[..., Any]:
    module, _, qualifie = reference.partition(":")
    objet: Any = importlib.import_module(module)
    for partie in qualifie.split("."):
        objet = getattr(objet, partie)
    return objet  # type: ignore[no-any-return]


@st.cache_data(max_entries=1024, show_spinner=False)
def _appel(reference: str, args: tuple[Any, ...], options: dict[str, Any]) -> Any:
    fonction = _ORIGINALES.get(reference) or resoudre(reference)
    return fonction(*args, **options)


def en_cache(fonction: Callable[..., T], *args: Any, **options: Any) -> T:
    """`fonction(*args, **options)`, calculé une fois pour ces arguments."""
    return _appel(nom(fonction), args, options)  # type: ignore[no-any-return]


def memoise(fonction: F) -> F:
    """Décorateur : chaque appel passe par `en_cache`. Pour les fonctions des modules `vue_*`,
    qui lisent en cache et mettent en forme ; les modules de calcul restent sans Streamlit."""
    reference = nom(fonction)
    _ORIGINALES[reference] = fonction

    @functools.wraps(fonction)
    def enveloppe(*args: Any, **options: Any) -> Any:
        return _appel(reference, args, options)

    return enveloppe  # type: ignore[return-value]
