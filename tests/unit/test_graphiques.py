"""Graphiques Altair : encodages, trait de cible, trajectoire attendue, rien d'Internet."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from dashboard.graphiques import courbes as graphiques
from dashboard.graphiques import tableau_de_bord
from dashboard.modeles.territoires import COLONNES_TABLEAU
from tests.unit import exemple_tableau
from tests.unit.vega import donnees, marque


def _serie(valeurs: dict[str, float]) -> pd.DataFrame:
    lignes = []
    for code, valeur in valeurs.items():
        annee, trimestre = code.split("-T")
        debut = (int(trimestre) - 1) * 3 + 1
        lignes.append((code, f"{annee}-{debut:02d}", f"{annee}-{debut + 2:02d}", valeur))
    return pd.DataFrame(lignes, columns=["periode", "debut", "fin", "valeur"])


SERIE = _serie({"2017-T1": 900, "2017-T2": 950, "2017-T3": 1000, "2018-T1": 940})
CIBLES = pd.DataFrame(
    {"periode_cible": ["2017-2019", "2017-2019"], "cible": [10_000.0, 11_199.0],
     "valeur_reference": [None, None], "source": ["002 §3.1", "002 §4"]}
)  # fmt: skip


def _couches(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec["layer"]


def test_un_flux_est_trace_en_cumul_face_a_ses_deux_cibles() -> None:
    spec = graphiques.build_serie(SERIE, CIBLES, nature="flux", unite="retours à l'emploi",
                                  titre="Retours à l'emploi").to_dict()  # fmt: skip
    ligne = _couches(spec)[0]
    assert marque(ligne) == "line"
    assert ligne["encoding"]["x"]["type"] == "temporal"
    assert ligne["encoding"]["y"]["type"] == "quantitative"
    assert ligne["encoding"]["y"]["axis"]["title"] == (
        "Cumul depuis janvier 2017 (retours à l'emploi)"
    )
    assert [p["y"] for p in donnees(spec, ligne)] == [900, 1850, 2850, 3790]
    (regles,) = [c for c in _couches(spec) if marque(c) == "rule"]
    assert sorted(d["cible"] for d in donnees(spec, regles)) == [10_000, 11_199]
    assert regles["encoding"]["y"]["field"] == "cible"
    (trajets,) = _trajectoires(spec)  # une trajectoire attendue par cible, de 0 à la cible
    series = {d["serie"] for d in donnees(spec, trajets)}
    assert series == {"Trajectoire attendue (10\u202f000)", "Trajectoire attendue (11\u202f199)"}
    attendus = [d for d in donnees(spec, trajets) if d["serie"].endswith("(10\u202f000)")]
    assert (attendus[0]["mois"], attendus[0]["attendu"]) == ("2016-12", 0)
    assert (attendus[-1]["mois"], attendus[-1]["attendu"]) == ("2019-12", 10_000)
    # Au prorata des mois : fin juin 2018, 18 mois sur 36.
    assert next(a["attendu"] for a in attendus if a["mois"] == "2018-06") == 5_000
    assert "prorata" in " ".join(spec["title"]["subtitle"])


def _trajectoires(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Les couches de trajectoire attendue : une ligne dont les données ont `attendu`."""
    return [c for c in _couches(spec) if marque(c) == "line" and "attendu" in donnees(spec, c)[0]]


def test_les_etiquettes_sont_en_francais_sans_locale() -> None:
    spec = graphiques.build_serie(SERIE, CIBLES, nature="flux").to_dict()
    axe_x = _couches(spec)[0]["encoding"]["x"]["axis"]
    assert "'juin'" in axe_x["labelExpr"] and axe_x["title"] == "Fin de période"
    assert "\u202f" in _couches(spec)[0]["encoding"]["y"]["axis"]["labelExpr"]
    textes = [c for c in _couches(spec) if marque(c) == "text"]
    assert {d["libelle"] for t in textes for d in donnees(spec, t)} == {
        "Cible 10\u202f000 (2017-2019)", "Cible 11\u202f199 (2017-2019)",
    }  # fmt: skip
    infobulle = donnees(spec, _couches(spec)[0])[0]
    assert (infobulle["periode"], infobulle["valeur"]) == ("1er trimestre 2017", "900")


def test_un_stock_avec_depart_a_sa_droite_du_depart_a_la_cible() -> None:
    cibles = pd.DataFrame({"periode_cible": ["2020"], "cible": [200.0],
                           "valeur_reference": [100.0], "source": ["000 Article 5"]})  # fmt: skip
    serie = _serie({"2020-T1": 120, "2020-T2": 160})
    spec = graphiques.build_serie(serie, cibles, nature="stock", unite="entreprises").to_dict()
    assert [p["y"] for p in donnees(spec, _couches(spec)[0])] == [120, 160]  # pas de cumul
    (trajet,) = _trajectoires(spec)
    attendus = donnees(spec, trajet)
    assert (attendus[0]["attendu"], attendus[-1]["attendu"]) == (100, 200)
    assert len(attendus) == 13  # fin 2019, puis chaque fin de mois de 2020


def test_un_stock_sans_depart_n_a_que_ses_traits_de_cible() -> None:
    cibles = pd.DataFrame(
        {"periode_cible": ["2017", "2018"], "cible": [2000.0, 2000.0],
         "valeur_reference": [None, None], "source": ["§3.1", "§3.1"]}
    )  # fmt: skip
    spec = graphiques.build_serie(SERIE, cibles, nature="stock").to_dict()
    (regles,) = [c for c in _couches(spec) if marque(c) == "rule"]
    assert [d["cible"] for d in donnees(spec, regles)] == [2000, 2000]  # un trait par année
    assert not _trajectoires(spec)


def test_sans_cible_une_seule_ligne_et_pas_de_sous_titre() -> None:
    spec = graphiques.build_serie(SERIE, None, nature="stock").to_dict()
    assert len(_couches(spec)) == 1 and spec["title"]["subtitle"] == ""


def test_rien_n_est_charge_depuis_internet() -> None:
    spec = graphiques.build_serie(SERIE, CIBLES, nature="flux").to_dict()
    texte = json.dumps(spec)
    assert '"url"' not in texte and "http" not in texte.replace(spec.get("$schema", ""), "")


def _tableau() -> pd.DataFrame:
    lignes = [
        ("NORD", "NORD", 578.0, 736.0, "en retard"),
        ("OUEST", "OUEST", 392.0, 395.0, "dans la trajectoire"),
        ("EMS", "EMS", 2048.0, 1880.0, "en avance"),
        ("SUD", "SUD", 699.0, 722.0, "dans la trajectoire"),
        ("67", "Total (département)", 3717.0, 3733.0, "dans la trajectoire"),
    ]
    cadre = pd.DataFrame(
        [{"territoire": t, "libelle_territoire": lib, "indicateur": "OO2-S.1", "periode": "2019",
          "rubrique": "Accès à l'emploi", "cible": c, "reel": r, "attendu": c, "statut": s,
          "en_cours": True, "reel_affiche": str(r), "cible_affichee": str(c),
          "attendu_affiche": str(c)} for t, lib, r, c, s in lignes]
    )  # fmt: skip
    return cadre.reindex(columns=list(COLONNES_TABLEAU))


def test_barres_des_territoires_avec_cible_attendu_et_statut_ecrit() -> None:
    spec = graphiques.build_barres_territoires(
        _tableau(), indicateur="OO2-S.1", periode="2019", titre="Accès à l'emploi 2019"
    ).to_dict()
    marques = [marque(c) for c in _couches(spec)]
    assert marques == ["bar", "tick", "point", "text"]
    barres = _couches(spec)[0]
    assert barres["encoding"]["x"]["field"] == "reel"
    assert barres["encoding"]["color"]["field"] == "statut"
    assert barres["encoding"]["color"]["scale"]["domain"] == [
        "en avance", "dans la trajectoire", "en retard", "non renseigné",
    ]  # fmt: skip
    assert _couches(spec)[1]["encoding"]["x"]["field"] == "cible"
    assert _couches(spec)[3]["encoding"]["text"]["field"] == "statut"  # le mot, pas la couleur
    territoires = [d["territoire"] for d in donnees(spec, barres)]
    assert territoires == ["NORD", "OUEST", "EMS", "SUD"]  # sans le total départemental


def test_barres_des_cantons_et_secret_ecrit() -> None:
    contributions = pd.DataFrame(
        {"libelle": ["Brumath", "Haguenau", "Wissembourg"], "valeur": [120.0, 109.0, None],
         "valeur_affichee": ["120", "109", "secret"],
         "part_affichee": ["52,4 %", "47,6 %", "secret"], "masque": [False, False, True]}
    )  # fmt: skip
    spec = graphiques.build_barres_cantons(contributions, titre="Cantons du NORD").to_dict()
    barres, secrets = _couches(spec)
    assert marque(barres) == "bar" and barres["encoding"]["y"]["field"] == "canton"
    assert barres["encoding"]["y"]["sort"] == ["Brumath", "Haguenau", "Wissembourg"]
    assert marque(secrets) == "text" and secrets["encoding"]["text"]["field"] == "valeur_affichee"
    assert {"filter": "datum.masque"} in secrets["transform"]


def test_les_courbes_du_tableau_de_bord_sont_du_vega_lite_valide() -> None:
    """La page pose ces courbes sans revalider (vue_graphiques.specification) : la validation
    contre le schéma Vega-Lite se fait ici, événements et coupure de série compris."""
    tableau = exemple_tableau.tableau()
    lignes = {ligne.code: ligne for ligne in tableau.synthese}
    for courbe in tableau.courbes:
        spec = tableau_de_bord.build_courbe(courbe, lignes.get(courbe.code), "flux").to_dict()
        assert spec["layer"] and spec["datasets"]
