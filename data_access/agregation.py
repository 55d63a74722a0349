"""Règles d'agrégation selon la nature d'un indicateur : on n'additionne jamais des taux.

- flux (événements sur une période) et montants : somme des cantons pour une même période ;
- stock (niveau à une date) : somme des cantons à la même date, jamais cumulé dans le temps ;
- taux : recomposé à partir des numérateurs et dénominateurs sommés ;
- jalon : pas d'agrégat (un jalon est atteint ou non au niveau où il est suivi).
Les périodes ne se mélangent pas : la somme se fait à code de période égal, dans la périodicité
de l'indicateur.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ADDITIVES = {"flux", "stock", "montant"}


def facteur_taux(unite: str) -> float:
    """Un taux en « % » est exprimé sur 100 ; un ratio (placements par conseiller) sur 1."""
    return 100.0 if unite.strip() == "%" else 1.0


def recombine(sommes: pd.DataFrame, *, nature: str, unite: str) -> pd.Series:
    """Valeur agrégée à partir des sommes (`somme_valeur`, `somme_numerateur`, …)."""
    if nature in ADDITIVES:
        return sommes["somme_valeur"].astype("float64")
    if nature == "taux":
        den = sommes["somme_denominateur"].astype("float64")
        num = sommes["somme_numerateur"].astype("float64")
        return (num / den.where(den > 0) * facteur_taux(unite)).astype("float64")
    return pd.Series(np.nan, index=sommes.index, dtype="float64")


def cumule(valeurs: pd.Series | np.ndarray, *, nature: str) -> float:
    """Réalisé sur plusieurs périodes : somme (flux, montant) ou dernier niveau (stock, taux).

    En tableau numpy : appelée pour chaque cible de chaque indicateur évalué (des milliers de
    fois pour un département à l'échelle de la France), où une Series coûte plus que le calcul."""
    nombres = np.asarray(valeurs, dtype="float64")
    propres = nombres[~np.isnan(nombres)]
    if propres.size == 0:
        return float("nan")
    if nature in {"flux", "montant"}:
        return float(propres.sum())
    return float(propres[-1])
