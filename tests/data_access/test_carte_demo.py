"""Carte de bout en bout sur la base de démonstration, SQLite et PostgreSQL : lecture, mesures,
secret, carte, tableau et CSV."""

from __future__ import annotations

import html
import re

import folium
import pytest
from sqlalchemy import Connection

from dashboard.carte import config as carte_config
from dashboard.carte import dessin
from dashboard.carte import mesures as mc
from dashboard.exports import en_csv
from data_access import indicateurs, series, territoires

URL_EXTERNE = re.compile(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE)
STRASBOURG = [f"67{n}" for n in range(17, 23)]


def indicateur(conn: Connection, code: str) -> mc.Indicateur:
    fiche = indicateurs.read_referentiel(conn).set_index("code").loc[code]
    return mc.Indicateur(code, fiche["libelle"], fiche["nature"], fiche["unite"])


def mesurer(conn: Connection, code: str, periode: str, mesure: mc.Mesure) -> mc.Mesures:
    avant = mc.un_an_avant(periode)
    population = territoires.read_territoires(conn, niveaux=("departement",))["population"]
    departement = mc.Departement(
        series.read_valeur_departement(conn, indicateur=code, periode=periode),
        float(population.iloc[0]),
        series.read_valeur_departement(conn, indicateur=code, periode=avant),
    )
    return mc.build_mesures(
        series.read_par_canton(conn, indicateur=code, periode=periode),
        indicateur=indicateur(conn, code),
        periode=periode,
        mesure=mesure,
        seuil=carte_config.read_config_carte().seuil_secret,
        departement=departement,
        precedent=series.read_par_canton(conn, indicateur=code, periode=avant),
    )


def textes_infobulles(carte: folium.Map) -> dict[str, str]:
    for enfant in carte._children.values():
        if isinstance(enfant, folium.GeoJson) and enfant.data["features"][0]["properties"]:
            return {
                f["id"]: html.unescape(re.sub(r"<[^>]+>", "\n", f["properties"]["infobulle"]))
                for f in enfant.data["features"]
            }
    raise AssertionError("pas de couche de zones")


@pytest.mark.parametrize("mesure", list(mc.Mesure))
def test_carte_oo2_s1_au_2e_trimestre_2019(conn: Connection, mesure: mc.Mesure) -> None:
    config = carte_config.read_config_carte()
    mesures = mesurer(conn, "OO2-S.1", "2019-T2", mesure)
    carte = dessin.build_carte(mesures, config)
    page = dessin.render_html(carte)
    bulles = textes_infobulles(carte)
    assert len(bulles) == 18
    assert all("2e trimestre 2019" in b for b in bulles.values())
    assert URL_EXTERNE.findall(page) == []
    assert len(page.encode("utf-8")) <= 300_000
    legende = dessin.build_legende(mesures, config)
    assert sum(e.nb_zones for e in legende.entrees if e.motif == "plein") == mesures.nb_classees


def test_strasbourg_et_bas_rhin_concordent_avec_les_totaux_de_la_base(conn: Connection) -> None:
    cantons = series.read_par_canton(conn, indicateur="OO2-S.1", periode="2019-T2")
    mesures = mesurer(conn, "OO2-S.1", "2019-T2", mc.Mesure.BRUTE)
    strasbourg = cantons[cantons["canton"].isin(STRASBOURG)]["valeur"].sum()
    bulle = textes_infobulles(dessin.build_carte(mesures, carte_config.read_config_carte()))
    assert f"Valeur : {strasbourg:.0f} retours à l'emploi" in bulle["67-STRASBOURG"]
    totaux = series.read_par_territoire(conn, indicateur="OO2-S.1", periode="2019-T2")
    departement = totaux.set_index("territoire").loc["67", "valeur"]
    assert mesures.reference == pytest.approx(departement)


def test_petits_effectifs_de_la_demo_sous_secret(conn: Connection) -> None:
    """A4.1 (recrutements en Allemagne) : quelques personnes par canton."""
    mesures = mesurer(conn, "A4.1", "2019-S1", mc.Mesure.BRUTE)
    zones = mesures.zones
    assert zones["masque"].any()
    for _, territoire in zones.groupby("territoire_action"):
        assert territoire["masque"].sum() != 1
    bulles = textes_infobulles(dessin.build_carte(mesures, carte_config.read_config_carte()))
    for zone in zones.loc[zones["masque"], "zone"]:
        assert "Valeur : secret" in bulles[zone]
    tableau = mc.build_tableau(mesures, pour_csv=True)
    lignes = en_csv.to_csv_bytes(tableau).decode("utf-8-sig").splitlines()
    assert len(lignes) == 19
    assert sum(";secret;" in li for li in lignes) == int(zones["masque"].sum())
    totaux = series.read_par_territoire(conn, indicateur="A4.1", periode="2019-S1")
    cantons = series.read_par_canton(conn, indicateur="A4.1", periode="2019-S1")
    assert totaux.set_index("territoire").loc["67", "valeur"] == cantons["valeur"].sum()
    assert mesures.reference == pytest.approx(cantons["valeur"].sum())
