"""Mesures de la carte sur la vraie géographie (23 cantons, 18 zones) et des valeurs faites main."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.carte import mesures as mc
from data_access import series

RACINE = Path(__file__).resolve().parents[2]
STRASBOURG = [f"67{n}" for n in range(17, 23)]
SEUIL = 5
FLUX = mc.Indicateur("OO2-S.1", "Retours à l'emploi", "flux", "retours à l'emploi")
TAUX = mc.Indicateur("FIN-1.1", "Taux de sortie", "taux", "%")


def cantons(
    valeur: Callable[[str], float | None] = lambda _c: 100.0,
    numerateur: Callable[[str], float | None] = lambda _c: None,
    denominateur: Callable[[str], float | None] = lambda _c: None,
) -> pd.DataFrame:
    """Un résultat de `read_par_canton` fabriqué depuis les fichiers de géographie versionnés."""
    geo = pd.read_csv(RACINE / "config/geographie/cantons.csv", sep=";", dtype=str)
    rattachement = pd.read_csv(RACINE / "config/cantons_territoires.csv", sep=";", dtype=str)
    geo = geo.merge(rattachement, left_on="code", right_on="canton")
    cadre = pd.DataFrame({
        "canton": geo["code"], "libelle": geo["libelle"], "territoire_action": geo["territoire"],
        "population": geo["population"].astype(int), "zone_carte": geo["zone_carte"],
        "valeur": [valeur(c) for c in geo["code"]],
        "numerateur": [numerateur(c) for c in geo["code"]],
        "denominateur": [denominateur(c) for c in geo["code"]],
        "statut": "definitif",
    })  # fmt: skip
    return cadre.astype(series.COLONNES_PAR_CANTON)


def departement(cadre: pd.DataFrame, ind: mc.Indicateur = FLUX) -> mc.Departement:
    """Le Bas-Rhin d'un cadre de ses 23 cantons : somme des valeurs, ou taux recomposé."""
    if ind.nature == "taux":
        den = cadre["denominateur"].sum()
        valeur = cadre["numerateur"].sum() / den * 100 if den else math.nan
    else:
        valeur = cadre["valeur"].sum(min_count=1)
    return mc.Departement(float(valeur), float(cadre["population"].sum()))


def mesurer(cadre: pd.DataFrame, mesure: mc.Mesure, ind: mc.Indicateur = FLUX, **kw: object):  # type: ignore[no-untyped-def]
    """Mesures sur le cadre, le département étant calculé sur ce même cadre (ses 23 cantons)."""
    dep = departement(cadre, ind)
    precedent = kw.get("precedent")
    if isinstance(precedent, pd.DataFrame):
        dep = mc.Departement(dep.valeur, dep.population, departement(precedent, ind).valeur)
    return mc.build_mesures(
        cadre,
        indicateur=ind,
        periode="2019-T2",
        mesure=mesure,
        seuil=SEUIL,
        departement=dep,
        **kw,
    )  # type: ignore[arg-type]


def par_zone(mesures: mc.Mesures) -> pd.Series:
    return mesures.zones.set_index("zone")["valeur"]


def test_dix_huit_zones_dont_strasbourg_pour_six_cantons() -> None:
    m = mesurer(cantons(), mc.Mesure.BRUTE)
    assert len(m.zones) == 18
    strasbourg = m.zones.set_index("zone").loc["67-STRASBOURG"]
    assert strasbourg["libelle"] == "Strasbourg (cantons 1 à 6)"
    assert strasbourg["cantons"].split() == STRASBOURG
    assert strasbourg["valeur"] == 600


def test_pour_1000_habitants_rapporte_a_la_population_de_la_geographie() -> None:
    cadre = cantons(lambda c: 40.0 + int(c[-2:]))
    m = mesurer(cadre, mc.Mesure.POUR_1000)
    bischwiller = cadre.set_index("canton").loc["6701"]
    attendu = bischwiller["valeur"] / bischwiller["population"] * 1000
    assert par_zone(m)["6701"] == pytest.approx(attendu)
    sbg = cadre[cadre["canton"].isin(STRASBOURG)]
    assert par_zone(m)["67-STRASBOURG"] == pytest.approx(
        sbg["valeur"].sum() / sbg["population"].sum() * 1000
    )
    assert m.reference == pytest.approx(cadre["valeur"].sum() / cadre["population"].sum() * 1000)


def test_taux_de_strasbourg_recompose_jamais_additionne_ni_moyenne() -> None:
    num = {c: 10.0 * (i + 1) for i, c in enumerate(STRASBOURG)}
    den = {c: 100.0 + 200.0 * i for i, c in enumerate(STRASBOURG)}
    cadre = cantons(
        valeur=lambda c: num[c] / den[c] * 100 if c in num else 25.0,
        numerateur=lambda c: num.get(c, 50.0),
        denominateur=lambda c: den.get(c, 200.0),
    )
    m = mesurer(cadre, mc.Mesure.BRUTE, TAUX)
    strasbourg = par_zone(m)["67-STRASBOURG"]
    assert strasbourg == pytest.approx(sum(num.values()) / sum(den.values()) * 100)
    taux_cantons = [num[c] / den[c] * 100 for c in STRASBOURG]
    assert strasbourg != pytest.approx(sum(taux_cantons))
    assert strasbourg != pytest.approx(np.mean(taux_cantons))


def test_part_du_total_departemental() -> None:
    cadre = cantons(lambda c: float(int(c[-2:]) * 10))
    m = mesurer(cadre, mc.Mesure.PART)
    total = cadre["valeur"].sum()
    assert par_zone(m).sum() == pytest.approx(100)
    sbg = cadre[cadre["canton"].isin(STRASBOURG)]["valeur"].sum()
    assert par_zone(m)["67-STRASBOURG"] == pytest.approx(sbg / total * 100)


def test_ecart_a_la_moyenne_par_habitant_pour_un_effectif() -> None:
    """Valeurs proportionnelles à la population : chaque zone est à la moyenne, sauf une."""
    geo = cantons().set_index("canton")["population"]
    cadre = cantons(lambda c: geo[c] / 1000 * (2 if c == "6710" else 1))
    m = mesurer(cadre, mc.Mesure.ECART)
    autres = par_zone(m).drop("6710")
    total, population = cadre["valeur"].sum(), cadre["population"].sum()
    moyenne = total / population
    assert par_zone(m)["6710"] == pytest.approx(
        (2 * geo["6710"] / 1000 / geo["6710"]) / moyenne * 100 - 100
    )
    assert (autres < 0).all()
    assert m.grandeur.divergente and m.reference == 0
    assert "0 = moyenne du Bas-Rhin" in m.reference_texte


def test_ecart_a_la_moyenne_en_points_pour_un_taux() -> None:
    cadre = cantons(
        lambda c: 30.0 if c == "6701" else 20.0,
        lambda c: 30.0 if c == "6701" else 20.0,
        lambda _c: 100.0,
    )
    m = mesurer(cadre, mc.Mesure.ECART, TAUX)
    taux_departement = cadre["numerateur"].sum() / cadre["denominateur"].sum() * 100
    assert par_zone(m)["6701"] == pytest.approx(30 - taux_departement)
    assert m.grandeur.court(par_zone(m)["6701"]).startswith("+")
    assert m.grandeur.court(par_zone(m)["6701"]).endswith("pt")


def test_evolution_sur_12_mois() -> None:
    maintenant = cantons(lambda c: 110.0 if c == "6701" else 100.0)
    avant = cantons(lambda _c: 100.0)
    m = mesurer(maintenant, mc.Mesure.EVOLUTION, precedent=avant)
    assert par_zone(m)["6701"] == pytest.approx(10.0)
    assert par_zone(m)["6702"] == pytest.approx(0.0)
    assert m.periode_precedente == "2018-T2"
    with pytest.raises(mc.MesureIndisponible):
        mesurer(maintenant, mc.Mesure.EVOLUTION)


def test_zone_masquee_sans_valeur_ni_rang() -> None:
    cadre = cantons(lambda c: 3.0 if c == "6708" else 60.0)
    for mesure in mc.mesures_disponibles("flux"):
        m = mesurer(cadre, mesure, precedent=cantons(lambda _c: 50.0))
        ouest = m.zones[m.zones["territoire_action"] == "OUEST"].set_index("zone")
        assert ouest.loc["6708", "masque"] and math.isnan(ouest.loc["6708", "valeur"])
        assert pd.isna(ouest.loc["6708", "rang"])
        assert ouest["masque"].sum() == 2, "une seule zone masquée se déduirait du total"


def test_strasbourg_est_juge_sur_la_somme_de_ses_cantons() -> None:
    """Six cantons à 2 : chacun serait secret, la zone (12) ne l'est pas."""
    m = mesurer(cantons(lambda c: 2.0 if c in STRASBOURG else 80.0), mc.Mesure.BRUTE)
    strasbourg = m.zones.set_index("zone").loc["67-STRASBOURG"]
    assert not strasbourg["masque"] and strasbourg["valeur"] == 12


def test_zone_incomplete_non_renseignee() -> None:
    m = mesurer(cantons(lambda c: None if c == "6719" else 50.0), mc.Mesure.BRUTE)
    strasbourg = m.zones.set_index("zone").loc["67-STRASBOURG"]
    assert math.isnan(strasbourg["valeur"]) and not strasbourg["masque"]


def test_rang_parmi_les_zones_affichees() -> None:
    m = mesurer(cantons(lambda c: float(100 + int(c[-2:]))), mc.Mesure.POUR_1000)
    rangs = m.zones.sort_values("valeur", ascending=False)["rang"].tolist()
    assert rangs == list(range(1, 19))
    assert mc.texte_rang(1, 18) == "1er sur 18" and mc.texte_rang(3, 18) == "3e sur 18"


def test_mesures_sans_objet_pour_un_taux_ou_un_jalon() -> None:
    assert mc.Mesure.POUR_1000 not in mc.mesures_disponibles("taux")
    assert mc.Mesure.PART not in mc.mesures_disponibles("taux")
    assert mc.mesures_disponibles("jalon") == ()
    with pytest.raises(mc.MesureIndisponible):
        mesurer(cantons(), mc.Mesure.POUR_1000, TAUX)


@pytest.mark.parametrize(
    ("periode", "attendu"),
    [("2019-T2", "2018-T2"), ("2019-06", "2018-06"), ("2019-S1", "2018-S1"), ("2019", "2018")],
)
def test_un_an_avant(periode: str, attendu: str) -> None:
    assert mc.un_an_avant(periode) == attendu


def test_tableau_ecrit_secret_et_non_renseigne() -> None:
    cadre = cantons(lambda c: {"6708": 3.0, "6701": None}.get(c, 60.0))
    m = mesurer(cadre, mc.Mesure.BRUTE)
    ecran = mc.build_tableau(m).set_index("Zone")
    colonne = m.grandeur.colonne
    assert ecran.loc["Ingwiller", colonne] == "secret"
    assert ecran.loc["Bischwiller", colonne] == "non renseigné"
    ouest = ecran[ecran["Territoire d'action"] == "Ouest"]
    assert (ouest[colonne] == "secret").sum() == 2  # secret secondaire dans le même territoire
    assert ecran.loc["Ingwiller", "Territoire d'action"] == "Ouest"
    csv = mc.build_tableau(m, pour_csv=True).set_index("Zone")
    assert csv.loc["Ingwiller", colonne] == "secret"
    assert csv.loc["Haguenau", colonne] == 60


@pytest.mark.parametrize("mesure", list(mc.Mesure))
def test_indicateur_sans_valeur_par_canton_toutes_zones_non_renseignees(mesure: mc.Mesure) -> None:
    vide = cantons(lambda _c: None)
    m = mesurer(vide, mesure, precedent=vide)
    assert m.nb_classees == 0 and not m.zones["masque"].any()
    assert (mc.build_tableau(m)[m.grandeur.colonne] == "non renseigné").all()
    assert "–" in m.reference_texte


def _nord(cadre: pd.DataFrame) -> pd.DataFrame:
    """Ce que lit un élu du Nord : les seuls cantons de son territoire."""
    return cadre[cadre["territoire_action"] == "NORD"].reset_index(drop=True)


def test_perimetre_la_reference_est_le_departement_pas_la_somme_des_zones_lues() -> None:
    """Un élu du Nord lit cinq zones ; le Bas-Rhin de sa légende est le département entier."""
    cadre = cantons(lambda c: float(10 + int(c[-2:])))
    dep, nord = departement(cadre), _nord(cadre)
    m = mc.build_mesures(nord, indicateur=FLUX, periode="2019-T2", mesure=mc.Mesure.BRUTE,
                         seuil=SEUIL, departement=dep)  # fmt: skip
    assert m.reference == cadre["valeur"].sum() != nord["valeur"].sum()
    assert m.reference_texte == f"Bas-Rhin : {cadre['valeur'].sum():.0f} retours à l'emploi"
    assert m.etendue == "zones du territoire Nord"
    assert len(m.zones) == nord["zone_carte"].nunique()
    part = mc.build_mesures(nord, indicateur=FLUX, periode="2019-T2", mesure=mc.Mesure.PART,
                            seuil=SEUIL, departement=dep)  # fmt: skip
    assert par_zone(part).sum() == pytest.approx(nord["valeur"].sum() / cadre["valeur"].sum() * 100)
    ecart = mc.build_mesures(nord, indicateur=FLUX, periode="2019-T2", mesure=mc.Mesure.ECART,
                             seuil=SEUIL, departement=dep)  # fmt: skip
    c = nord.set_index("canton").loc["6705"]
    moyenne = cadre["valeur"].sum() / cadre["population"].sum()
    assert par_zone(ecart)["6705"] == pytest.approx(
        c["valeur"] / c["population"] / moyenne * 100 - 100
    )


def test_perimetre_evolution_du_departement_et_non_du_territoire() -> None:
    maintenant = cantons(lambda c: 120.0 if c == "6701" else 100.0)
    avant = cantons(lambda _c: 100.0)
    dep = mc.Departement(departement(maintenant).valeur, 1.0, departement(avant).valeur)
    m = mc.build_mesures(_nord(maintenant), indicateur=FLUX, periode="2019-T2",
                         mesure=mc.Mesure.EVOLUTION, seuil=SEUIL, departement=dep,
                         precedent=_nord(avant))  # fmt: skip
    assert m.reference == pytest.approx((2320 / 2300 - 1) * 100)
    assert par_zone(m)["6701"] == pytest.approx(20.0)


def test_reference_inconnue_jamais_inventee() -> None:
    m = mesurer(cantons(), mc.Mesure.PART)
    sans = mc.build_mesures(cantons(), indicateur=FLUX, periode="2019-T2", mesure=mc.Mesure.PART,
                            seuil=SEUIL, departement=mc.Departement(None, None))  # fmt: skip
    assert par_zone(m).notna().all() and par_zone(sans).isna().all()
    assert "–" in sans.reference_texte
