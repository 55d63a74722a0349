"""Écarts entre documents : les incohérences relevées dans les documents du plan, en textes prêts
à afficher (page Objectifs : la liste complète, et sur la fiche d'un indicateur celles qui le
touchent).

Modèle pur : il reçoit `data_access.ecarts.read_ecarts` et `read_ecarts_indicateurs`. Chaque
écart garde sa description telle que le référentiel l'écrit (elle cite les deux lectures, dans
les mots des documents) et une source par lecture : `ou` sépare par « / » l'endroit de chacune.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from dashboard import sources

GRAVITES = ("haute", "moyenne", "faible")  # ordre d'affichage, la plus grave d'abord
SEPARATEUR_LECTURES = " / "  # dans `ou` : l'endroit de chaque lecture


@dataclass(frozen=True)
class Ecart:
    """Un écart à afficher : ses deux lectures (la description) et la source de chacune."""

    code: str
    gravite: str
    description: str
    sources: tuple[str, ...]
    indicateurs: tuple[str, ...]


def source_lisible(source: str) -> str:
    """Une source telle qu'on la montre (`002_08888835fc8aebb3.txt §3.2` pour l'instant).

    Seul point à remplacer quand les fichiers auront leur nom de document (« PDIE 2017-2019,
    §3.2 ») : la même forme « fichier endroit » que la colonne `source` du référentiel.
    """
    return source


def sources_lectures(sources: str, ou: str) -> tuple[str, ...]:
    """Une source par lecture : chaque endroit de `ou` avec son fichier.

    Un seul fichier : chaque endroit dans ce fichier. Autant de fichiers que d'endroits : dans
    l'ordre (INC-20 : 002 au §5.2.15, 003 en partie I). Sinon les fichiers, puis `ou` entier.
    """
    fichiers = [f.strip() for f in sources.split(",") if f.strip()]
    lieux = [lieu.strip() for lieu in ou.split(SEPARATEUR_LECTURES)]
    if len(fichiers) == 1:
        return tuple(source_lisible(f"{fichiers[0]} {lieu}") for lieu in lieux)
    if len(fichiers) == len(lieux):
        return tuple(
            source_lisible(f"{f} {_sans_numero(lieu, f)}")
            for f, lieu in zip(fichiers, lieux, strict=True)
        )
    documents = ", ".join(source_lisible(f) for f in fichiers)
    return (f"{documents} ({ou})",)


def _sans_numero(lieu: str, fichier: str) -> str:
    """« 003 partie I » dans le fichier 003 : « partie I » (le fichier le dit déjà)."""
    return re.sub(rf"^{re.escape(fichier[:3])}\s+", "", lieu)


def build_ecarts(ecarts: pd.DataFrame, liens: pd.DataFrame) -> list[Ecart]:
    """Tous les écarts, dans l'ordre des codes, chacun avec les indicateurs qu'il touche."""
    touches: dict[str, list[str]] = {}
    for ecart, indicateur in zip(liens["ecart"], liens["indicateur"], strict=True):
        touches.setdefault(str(ecart), []).append(str(indicateur))
    return [
        Ecart(
            code=str(ligne["code"]),
            gravite=str(ligne["gravite"]),
            description=str(ligne["description"]),
            sources=sources_lectures(str(ligne["sources"]), str(ligne["ou"])),
            indicateurs=tuple(touches.get(str(ligne["code"]), ())),
        )
        for ligne in ecarts.to_dict("records")
    ]


def par_gravite(ecarts: list[Ecart]) -> dict[str, list[Ecart]]:
    """Les écarts groupés par gravité, la plus grave d'abord ; une gravité inconnue à la fin."""
    ordre = {g: i for i, g in enumerate(GRAVITES)}
    groupes: dict[str, list[Ecart]] = {}
    for ecart in sorted(ecarts, key=lambda e: ordre.get(e.gravite, len(GRAVITES))):
        groupes.setdefault(ecart.gravite, []).append(ecart)
    return groupes


def de_l_indicateur(ecarts: list[Ecart], indicateur: str) -> list[Ecart]:
    """Les écarts qui touchent un indicateur (sa fiche)."""
    return [e for e in ecarts if indicateur in e.indicateurs]


def texte_titre_section(ecarts: list[Ecart]) -> str:
    """« 28 écarts relevés : 4 de gravité haute, 11 de gravité moyenne, 13 de gravité faible »."""
    detail = ", ".join(
        f"{len(liste)} de gravité {gravite}" for gravite, liste in par_gravite(ecarts).items()
    )
    pluriel = "s" if len(ecarts) > 1 else ""
    return f"{len(ecarts)} écart{pluriel} relevé{pluriel} : {detail}"


def texte_indicateurs(ecart: Ecart) -> str:
    """« indicateurs concernés : OO2-S.1, OO3-S.1 », ou rien si l'écart n'en touche aucun."""
    if not ecart.indicateurs:
        return ""
    pluriel = "s" if len(ecart.indicateurs) > 1 else ""
    return f"indicateur{pluriel} concerné{pluriel} : {', '.join(ecart.indicateurs)}"


def texte_sources(ecart: Ecart) -> str:
    """« Sources : <lecture 1> · <lecture 2> » (« Source : » quand les lectures sont au même
    endroit), chaque document par son nom (`sources.lisible` : un élu lit « PDIE 2017-2019 »,
    pas un nom de fichier)."""
    pluriel = "s" if len(ecart.sources) > 1 else ""
    return f"Source{pluriel} : {' · '.join(sources.lisible(s) for s in ecart.sources)}"
