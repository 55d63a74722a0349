"""La carte construite : ce qu'on lit dans l'infobulle et la légende, le HTML envoyé."""

from __future__ import annotations

import csv
import dataclasses
import html
import re
from pathlib import Path
from typing import Any

import folium
import pandas as pd
import pytest

from dashboard.carte import config as carte_config
from dashboard.carte import dessin
from dashboard.carte import mesures as mc
from data_access import series

RACINE = Path(__file__).resolve().parents[2]
STATIC = RACINE / "dashboard" / "static"
SCRIPT = "<script>alert('pirate')</script>"
URL_EXTERNE = re.compile(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s\"'<>)]*", re.IGNORECASE)
CONFIG = carte_config.read_config_carte()


def cantons(
    valeurs: dict[str, float | None] | None = None, libelles: dict[str, str] | None = None
) -> pd.DataFrame:
    """Un résultat de `read_par_canton` fabriqué depuis la géographie versionnée."""
    geo = pd.read_csv(RACINE / "config/geographie/cantons.csv", sep=";", dtype=str)
    rattachement = pd.read_csv(RACINE / "config/cantons_territoires.csv", sep=";", dtype=str)
    geo = geo.merge(rattachement, left_on="code", right_on="canton")
    valeurs, libelles = valeurs or {}, libelles or {}
    return pd.DataFrame({
        "canton": geo["code"],
        "libelle": [libelles.get(c, li) for c, li in zip(geo["code"], geo["libelle"], strict=True)],
        "territoire_action": geo["territoire"], "population": geo["population"].astype(int),
        "zone_carte": geo["zone_carte"], "valeur": [valeurs.get(c, 40.0) for c in geo["code"]],
        "numerateur": None, "denominateur": None, "statut": "definitif",
    }).astype(series.COLONNES_PAR_CANTON)  # fmt: skip


def mesurer(cadre: pd.DataFrame, libelle: str = "Retours à l'emploi") -> mc.Mesures:
    indicateur = mc.Indicateur("OO2-S.1", libelle, "flux", "retours à l'emploi")
    departement = mc.Departement(cadre["valeur"].sum(), cadre["population"].sum())  # 23 cantons
    return mc.build_mesures(
        cadre,
        indicateur=indicateur,
        periode="2019-T2",
        mesure=mc.Mesure.BRUTE,
        seuil=5,
        departement=departement,
    )


def dejsonifier(texte: str) -> str:
    """Le HTML tel que le navigateur l'interprète une fois les chaînes JSON décodées."""
    return texte.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&")


def infobulles_html(carte: folium.Map) -> dict[str, str]:
    """HTML de l'infobulle de chaque zone, tel qu'embarqué dans la carte."""
    for enfant in carte._children.values():
        if isinstance(enfant, folium.GeoJson) and enfant.data["features"][0]["properties"]:
            return {f["id"]: f["properties"]["infobulle"] for f in enfant.data["features"]}
    raise AssertionError("pas de couche de zones")


def infobulles(carte: folium.Map) -> dict[str, str]:
    """Le texte que lit l'utilisateur au survol (balises retirées, entités décodées)."""
    return {
        zone: html.unescape(re.sub(r"<[^>]+>", "\n", bulle))
        for zone, bulle in infobulles_html(carte).items()
    }


@pytest.fixture(scope="module")
def valeurs_variees() -> dict[str, float | None]:
    return {f"67{n:02d}": float(20 + 3 * n) for n in range(1, 24)}


def test_dix_huit_zones_avec_nom_valeur_rang_periode(
    valeurs_variees: dict[str, float | None],
) -> None:
    bulles = infobulles(dessin.build_carte(mesurer(cantons(valeurs_variees)), CONFIG))
    assert len(bulles) == 18
    sbg = bulles["67-STRASBOURG"]
    attendu = sum(v for c, v in valeurs_variees.items() if "6717" <= c <= "6722")
    assert "Strasbourg (cantons 1 à 6)" in sbg
    assert "Territoire d'action : Eurométropole de Strasbourg" in sbg
    assert f"{attendu:.0f} retours à l'emploi" in sbg
    assert "Rang parmi les zones du Bas-Rhin : 1er sur 18" in sbg
    assert "2e trimestre 2019" in sbg


def test_un_libelle_script_est_affiche_comme_du_texte() -> None:
    cadre = cantons(libelles={"6701": SCRIPT})
    territoires = {**carte_config.read_libelles_territoires(), "NORD": SCRIPT}
    carte = dessin.build_carte(
        mesurer(cadre, libelle=f"Indicateur {SCRIPT}"), CONFIG, libelles_territoires=territoires
    )
    page = dejsonifier(dessin.render_html(carte))
    assert "&lt;script&gt;alert(&#x27;pirate&#x27;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in infobulles_html(carte)["6701"]
    assert SCRIPT in infobulles(carte)["6701"]  # lu comme du texte


def test_zone_secrete_dit_secret_jamais_zero() -> None:
    cadre = cantons({"6708": 0.0, "6702": 50.0, "6714": 90.0})
    carte = dessin.build_carte(mesurer(cadre), CONFIG)
    bulles = infobulles(carte)
    for zone in ("6708", "6702"):  # 6702 : la plus petite voisine, secret secondaire
        assert "secret" in bulles[zone]
        assert not re.search(r"Valeur : 0\b", bulles[zone])
        assert "50" not in bulles[zone]
    assert "90 retours à l'emploi" in bulles["6714"]
    legende = dessin.build_legende(mesurer(cadre), CONFIG)
    secret = [e for e in legende.entrees if e.motif == "secret"]
    assert secret and secret[0].nb_zones == 2
    assert any("secret secondaire" in n for n in legende.notes)


def test_zone_non_renseignee_grise_hachuree_et_dite() -> None:
    cadre = cantons({"6723": None})
    carte = dessin.build_carte(mesurer(cadre), CONFIG)
    assert "Valeur : non renseigné" in infobulles(carte)["6723"]
    legende = dessin.build_legende(mesurer(cadre), CONFIG)
    assert [e.nb_zones for e in legende.entrees if e.motif == "non_renseigne"] == [1]
    assert dessin.HACHURE_NON_RENSEIGNE in dessin.render_html(carte)


def test_legende_bornes_francaises_et_territoires_a_confirmer(
    valeurs_variees: dict[str, float | None],
) -> None:
    legende = dessin.build_legende(mesurer(cantons(valeurs_variees)), CONFIG)
    classes = [e for e in legende.entrees if e.motif == "plein"]
    assert len(classes) == CONFIG.nb_classes
    assert classes[0].libelle.startswith("de 23 à moins de ")
    assert sum(e.nb_zones for e in classes) == 18
    assert any("à confirmer par le Département" in e.libelle for e in legende.entrees)
    html_legende = dessin.render_legende_html(legende)
    assert "à confirmer par le Département" in html_legende
    assert "retours à l&#x27;emploi" in html_legende


def test_html_sans_aucune_adresse_externe(valeurs_variees: dict[str, float | None]) -> None:
    page = dessin.render_html(dessin.build_carte(mesurer(cantons(valeurs_variees)), CONFIG))
    assert URL_EXTERNE.findall(page) == []
    references = set(re.findall(r"/app/static/([\w./-]+)", page))
    assert references == {"leaflet.js", "leaflet.css"}
    for fichier in references:
        assert (STATIC / fichier).is_file()


def test_tuiles_configurees_seule_adresse_externe() -> None:
    tuiles = "https://tuiles.exemple.fr/{z}/{x}/{y}.png"
    config = dataclasses.replace(CONFIG, tuiles=tuiles, attribution_tuiles="© Exemple")
    page = dessin.render_html(dessin.build_carte(mesurer(cantons()), config))
    assert set(URL_EXTERNE.findall(page)) == {"https://tuiles.exemple.fr/{z}/{x}/{y}.png"}


def test_page_de_carte_legere(valeurs_variees: dict[str, float | None]) -> None:
    page = dessin.render_html(dessin.build_carte(mesurer(cantons(valeurs_variees)), CONFIG))
    assert len(page.encode("utf-8")) <= 300_000


def test_leaflet_servi_par_l_application_avec_sa_licence() -> None:
    css = (STATIC / "leaflet.css").read_text(encoding="utf-8")
    for image in re.findall(r"url\((images/[^)]+)\)", css):
        assert (STATIC / image).is_file()
    assert "BSD 2-Clause" in (STATIC / "LICENSE-leaflet.txt").read_text(encoding="utf-8")
    assert 'version="1.9.4"' in (STATIC / "leaflet.js").read_text(encoding="utf-8")


def test_contours_des_territoires_a_jour_du_rattachement() -> None:
    """À relancer : python scripts/build_contours_territoires.py après toute correction du CSV."""
    with (RACINE / "config/cantons_territoires.csv").open(encoding="utf-8") as f:
        rattachement = {li["canton"]: li["territoire"] for li in csv.DictReader(f, delimiter=";")}
    contours: dict[str, Any] = carte_config.read_geojson("territoires_67.geojson")
    assert "IGN / INSEE" in contours["attribution"]
    assert "à confirmer par le Département" in contours["rattachement"]
    for f in contours["features"]:
        p = f["properties"]
        assert p["cantons"] == sorted(c for c, t in rattachement.items() if t == p["code"])
        assert p["rattachement"] == "à confirmer par le Département"
    assert {f["properties"]["code"] for f in contours["features"]} == set(rattachement.values())


def test_config_par_defaut_et_refus_des_valeurs_dangereuses() -> None:
    assert CONFIG.seuil_secret == 5
    assert CONFIG.tuiles == ""
    brut: dict[str, Any] = {
        "secret": {"seuil": 0},
        "classes": {"methode": "quantiles", "nombre": 5, "nombre_divergentes": 6},
        "palettes": {"sequentielle": "arc-en-ciel", "divergente": "PuOr"},
    }
    with pytest.raises(carte_config.ConfigCarteInvalide, match="seuil"):
        carte_config.build_config_carte(brut)
    brut["secret"]["seuil"] = 5
    with pytest.raises(carte_config.ConfigCarteInvalide, match="arc-en-ciel"):
        carte_config.build_config_carte(brut)
    brut["palettes"]["sequentielle"] = "viridis"
    brut["fond"] = {"tuiles": "https://t.exemple.fr/{z}/{x}/{y}.png"}
    with pytest.raises(carte_config.ConfigCarteInvalide, match="attribution"):
        carte_config.build_config_carte(brut)
