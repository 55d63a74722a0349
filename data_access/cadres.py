"""Mise en DataFrame des résultats SQL, avec un format de colonnes déclaré.

Les pages ne devinent jamais un type : chaque lecture déclare ses colonnes et leurs types, appliqués
ici, y compris quand le résultat est vide (un DataFrame vide garde ses colonnes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd


def en_cadre(lignes: Iterable[Any], colonnes: Mapping[str, str]) -> pd.DataFrame:
    """DataFrame aux colonnes et types de `colonnes` à partir de lignes SQLAlchemy ou de tuples."""
    cadre = pd.DataFrame.from_records(list(lignes), columns=list(colonnes))
    return cadre.astype(dict(colonnes))
