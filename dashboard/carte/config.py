"""Réglages de la carte (`config/carte.toml`) et fichiers de géographie versionnés qu'elle lit.

Le seuil du secret statistique, le fond de carte, la discrétisation et les palettes sont dans un
fichier éditable, pas dans le code ; ils sont vérifiés au chargement, pour qu'une faute de frappe
(palette inconnue, seuil nul qui lèverait le secret) arrête l'application avec un message clair
au lieu de dessiner en silence une carte fausse.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from config.settings import DOSSIER_CONFIG
from dashboard.carte.classes import (
    MAX_CLASSES,
    MAX_CLASSES_DIVERGENTES,
    PALETTES_DIVERGENTES,
    PALETTES_SEQUENTIELLES,
    Methode,
)

FICHIER = DOSSIER_CONFIG / "carte.toml"
GEOGRAPHIE = DOSSIER_CONFIG / "geographie"


class ConfigCarteInvalide(ValueError):
    """`config/carte.toml` contient une valeur refusée ; le message dit laquelle et pourquoi."""


@dataclass(frozen=True)
class ConfigCarte:
    """Réglages de la carte, immuables une fois lus."""

    seuil_secret: int
    tuiles: str
    attribution_tuiles: str
    methode: Methode
    nb_classes: int
    nb_classes_divergentes: int
    palette_sequentielle: str
    palette_divergente: str


def _entier(brut: dict[str, Any], section: str, cle: str, mini: int, maxi: int) -> int:
    valeur = brut.get(section, {}).get(cle)
    if not isinstance(valeur, int) or isinstance(valeur, bool) or not mini <= valeur <= maxi:
        raise ConfigCarteInvalide(
            f"{FICHIER.name} : [{section}] {cle} doit être un entier de {mini} à {maxi} "
            f"(lu : {valeur!r})"
        )
    return valeur


def _choix(brut: dict[str, Any], section: str, cle: str, permis: list[str]) -> str:
    valeur = brut.get(section, {}).get(cle)
    if valeur not in permis:
        raise ConfigCarteInvalide(
            f"{FICHIER.name} : [{section}] {cle} = {valeur!r} ; valeurs permises : "
            + ", ".join(f"« {p} »" for p in permis)
        )
    return str(valeur)


def _fond(brut: dict[str, Any]) -> tuple[str, str]:
    fond = brut.get("fond", {})
    tuiles, attribution = str(fond.get("tuiles", "")).strip(), str(fond.get("attribution", ""))
    if tuiles and not attribution.strip():
        raise ConfigCarteInvalide(
            f"{FICHIER.name} : [fond] attribution est obligatoire quand des tuiles sont configurées"
        )
    return tuiles, attribution.strip()


def build_config_carte(brut: dict[str, Any]) -> ConfigCarte:
    """Réglages vérifiés à partir du contenu TOML déjà lu (séparé pour les tests)."""
    seuil = _entier(brut, "secret", "seuil", 1, 1000)
    tuiles, attribution = _fond(brut)
    divergentes = _entier(brut, "classes", "nombre_divergentes", 2, MAX_CLASSES_DIVERGENTES)
    if divergentes % 2:
        raise ConfigCarteInvalide(
            f"{FICHIER.name} : [classes] nombre_divergentes doit être pair (autant de classes "
            f"sous zéro qu'au-dessus), lu : {divergentes}"
        )
    return ConfigCarte(
        seuil_secret=seuil,
        tuiles=tuiles,
        attribution_tuiles=attribution,
        methode=Methode(_choix(brut, "classes", "methode", [m.value for m in Methode])),
        nb_classes=_entier(brut, "classes", "nombre", 2, MAX_CLASSES),
        nb_classes_divergentes=divergentes,
        palette_sequentielle=_choix(brut, "palettes", "sequentielle", list(PALETTES_SEQUENTIELLES)),
        palette_divergente=_choix(brut, "palettes", "divergente", list(PALETTES_DIVERGENTES)),
    )


def read_config_carte(chemin: Path | None = None) -> ConfigCarte:
    """Lit et vérifie `config/carte.toml` ; lève ConfigCarteInvalide avec un message en français."""
    with (chemin or FICHIER).open("rb") as f:
        return build_config_carte(tomllib.load(f))


@lru_cache(maxsize=8)
def read_geojson(nom: str) -> dict[str, Any]:
    """Un GeoJSON de `config/geographie/`, lu une fois par processus. Ne pas le modifier."""
    return json.loads((GEOGRAPHIE / nom).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def read_libelles_zones() -> dict[str, str]:
    """Libellé de chaque zone dessinée (« Strasbourg (cantons 1 à 6) » pour la zone commune)."""
    zones = read_geojson("cantons_67.geojson")["features"]
    return {z["properties"]["zone"]: z["properties"]["libelle"] for z in zones}


def read_libelles_territoires() -> dict[str, str]:
    """Libellé de chaque territoire d'action, tel qu'écrit dans `territoires_67.geojson`."""
    territoires = read_geojson("territoires_67.geojson")["features"]
    return {t["properties"]["code"]: t["properties"]["libelle"] for t in territoires}
