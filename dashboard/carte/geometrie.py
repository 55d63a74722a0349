"""Quelle zone de la carte contient un point cliqué (sans shapely à l'exécution).

Le composant de carte renvoie la position du clic (`last_clicked`) de façon fiable, pas l'objet
cliqué : on retrouve la zone par un test point-dans-polygone (règle pair-impair) sur la
géométrie simplifiée déjà chargée pour le dessin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Anneau = Sequence[Sequence[float]]


def _dans_anneau(lon: float, lat: float, anneau: Anneau) -> bool:
    dedans = False
    precedent = anneau[-1]
    for point in anneau:
        (x1, y1), (x2, y2) = precedent[:2], point[:2]
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            dedans = not dedans
        precedent = point
    return dedans


def contient(geometrie: dict[str, Any], lon: float, lat: float) -> bool:
    """Vrai si (lon, lat) est dans ce Polygon ou MultiPolygon GeoJSON (trous compris)."""
    polygones = geometrie["coordinates"]
    if geometrie["type"] == "Polygon":
        polygones = [polygones]
    return any(
        _dans_anneau(lon, lat, poly[0]) and not any(_dans_anneau(lon, lat, t) for t in poly[1:])
        for poly in polygones
    )


def zone_au_point(collection: dict[str, Any], lat: float, lon: float) -> str | None:
    """Code de la zone (propriété `zone`) qui contient le point, ou None hors des zones."""
    for feature in collection["features"]:
        if contient(feature["geometry"], lon, lat):
            return str(feature["properties"]["zone"])
    return None
