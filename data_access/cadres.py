"""Mise en DataFrame des résultats SQL, avec un format de colonnes déclaré.

Les pages ne devinent jamais un type : chaque lecture déclare ses colonnes et leurs types, appliqués
ici, y compris quand le résultat est vide (un DataFrame vide garde ses colonnes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Executable


def en_cadre(lignes: Iterable[Any], colonnes: Mapping[str, str]) -> pd.DataFrame:
    """DataFrame aux colonnes et types de `colonnes` à partir de lignes SQLAlchemy ou de tuples."""
    cadre = pd.DataFrame([tuple(ligne) for ligne in lignes], columns=list(colonnes))
    return cadre.astype(dict(colonnes))


def lire(conn: Connection, requete: Executable, colonnes: Sequence[str]) -> pd.DataFrame:
    """Résultat d'une requête en DataFrame aux colonnes nommées, sans types imposés.

    Les lignes passent par des tuples : devant une `Row` SQLAlchemy, pandas cherche des attributs
    (`_fields`, …) que la Row résout par un repli coûteux, environ 9 µs par ligne. Mesuré sur
    60 000 lignes : 0,55 s depuis les Row, 0,07 s depuis des tuples ; c'était le tiers du temps
    de `read_progressions` d'un département à l'échelle de la France (bench/NOTES_ECHELLE.md).
    """
    lignes = conn.execute(requete).all()  # fetchall : ligne à ligne, psycopg coûte deux fois plus
    return pd.DataFrame([tuple(ligne) for ligne in lignes], columns=list(colonnes))


def nombre(x: Any) -> float | None:
    """Une cellule numérique lue d'un cadre, en nombre Python ; NaN, NA ou None donnent None."""
    return None if x is None or pd.isna(x) else float(x)
