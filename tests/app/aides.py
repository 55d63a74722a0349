"""Aides des tests AppTest des pages de progression : trouver un bloc par sa clé, relire la base.

Les éléments d'AppTest (métriques, barres, textes) n'ont pas de clé : on les cherche dans le
conteneur à clé qui les porte (`st.container(key=…)`), dont l'identifiant finit par la clé.
Les chiffres attendus sont relus dans la base de démonstration par la couche `data_access`,
jamais recopiés : un test vérifie ce qu'une personne lit face à ce que la base contient.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from streamlit.testing.v1 import AppTest

from dashboard import formats
from data_access import engine


@contextmanager
def connexion(environnement: Path, *, ecriture: bool = False) -> Iterator[Connection]:
    """Une connexion à la base de démonstration du module de test ; `ecriture` : dans une
    transaction validée à la sortie (ce qu'écrirait un autre processus, ou la ligne de
    commande, pendant que la page est ouverte)."""
    eng = engine.create(f"sqlite:///{environnement / 'pilotage.db'}")
    try:
        with eng.begin() if ecriture else eng.connect() as conn:
            yield conn
    finally:
        eng.dispose()


def page(identifiant: str, fichier: str, params: dict[str, str] | None = None) -> AppTest:
    """L'application connectée, passée sur la page `fichier` (« objectifs »…), sans erreur."""
    from tests.app.conftest import app_sur_page

    at = app_sur_page(identifiant, fichier, params)
    assert not at.exception, at.exception
    return at


def bloc(noeud: Any, cle: str) -> Any:
    """Le conteneur de clé `cle` sous `noeud` (AppTest), ou None."""
    proto = getattr(noeud, "proto", None)
    identifiant = getattr(proto, "id", "") if proto is not None else ""
    if isinstance(identifiant, str) and identifiant.endswith(f"-{cle}"):
        return noeud
    for enfant in getattr(noeud, "children", {}).values():
        trouve = bloc(enfant, cle)
        if trouve is not None:
            return trouve
    return None


def textes(noeud: Any) -> list[str]:
    """Tous les textes lisibles sous `noeud` : markdown, légendes, titres, alertes, barres."""
    sortie: list[str] = []
    valeur = getattr(noeud, "value", None)
    if getattr(noeud, "type", "") == "progress":
        sortie.append(noeud.proto.text)
    elif isinstance(valeur, str):
        sortie.append(valeur)
    for enfant in getattr(noeud, "children", {}).values():
        sortie.extend(textes(enfant))
    return sortie


def entier(x: float) -> str:
    """Un compte tel qu'affiché : arrondi commercial (8 332,5 → 8 333), espace fine."""
    return formats.nombre(math.floor(float(x) + 0.5))


def valeur_barre(reel: float, cible: float) -> int:
    """Valeur d'une barre `st.progress` pour réalisé / cible (bornée à 100, tronquée)."""
    return int(max(0.0, min(1.0, reel / cible)) * 100)


def jeux_graphique(element: Any) -> list[Any]:
    """Les jeux de données d'un graphique Altair rendu (`at.get("vega_lite_chart")[i]`) : la
    spécification ne les contient pas, ils voyagent à part au format Arrow."""
    import pyarrow as pa

    return [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in element.proto.datasets]


SINGULIERS = {"non renseignés": "non renseigné", "non évaluables": "non évaluable",
              "repères": "repère"}  # fmt: skip
BARRE = re.compile(r'<div class="barre-statuts" data-code="([^"]+)"')


def barres_html(at: Any) -> dict[str, str]:
    """Le HTML de chaque barre de la page, par code d'objectif."""
    sortie = {}
    for element in at.get("html"):
        if trouve := BARRE.search(element.proto.body):
            sortie[trouve.group(1)] = element.proto.body
    return sortie


def comptes_barre(corps: str) -> tuple[Counter[str], int]:
    """Les comptes en mots d'une barre (« 2 en retard, 3 non renseignés ») et les non déclinés."""
    texte = re.search(r"<p[^>]*>(?:<strong>[^<]*</strong> · )?([^<]*)</p>", corps).group(1)
    hors = re.search(r"\(et (\d+) non déclinés?\)", texte)
    texte = re.sub(r" \(et \d+ non déclinés?\)", "", texte)
    comptes: Counter[str] = Counter()
    if texte.startswith("aucun indicateur"):
        return comptes, int(hors.group(1)) if hors else 0
    for morceau in texte.split(" : ", 1)[1].split(", "):
        nombre, mot = morceau.split(" ", 1)
        comptes[SINGULIERS.get(mot, mot)] = int(nombre)
    return comptes, int(hors.group(1)) if hors else 0


def couches_graphique(element: Any) -> list[tuple[dict[str, Any], Any]]:
    """(spécification, données) de chaque couche d'un graphique Altair rendu : la
    spécification nomme le jeu de chaque couche, les jeux voyagent à part au format Arrow."""
    import json

    import pandas as pd
    import pyarrow as pa

    jeux = {
        d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas()
        for d in element.proto.datasets
    }
    spec = json.loads(element.proto.spec)
    return [
        (
            couche,
            jeux.get((couche.get("data") or spec.get("data") or {}).get("name"), pd.DataFrame()),
        )
        for couche in spec.get("layer", [spec])
    ]


def marque(couche: dict[str, Any]) -> str:
    """Le type de marque d'une couche (`line`, `rule`, `text`…)."""
    valeur = couche["mark"]
    return str(valeur["type"] if isinstance(valeur, dict) else valeur)
