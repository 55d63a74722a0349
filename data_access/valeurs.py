"""Écriture des valeurs d'indicateurs avec historique : une version nouvelle remplace, sans effacer.

Une valeur est identifiée par (indicateur, territoire, période). Un lot qui apporte une valeur
différente pour une clé existante crée une nouvelle ligne `courante` et retire ce drapeau à
l'ancienne ; une valeur identique n'écrit rien. Les lectures ne regardent que les lignes courantes.
"""

from __future__ import annotations

import math

import pandas as pd
from sqlalchemy import Connection, bindparam, select, update

from data_access import periodes, schema
from data_access.lots import Comptes

CLE = ["indicateur", "territoire", "periode"]
COLONNES_ENTREE = CLE + ["valeur", "numerateur", "denominateur", "statut"]
_COMPAREES = ["valeur", "numerateur", "denominateur", "statut"]
_LOT_ECRITURE = 5000


def _memes(a: object, b: object) -> bool:
    """Égalité de deux valeurs lues ou écrites (NULL = NaN, flottants à 1e-9 près)."""
    vide_a = a is None or (isinstance(a, float) and math.isnan(a))
    vide_b = b is None or (isinstance(b, float) and math.isnan(b))
    if vide_a or vide_b:
        return vide_a and vide_b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _courantes(conn: Connection, indicateurs: list[str]) -> pd.DataFrame:
    v = schema.valeur
    requete = select(v.c.id, *(v.c[c] for c in CLE + _COMPAREES)).where(
        v.c.courante, v.c.indicateur.in_(indicateurs)
    )
    return pd.DataFrame(conn.execute(requete).all(), columns=["id", *CLE, *_COMPAREES])


def write_valeurs(conn: Connection, *, lot: int, lignes: pd.DataFrame) -> Comptes:
    """Écrit `lignes` (colonnes de COLONNES_ENTREE, déjà validées) dans le lot `lot`."""
    if lignes.empty:
        return Comptes()
    entree = lignes[COLONNES_ENTREE].astype(object).where(lignes[COLONNES_ENTREE].notna(), None)
    anciennes = _courantes(conn, sorted(entree["indicateur"].unique()))
    par_cle = {tuple(r[c] for c in CLE): r for r in anciennes.to_dict("records")}
    a_inserer: list[dict[str, object]] = []
    a_retirer: list[int] = []
    identiques = 0
    for ligne in entree.to_dict("records"):
        ancienne = par_cle.get(tuple(ligne[c] for c in CLE))
        if ancienne is not None and all(_memes(ligne[c], ancienne[c]) for c in _COMPAREES):
            identiques += 1
            continue
        if ancienne is not None:
            a_retirer.append(int(ancienne["id"]))
        periode = periodes.parse(str(ligne["periode"]))
        a_inserer.append(
            ligne | {"periode": periode.code, "debut": str(periode.debut), "fin": str(periode.fin),
                     "lot": lot, "courante": True}
        )  # fmt: skip
    _retirer(conn, a_retirer)
    for debut in range(0, len(a_inserer), _LOT_ECRITURE):
        conn.execute(schema.valeur.insert(), a_inserer[debut : debut + _LOT_ECRITURE])
    return Comptes(len(a_inserer) - len(a_retirer), len(a_retirer), identiques)


def _retirer(conn: Connection, ids: list[int]) -> None:
    """Retire le drapeau `courante` des versions remplacées (elles restent dans l'historique)."""
    if ids:
        stmt = (
            update(schema.valeur)
            .where(schema.valeur.c.id == bindparam("id_"))
            .values(courante=False)
        )
        conn.execute(stmt, [{"id_": i} for i in ids])
