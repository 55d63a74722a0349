"""Lecture des arborescences du plan : objectifs, actions et indicateurs, à plat, dans l'ordre.

Les arbres ne sont jamais fusionnés (écart INC-03) : le §7 du PDIE (finalité → OS → OO →
actions → indicateurs), la préface (orientations), le §3 (objectifs stratégiques chiffrés) et la
convention MDE 2020 (axes → stratégies, indicateurs rattachés à l'axe : la convention ne dit pas
à quelle stratégie chacun se rapporte, on ne le devine pas). Une ligne par nœud, dans l'ordre
d'un parcours en profondeur qui suit le rang de chaque élément dans son document : la page peut
dessiner l'arbre en lisant les lignes de haut en bas, sans tri ni jointure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select

from data_access import schema
from data_access.cadres import en_cadre

# Racines montrées par défaut : l'arbre du §7 (auquel les indicateurs sont rattachés) et celui
# de la convention MDE. Les orientations de la préface et les objectifs du §3 sont des racines
# sans enfants, à demander explicitement.
RACINES_DEFAUT = ("finalite", "axe")

COLONNES_ARBRE = {
    "code": "string",
    "plan": "string",
    "parent": "string",
    "type": "string",  # objectif, action, indicateur
    "niveau": "string",  # finalite, os, oo, axe, strategie…, action, indicateur
    "libelle": "string",
    "rang": "Int64",
    "profondeur": "int64",
    "ordre": "int64",
    "source": "string",
    "nature": "string",
    "unite": "string",
    "periodicite": "string",
    "polarite": "string",
    "echelle": "string",
    "prioritaire": "boolean",
    "definition": "string",
    "note": "string",
}


def _numero(code: str) -> tuple[int, str]:
    """Clé de tri d'une action (`A2` avant `A10`) : les actions n'ont pas de rang en base."""
    m = re.search(r"\d+", code)
    return (int(m.group()) if m else 0, code)


def _objectifs(conn: Connection) -> list[dict[str, Any]]:
    o = schema.objectif
    requete = select(o.c.code, o.c.plan, o.c.parent, o.c.niveau, o.c.libelle, o.c.rang,
                     o.c.source).order_by(o.c.plan, o.c.rang, o.c.code)  # fmt: skip
    return [dict(r, type="objectif") for r in conn.execute(requete).mappings()]


def _actions(conn: Connection, plans: dict[str, str]) -> list[dict[str, Any]]:
    a = schema.action
    requete = select(a.c.code, a.c.objectif.label("parent"), a.c.libelle, a.c.source)
    lignes = [dict(r) for r in conn.execute(requete).mappings()]
    lignes.sort(key=lambda r: _numero(r["code"]))
    return [
        dict(r, type="action", niveau="action", rang=rang, plan=plans.get(r["parent"]))
        for rang, r in enumerate(lignes, start=1)
    ]


def _indicateurs(conn: Connection) -> list[dict[str, Any]]:
    i = schema.indicateur
    requete = select(
        i.c.code, i.c.plan, i.c.objectif, i.c.action, i.c.libelle, i.c.rang, i.c.source,
        i.c.nature, i.c.unite, i.c.periodicite, i.c.polarite, i.c.echelle, i.c.prioritaire,
        i.c.definition, i.c.note,
    ).order_by(i.c.rang)  # fmt: skip
    return [
        dict(r, type="indicateur", niveau="indicateur", parent=r["action"] or r["objectif"])
        for r in conn.execute(requete).mappings()
    ]


def _parcours(
    enfants: dict[str | None, list[dict[str, Any]]], racines: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Parcours en profondeur : un nœud, ses indicateurs, puis ses sous-objectifs et actions."""
    sortie: list[dict[str, Any]] = []
    pile = [(r, 0) for r in reversed(racines)]
    while pile:
        noeud, profondeur = pile.pop()
        sortie.append(dict(noeud, profondeur=profondeur, ordre=len(sortie)))
        for enfant in reversed(enfants.get(noeud["code"], [])):
            pile.append((enfant, profondeur + 1))
    return sortie


def _enfants(noeuds: list[dict[str, Any]]) -> dict[str | None, list[dict[str, Any]]]:
    """Enfants de chaque nœud : indicateurs d'abord, puis objectifs, puis actions, par rang."""
    priorite = {"indicateur": 0, "objectif": 1, "action": 2}
    enfants: dict[str | None, list[dict[str, Any]]] = {}
    for n in noeuds:
        enfants.setdefault(n["parent"], []).append(n)
    for liste in enfants.values():
        liste.sort(key=lambda n: (priorite[n["type"]], n["rang"] or 0))
    return enfants


def read_arbre(conn: Connection, *, racines: Sequence[str] = RACINES_DEFAUT) -> pd.DataFrame:
    """Les arbres dont la racine a l'un des `racines` (niveaux), à plat, dans l'ordre du document.

    Colonnes `COLONNES_ARBRE` ; `profondeur` 0 pour une racine ; `ordre` = rang de la ligne ;
    `parent` d'un indicateur = son action, à défaut son objectif. Les colonnes d'indicateur
    (nature, unité, périodicité, polarité, échelle, définition…) sont vides pour les autres
    lignes. Les arbres se suivent dans l'ordre de `racines`, puis du rang de leur racine.
    """
    objectifs = _objectifs(conn)
    plans = {o["code"]: o["plan"] for o in objectifs}
    noeuds = objectifs + _actions(conn, plans) + _indicateurs(conn)
    ordre_racine = {niveau: i for i, niveau in enumerate(racines)}
    tetes = sorted(
        (o for o in objectifs if o["parent"] is None and o["niveau"] in ordre_racine),
        key=lambda o: (ordre_racine[o["niveau"]], o["rang"]),
    )
    lignes = _parcours(_enfants(noeuds), tetes)
    return en_cadre(([ligne.get(c) for c in COLONNES_ARBRE] for ligne in lignes), COLONNES_ARBRE)
