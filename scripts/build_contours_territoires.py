"""Construit les contours des quatre territoires d'action (fichier versionné, lu par la carte).

Pourquoi ce script existe : la carte trace les territoires d'action par-dessus les cantons. Un
territoire est la fusion des zones de ses cantons ; la calculer à l'affichage demanderait shapely
à l'application, qui ne doit dépendre d'aucune bibliothèque géographique. On la calcule donc ici,
une fois, et on versionne le résultat : ``config/geographie/territoires_67.geojson``.

Entrées (versionnées) : ``config/geographie/cantons_67.geojson`` (les 18 zones dessinées et leurs
cantons), ``config/cantons_territoires.csv`` (rattachement canton → territoire, **à confirmer
par le Département**) et ``config/referentiel/territoires.csv`` (libellés). À relancer après
toute correction de ``cantons_territoires.csv`` : un test compare les deux fichiers.

Usage ::

    pip install -e ".[geo]"          # shapely, pour la construction seulement
    python scripts/build_contours_territoires.py

Les zones ont été simplifiées ensemble (``coverage_simplify``) : elles forment une couverture
sans trou ni chevauchement, que ``coverage_union_all`` fusionne sans créer de sommet. Le résultat
est déterministe (ordre du référentiel, coordonnées arrondies comme les zones).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

RACINE = Path(__file__).resolve().parents[1]
ZONES = RACINE / "config" / "geographie" / "cantons_67.geojson"
RATTACHEMENT = RACINE / "config" / "cantons_territoires.csv"
LIBELLES = RACINE / "config" / "referentiel" / "territoires.csv"
SORTIE = RACINE / "config" / "geographie" / "territoires_67.geojson"

DECIMALES = 5  # comme cantons_67.geojson : environ 1 m, bien en deçà de la généralisation
A_CONFIRMER = "à confirmer par le Département"


class RattachementIncoherent(ValueError):
    """Une zone dessinée dont les cantons relèvent de plusieurs territoires, ou un canton oublié."""


def read_csv(chemin: Path) -> list[dict[str, str]]:
    with chemin.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def read_territoires() -> list[tuple[str, str]]:
    """Territoires d'action (code, libellé) dans l'ordre du référentiel."""
    lignes = read_csv(LIBELLES)
    return [(li["code"], li["libelle"]) for li in lignes if li["niveau"] == "territoire_action"]


def territoire_des_zones(
    zones: list[dict[str, Any]], rattachement: dict[str, str]
) -> dict[str, str]:
    """Territoire de chaque zone ; une zone coupée entre deux territoires arrête le script."""
    resultat: dict[str, str] = {}
    for zone in zones:
        proprietes = zone["properties"]
        territoires = {rattachement.get(c) for c in proprietes["cantons"]}
        if len(territoires) != 1 or None in territoires:
            raise RattachementIncoherent(
                f"zone {proprietes['zone']} : cantons {proprietes['cantons']} rattachés à "
                f"{sorted(map(str, territoires))} ; une zone dessinée doit relever d'un seul "
                "territoire (corriger config/cantons_territoires.csv)"
            )
        resultat[proprietes["zone"]] = territoires.pop()  # type: ignore[assignment]
    return resultat


def arrondi(valeur: Any) -> Any:
    if isinstance(valeur, float | int):
        return round(float(valeur), DECIMALES)
    return [arrondi(v) for v in valeur]


def etiquette(geometrie: BaseGeometry) -> list[float]:
    """Point où écrire le nom : le pôle d'inaccessibilité de la plus grande partie du contour."""
    parties = list(geometrie.geoms) if isinstance(geometrie, MultiPolygon) else [geometrie]
    plus_grande = max(parties, key=lambda p: p.area)
    assert isinstance(plus_grande, Polygon)
    point = polylabel(plus_grande, tolerance=0.001)
    return [round(point.x, 4), round(point.y, 4)]


def build_feature(
    code: str, libelle: str, zones: list[dict[str, Any]], rattachement: dict[str, str]
) -> dict[str, Any]:
    geometries = [shape(z["geometry"]) for z in zones]
    fusion = shapely.coverage_union_all(geometries)
    geo = mapping(fusion)
    cantons = sorted(c for c, t in rattachement.items() if t == code)
    return {
        "type": "Feature",
        "properties": {
            "code": code,
            "libelle": libelle,
            "cantons": cantons,
            "zones": [z["properties"]["zone"] for z in zones],
            "rattachement": A_CONFIRMER,
            "etiquette": etiquette(fusion),
        },
        "geometry": {"type": geo["type"], "coordinates": arrondi(geo["coordinates"])},
    }


def build_collection() -> dict[str, Any]:
    source = json.loads(ZONES.read_text(encoding="utf-8"))
    rattachement = {li["canton"]: li["territoire"] for li in read_csv(RATTACHEMENT)}
    par_zone = territoire_des_zones(source["features"], rattachement)
    territoires = read_territoires()
    oublies = set(rattachement.values()) - {code for code, _ in territoires}
    if oublies:
        raise RattachementIncoherent(f"territoires inconnus du référentiel : {sorted(oublies)}")
    features = [
        build_feature(
            code,
            libelle,
            [z for z in source["features"] if par_zone[z["properties"]["zone"]] == code],
            rattachement,
        )
        for code, libelle in territoires
    ]
    return {
        "type": "FeatureCollection",
        "attribution": source["attribution"],
        "millesime": source["millesime"],
        "rattachement": f"config/cantons_territoires.csv : proposition {A_CONFIRMER}",
        "produit_par": "scripts/build_contours_territoires.py",
        "features": features,
    }


def write_collection(collection: dict[str, Any]) -> None:
    """Une feature par ligne, comme cantons_67.geojson : des diffs lisibles."""
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    entete = {k: v for k, v in collection.items() if k != "features"}
    lignes = [json.dumps(f, **compact) for f in collection["features"]]  # type: ignore[arg-type]
    debut = json.dumps(entete, **compact)[:-1]  # type: ignore[arg-type]
    texte = debut + ',"features":[\n' + ",\n".join(lignes) + "\n]}\n"
    SORTIE.write_text(texte, encoding="utf-8")


def main() -> int:
    try:
        collection = build_collection()
    except RattachementIncoherent as err:
        print(f"erreur : {err}", file=sys.stderr)
        return 1
    write_collection(collection)
    for f in collection["features"]:
        p = f["properties"]
        print(f"{p['code']:<6} {p['libelle']:<30} {len(p['cantons']):>2} cantons")
    print(f"écrit : {SORTIE.relative_to(RACINE)} ({SORTIE.stat().st_size} octets)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
