"""Zone de la carte sous un clic : point-dans-polygone sur la géographie committée."""

from dashboard.carte.config import read_geojson
from dashboard.carte.geometrie import contient, zone_au_point

CARRE_TROUE = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
    ],
}


def test_point_dans_un_polygone_a_trou() -> None:
    assert contient(CARRE_TROUE, 1, 1)
    assert not contient(CARRE_TROUE, 5, 5)  # dans le trou
    assert not contient(CARRE_TROUE, 11, 5)


def test_villes_connues_dans_leur_zone() -> None:
    zones = read_geojson("cantons_67.geojson")
    assert zone_au_point(zones, 48.8156, 7.7906) == "6705"  # Haguenau
    assert zone_au_point(zones, 48.5734, 7.7521) == "67-STRASBOURG"  # cathédrale
    assert zone_au_point(zones, 48.2594, 7.4542) == "6716"  # Sélestat
    assert zone_au_point(zones, 47.0, 7.0) is None
