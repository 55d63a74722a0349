"""Page « Moyens et résultats » (AppTest) : totaux d'ETP, deux lectures, un ratio et ses termes.

Les chiffres attendus des résultats sont relus dans la base de démonstration, pas recopiés.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from sqlalchemy import create_engine
from streamlit.testing.v1 import AppTest

from dashboard import formats
from data_access import moyens
from tests.app.conftest import app_sur_page

pytestmark = pytest.mark.usefixtures("environnement")
FINE = formats.ESPACE_FINE


def _page(params: dict[str, str] | None = None, identifiant: str = "admin") -> AppTest:
    at = app_sur_page(identifiant, "moyens_resultats", params)
    assert not at.exception
    return at


def _metriques(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _tableau(at: AppTest, *colonnes: str) -> pd.DataFrame:
    """Le seul tableau de la page qui a ces colonnes."""
    (tableau,) = [d.value for d in at.dataframe if set(colonnes) <= set(d.value.columns)]
    return tableau


def _ratios(at: AppTest) -> pd.DataFrame:
    """Les ratios de la page (effectifs puis budgets), par rapprochement."""
    tableaux = [d.value for d in at.dataframe if "Rapprochement" in d.value.columns]
    return pd.concat(tableaux).set_index("Rapprochement")


def _placements(dossier: Path, annee: int) -> float:
    eng = create_engine(f"sqlite:///{dossier / 'pilotage.db'}")
    with eng.connect() as conn:
        cadre = moyens.read_resultats_annuels(
            conn, indicateurs=["A2.1"], territoire="67", annees=[annee]
        )
    eng.dispose()
    return float(cadre["valeur"].iloc[0])


def test_totaux_d_etp_par_partenaire_et_par_strategie() -> None:
    at = _page({"annee": "2020"})  # l'année de la convention MDE
    assert (
        _metriques(at).items()
        >= {
            "ETP MDE": f"7,4{FINE}ETP",
            "ETP Département": f"4,45{FINE}ETP",
            "ETP Département, autre lecture": f"5,45{FINE}ETP",
        }.items()
    )
    (explication,) = [i.value for i in at.info if "aucune n'est choisie" in i.value]
    assert f"4,45{FINE}ETP" in explication and f"5,45{FINE}ETP" in explication
    assert "emploi transfrontalier" in explication
    assert "(territoire Bas-Rhin)" in explication  # le nom, pas le code « 67 »
    totaux = _tableau(at, "Stratégie", "Total").set_index("Stratégie")
    assert list(totaux.columns) == ["MDE", "Département", "Total"]
    assert [t.replace(FINE, " ") for t in totaux["Total"]] == [
        "2,4 ETP", "1,25 ETP", "3,8 ETP", "1,55 ETP", "2,85 ETP",
    ]  # fmt: skip
    assert totaux.iloc[3].tolist() == [f"1,05{FINE}ETP", f"0,5{FINE}ETP", f"1,55{FINE}ETP"]


def _donnees_graphique(graphique: object) -> list[pd.DataFrame]:
    """Les jeux de données d'un graphique Vega-Lite (Streamlit les passe en Arrow, hors spec)."""
    return [
        pa.ipc.open_stream(d.data.data).read_all().to_pandas()
        for d in graphique.proto.datasets  # type: ignore[attr-defined]
    ]


def test_graphique_des_etp_avec_la_formulation_en_infobulle() -> None:
    at = _page({"annee": "2020"})
    graphiques = at.get("vega_lite_chart")
    assert len(graphiques) == 2  # ETP par stratégie, effectif contre placements
    spec = json.loads(graphiques[0].proto.spec)
    infobulles = [t["title"] for t in spec["layer"][0]["encoding"]["tooltip"]]
    assert infobulles == ["Stratégie", "Partenaire", "ETP", "Formulation du document", "Source"]
    barres = _donnees_graphique(graphiques[0])[0]
    assert "Le temps de travail consolidé peut être estimé à 1,8 ETP." in set(barres["texte"])
    assert round(barres.loc[barres["partenaire"] == "MDE", "etp"].sum(), 6) == 7.4
    ecrits = _tableau(at, "Stratégie", "Partenaire", "ETP", "Formulation du document")
    assert "Moyens CD : 0.15 ETP sont consacrés à Tremplin sur le Rhin." in set(
        ecrits["Formulation du document"]
    )
    assert len(ecrits) == 11  # dix ETP de stratégies et l'ETP transfrontalier, à part


def test_un_ratio_avec_ses_deux_termes(environnement: Path) -> None:
    at = _page({"annee": "2019"})
    placements = _placements(environnement, 2019)
    ratio = formats.nombre(placements / 19, 1)
    attendu = (
        f"- **Placements de l'équipe emploi par conseiller emploi** : {ratio} placements par "
        f"conseiller — résultat : {formats.nombre(placements)} placements (année 2019) ; "
        "moyen : 19 conseillers (non daté)"
    )
    assert attendu in [m.value for m in at.markdown]
    ligne = _ratios(at).loc["Placements de l'équipe emploi par conseiller emploi"]
    assert ligne["Moyen"] == "19 conseillers"
    assert ligne["Résultat"] == f"{formats.nombre(placements)} placements"
    assert ligne["Ratio"] == f"{ratio} placements par conseiller"
    assert ligne["Source du moyen"] == "PDIE 2017-2019, §1.2"  # le document, pas le fichier
    assert "Données de démonstration ; indicateur A2.1" in ligne["Source du résultat"]
    assert "ETP MDE" not in _metriques(at)  # aucun ETP de convention daté de 2019


def test_le_selecteur_d_annee_change_les_chiffres_et_l_url(environnement: Path) -> None:
    at = _page({"annee": "2020"})
    ratios = _ratios(at)["Ratio"]
    assert set(ratios) == {"non renseigné"}  # aucun résultat importé pour 2020, ni 0 ni ∞
    at.selectbox(key="moyens_annee").set_value("2018").run()
    assert not at.exception
    assert at.query_params["annee"] == "2018"
    ratio = formats.nombre(_placements(environnement, 2018) / 19, 1)
    ratios = _ratios(at)["Ratio"]
    assert ratios["Placements de l'équipe emploi par conseiller emploi"] == (
        f"{ratio} placements par conseiller"
    )
    assert "ETP MDE" not in _metriques(at)


def test_une_annee_inconnue_dans_l_url_donne_un_avis() -> None:
    at = _page({"annee": "1990"})
    assert any("« 1990 » inconnue pour « annee »" in w.value for w in at.warning)
    assert at.query_params["annee"] == "2019"  # la dernière année qui a moyens et résultats


def test_un_elu_du_nord_ne_voit_pas_les_etp_de_l_ems() -> None:
    at = _page({"annee": "2020"}, identifiant="elu-nord")
    assert "ETP MDE" not in _metriques(at)
    assert any("Aucun ETP par stratégie" in c.value for c in at.main.caption)


TERRITOIRES = {"NORD": "Nord", "OUEST": "Ouest", "EMS": "Eurométropole de Strasbourg", "SUD": "Sud"}


def _graphique_territoires(at: AppTest) -> tuple[dict[str, object], pd.DataFrame]:
    """La spécification et les points du graphique ETP contre retours à l'emploi."""
    for graphique in at.get("vega_lite_chart"):
        spec = json.loads(graphique.proto.spec)
        if "Retours à l'emploi" in json.dumps(spec, ensure_ascii=False):
            return spec, pd.concat(_donnees_graphique(graphique))
    raise AssertionError("pas de graphique ETP contre retours à l'emploi")


def _calcul_sql(dossier: Path, annee: int) -> dict[str, tuple[float, float]]:
    """Par territoire d'action : ETP rattachés à OO2 (table `ressource`, le territoire ou ses
    cantons) et retours à l'emploi de l'année (table `valeur`, somme des cantons), en SQL, sans
    aucune fonction de l'application."""
    eng = create_engine(f"sqlite:///{dossier / 'pilotage.db'}")
    with eng.connect() as conn:
        etp = dict(conn.exec_driver_sql(
            "SELECT CASE c.niveau WHEN 'canton' THEN c.parent ELSE r.territoire END, "
            "SUM(r.valeur) FROM ressource r "
            "JOIN territoire c ON c.code = r.territoire WHERE r.type = 'etp' AND "
            "r.objectif = 'OO2' AND r.annee = ? AND (c.niveau = 'territoire_action' OR "
            "c.niveau = 'canton') GROUP BY 1", (annee,)).all())  # fmt: skip
        retours = dict(conn.exec_driver_sql(
            "SELECT c.parent, SUM(v.valeur) FROM valeur v JOIN territoire c ON c.code = "
            "v.territoire WHERE v.indicateur = 'OO2-S.1' AND v.courante AND c.niveau = 'canton' "
            "AND substr(v.debut, 1, 4) = ? GROUP BY c.parent", (str(annee),)).all())  # fmt: skip
    eng.dispose()
    return {t: (float(etp[t]), float(retours[t])) for t in etp}


def test_la_page_s_ouvre_sur_une_annee_avec_resultats_et_montre_chaque_territoire() -> None:
    at = _page()  # sans année dans l'URL
    assert at.query_params["annee"] == "2019"  # 2020 a des ETP (convention), pas de résultats
    assert at.main.subheader[0].value == "ETP et retours à l'emploi par territoire d'action, 2019"
    spec, points = _graphique_territoires(at)
    assert set(points.loc[points["choisie"], "nom"]) == set(TERRITOIRES.values())
    assert not set(points["nom"]) & set(TERRITOIRES)  # des noms, pas des codes
    couleur = spec["layer"][1]["encoding"]["color"]
    assert couleur["title"] == "Territoire d'action" and "legend" in couleur
    (rappel,) = [i.value for i in at.info if "5.2.10" in i.value]
    assert "les résultats des dispositifs d'insertion sont collectifs" in rappel
    tableau = _tableau(at, "Territoire d'action", "Source des ETP", "Source du résultat")
    assert set(tableau["Territoire d'action"]) == set(TERRITOIRES.values())
    assert set(tableau["Source des ETP"]) == {"Données de démonstration"}
    budgets = [d.value for d in at.dataframe if "Code" in d.value.columns]
    territoires = {t for b in budgets for t in b["Territoire"]}
    assert "Bas-Rhin" in territoires and "67" not in territoires


def test_les_chiffres_du_graphique_sont_ceux_du_calcul_sql(environnement: Path) -> None:
    at = _page({"annee": "2018"})
    _, points = _graphique_territoires(at)
    attendus = _calcul_sql(environnement, 2018)
    assert set(attendus) == set(TERRITOIRES)
    de_l_annee = points[points["choisie"]].set_index("nom")
    for code, (etp, retours) in attendus.items():
        ligne = de_l_annee.loc[TERRITOIRES[code]]
        assert int(ligne["annee"]) == 2018
        assert round(float(ligne["etp"]), 6) == round(etp, 6)
        assert float(ligne["resultat"]) == retours
        ratio = formats.nombre(formats.arrondi_decimales(retours / etp, 1), 1)
        assert ligne["ratio_texte"] == f"{ratio} retours à l'emploi par ETP"
