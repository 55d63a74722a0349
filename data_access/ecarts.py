"""Écarts entre documents : les incohérences relevées dans les documents sources (table `ecart`,
`config/referentiel/ecarts.csv`) et les indicateurs qu'elles touchent.

Un écart est un fait documentaire (deux lectures d'un même chiffre, d'une même définition), pas
une valeur d'un territoire : il se lit en entier, quel que soit le périmètre de l'utilisateur.

La table `ecart` n'a pas de colonne de rattachement aux indicateurs ; le référentiel les relie
pourtant de deux façons, et `read_ecarts_indicateurs` lit les deux :
- la définition ou la note d'un indicateur, ou la note d'une de ses cibles, cite l'écart
  (« … jamais recalés (INC-01) ») ;
- l'écart nomme l'indicateur : par son code (`A27.2`), sa racine de suivi (`OO2-S` pour
  `OO2-S.1`) ou son action (`A13` pour `A13.1`, `A6 à A10` compris), dans `ou` ou dans
  `description` ; ou bien `ou` place une des lectures sur la ligne d'un objectif opérationnel
  (`OO2`), dont l'indicateur de suivi (`OO2-S.1`) porte le chiffre. Dans la description, un
  objectif ne fait que situer autre chose (« A6 … sous OS1/OO2 ») : il ne compte pas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select

from data_access import schema
from data_access.cadres import en_cadre

COLONNES_ECARTS = {
    "code": "string",
    "sources": "string",  # fichier(s) source, séparés par « , »
    "ou": "string",  # l'endroit de chaque lecture dans le(s) fichier(s)
    "gravite": "string",  # haute, moyenne, faible
    "description": "string",  # les deux lectures, dans les mots des documents
}
COLONNES_LIENS = {"ecart": "string", "indicateur": "string"}

_CITATION = re.compile(r"INC-\d+")
_PLAGE = re.compile(r"\b([A-Z]+)(\d+) à \1(\d+)\b")  # « A6 à A10 »
_SUIVI = re.compile(r"^(.+-S)\.\d+$")  # OO2-S.1 → OO2-S
# Un code entier : pas collé à un mot, à un point ou à un tiret (« MDE-I1 » ne nomme pas « I1 »).
_CODE = re.compile(r"(?<![\w.-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)?(?:\.\d+)?(?![\w-])")


def read_ecarts(conn: Connection) -> pd.DataFrame:
    """Tous les écarts, dans l'ordre de leur code (`INC-01`…), colonnes `COLONNES_ECARTS`."""
    e = schema.ecart
    requete = select(*(e.c[c] for c in COLONNES_ECARTS)).order_by(e.c.code)
    return en_cadre(conn.execute(requete), COLONNES_ECARTS)


def read_ecarts_indicateurs(conn: Connection) -> pd.DataFrame:
    """Les couples (écart, indicateur) que le référentiel relie, dans l'ordre des écarts puis du
    tableau des indicateurs ; colonnes `COLONNES_LIENS`. Règles : voir le docstring du module."""
    e = schema.ecart
    ecarts = conn.execute(select(e.c.code, e.c.ou, e.c.description).order_by(e.c.code)).all()
    indicateurs = _indicateurs(conn)
    citations = _citations(conn, indicateurs)
    couples = []
    for code, ou, description in ecarts:
        lieux = codes_nommes(ou)
        nommes = lieux | codes_nommes(description)
        couples += [
            (code, ind["code"])
            for ind in indicateurs
            if code in citations[ind["code"]] or noms(ind) & nommes or _objectif_suivi(ind) in lieux
        ]
    return en_cadre(couples, COLONNES_LIENS)


def _indicateurs(conn: Connection) -> list[dict[str, Any]]:
    i = schema.indicateur
    requete = select(i.c.code, i.c.objectif, i.c.action, i.c.niveau, i.c.definition, i.c.note)
    return [dict(r) for r in conn.execute(requete.order_by(i.c.rang)).mappings()]


def _citations(conn: Connection, indicateurs: Iterable[dict[str, Any]]) -> dict[str, set[str]]:
    """Les écarts cités par chaque indicateur (définition, note) et par les notes de ses cibles."""
    citations = {
        ind["code"]: set(_CITATION.findall(f"{ind['definition']} {ind['note']}"))
        for ind in indicateurs
    }
    c = schema.cible
    notes = select(c.c.indicateur, c.c.note).where(c.c.note.contains("INC-")).distinct()
    for indicateur, note in conn.execute(notes):
        citations.setdefault(indicateur, set()).update(_CITATION.findall(note))
    return citations


def noms(indicateur: dict[str, Any]) -> set[str]:
    """Les noms sous lesquels un texte désigne un indicateur : son code, sa racine de suivi
    (`OO2-S`), son action (`A13`)."""
    code = str(indicateur["code"])
    designations = {code}
    suivi = _SUIVI.match(code)
    if suivi:
        designations.add(suivi.group(1))
    if indicateur["action"]:
        designations.add(str(indicateur["action"]))
    return designations


def _objectif_suivi(indicateur: dict[str, Any]) -> str | None:
    """L'objectif dont l'indicateur est le suivi (ligne « Suivi de l'objectif opérationnel »)."""
    return str(indicateur["objectif"]) if indicateur["niveau"] == "objectif" else None


def codes_nommes(texte: str) -> set[str]:
    """Les codes qu'un texte nomme, plages développées (« A6 à A10 » : A6, A7, … A10).

    Un code se lit entier : « A3 » n'est pas dans « A34 » ni dans « A3.1 », « OO2 » n'est pas
    dans « OO2-S » (qui est lui-même un nom).
    """
    developpe = _PLAGE.sub(
        lambda m: ", ".join(f"{m[1]}{n}" for n in range(int(m[2]), int(m[3]) + 1)), texte
    )
    return set(_CODE.findall(developpe))
