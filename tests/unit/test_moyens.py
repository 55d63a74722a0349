"""Moyens face aux résultats : totaux d'ETP (7,4 ; 4,45 ou 5,45), ratios et leurs refus, graphiques.

Les ETP viennent des fichiers du référentiel eux-mêmes (`config/referentiel/`), mis dans la forme
que rend `data_access.moyens.read_ressources` : les totaux sont ceux des documents.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from dashboard import formats
from dashboard.graphiques import moyens as graphiques_moyens
from dashboard.modeles import moyens_resultats as calc
from dashboard.modeles.moyens_resultats import Sens, StatutRatio, Terme

REFERENTIEL = Path(__file__).resolve().parents[2] / "config" / "referentiel"
FINE = formats.ESPACE_FINE


def _ressources() -> pd.DataFrame:
    """Les ressources du référentiel, jointes à leurs objectifs comme en base."""
    ressources = pd.read_csv(REFERENTIEL / "ressources.csv", sep=";", dtype=str)
    objectifs = pd.read_csv(REFERENTIEL / "objectifs.csv", sep=";", dtype=str)
    noms = {"code": "objectif", "libelle": "objectif_libelle", "niveau": "objectif_niveau",
            "parent": "axe"}  # fmt: skip
    objectifs = objectifs.rename(columns=noms)
    cadre = ressources.merge(objectifs[["objectif", "objectif_libelle", "objectif_niveau", "axe",
                                        "plan", "rang"]], on="objectif", how="left")  # fmt: skip
    cadre["valeur"] = cadre["valeur"].astype("float64")
    cadre["annee"] = cadre["annee"].astype("Int64")
    cadre["rang"] = cadre["rang"].astype("Int64")
    cadre["portee"] = "propre"
    return cadre


@pytest.fixture(scope="module")
def etp() -> pd.DataFrame:
    ressources = _ressources()
    return calc.lignes_etp_convention(ressources[ressources["annee"] == 2020])


def _terme(valeur: float | None, annee: int | None, unite: str = "ETP") -> Terme:
    return Terme("terme", valeur, unite, annee, str(annee) if annee else "non daté", "source")


def _ratio(moyen: Terme, resultat: Terme, sens: Sens = Sens.RESULTAT_PAR_MOYEN) -> calc.Ratio:
    return calc.calculer_ratio(moyen, resultat, libelle="essai", sens=sens, unite="par ETP")


# --- Totaux d'ETP ---------------------------------------------------------------------------


def test_mde_7_4_et_departement_4_45_ou_5_45(etp: pd.DataFrame) -> None:
    totaux = calc.totaux_par_partenaire(etp).set_index("partenaire")
    assert totaux.loc["MDE", "etp"] == 7.4
    assert totaux.loc["MDE", "etp_avec_a_part"] == 7.4
    assert totaux.loc["Département", "etp"] == 4.45
    assert totaux.loc["Département", "etp_avec_a_part"] == 5.45
    assert list(totaux.index) == ["MDE", "Département"]  # l'ordre du document
    assert formats.etp(totaux.loc["MDE", "etp"]) == f"7,4{FINE}ETP"


def test_les_deux_lectures_du_departement_disent_pourquoi(etp: pd.DataFrame) -> None:
    (lecture,) = calc.lectures_totaux(etp)
    assert (lecture.partenaire, lecture.sans, lecture.avec) == ("Département", 4.45, 5.45)
    assert f"4,45{FINE}ETP" in lecture.explication and f"5,45{FINE}ETP" in lecture.explication
    assert "1 ETP à la thématique de l'emploi transfrontalier" in lecture.explication
    assert f"0,15{FINE}ETP de la stratégie MDE-4.1" in lecture.explication
    assert "INC-22" in lecture.explication
    assert "aucune n'est choisie" in lecture.explication


def test_totaux_par_strategie(etp: pd.DataFrame) -> None:
    totaux = calc.totaux_par_strategie(etp).set_index("strategie")
    assert totaux["total"].to_dict() == {
        "MDE-1.1": 2.4, "MDE-1.2": 1.25, "MDE-2.1": 3.8, "MDE-3.1": 1.55, "MDE-4.1": 2.85,
    }  # fmt: skip
    assert totaux.loc["MDE-2.1", "Département"] == 1.8
    assert totaux.loc["MDE-4.1", "Département"] == 0.15  # sans l'ETP transfrontalier
    tableau = calc.tableau_totaux_strategies(calc.totaux_par_strategie(etp))
    assert list(tableau.columns) == ["Stratégie", "MDE", "Département", "Total"]
    assert tableau.iloc[0, 1:].tolist() == [f"1,4{FINE}ETP", f"1{FINE}ETP", f"2,4{FINE}ETP"]


def test_le_tableau_garde_la_formulation_du_document(etp: pd.DataFrame) -> None:
    tableau = calc.tableau_etp(etp)
    formulations = " | ".join(tableau["Formulation du document"])
    assert "peut être estimé à 1,8 ETP" in formulations
    assert "0.15 ETP" in formulations
    assert tableau["Stratégie"].str.contains("axe entier, à part").sum() == 1


# --- Ratios ---------------------------------------------------------------------------------


def test_un_ratio_calcule_garde_ses_deux_termes() -> None:
    ratio = _ratio(_terme(19, 2019, "conseillers"), _terme(1116, 2019, "placements"))
    assert ratio.statut is StatutRatio.CALCULE
    assert ratio.valeur == pytest.approx(1116 / 19)
    assert (ratio.moyen.valeur, ratio.resultat.valeur) == (19, 1116)
    assert calc.texte_ratio(ratio) == "58,7 par ETP"
    assert "même année" in ratio.mention


def test_euros_par_participant() -> None:
    ratio = _ratio(_terme(4_000_000, None, "€/an"), _terme(3222, 2019, "personnes"),
                   Sens.MOYEN_PAR_RESULTAT)  # fmt: skip
    assert ratio.valeur == pytest.approx(4_000_000 / 3222)
    assert "lecture indicative" in ratio.mention  # moyen « par an » sans année écrite


@pytest.mark.parametrize(
    ("moyen", "resultat", "sens"),
    [
        (0.0, 120.0, Sens.RESULTAT_PAR_MOYEN),  # 0 ETP
        (24_000.0, 0.0, Sens.MOYEN_PAR_RESULTAT),  # aucun participant
    ],
)
def test_division_par_zero_non_calculable(moyen: float, resultat: float, sens: Sens) -> None:
    ratio = _ratio(_terme(moyen, 2019), _terme(resultat, 2019), sens)
    assert ratio.statut is StatutRatio.NON_CALCULABLE
    assert ratio.valeur is None
    assert calc.texte_ratio(ratio) == "non calculable"
    assert "nul" in ratio.mention


def test_zero_resultat_est_un_vrai_zero() -> None:
    ratio = _ratio(_terme(2.0, 2019), _terme(0.0, 2019))
    assert ratio.statut is StatutRatio.CALCULE and ratio.valeur == 0.0


@pytest.mark.parametrize("absent", [None, math.nan])
def test_resultat_manquant_non_renseigne_jamais_zero(absent: float | None) -> None:
    ratio = _ratio(_terme(7.4, 2020), _terme(absent, 2020, "entreprises"))
    assert ratio.statut is StatutRatio.NON_RENSEIGNE
    assert ratio.valeur is None
    texte = calc.texte_ratio(ratio)
    assert texte == "non renseigné" and "0" not in texte and "∞" not in texte
    assert calc.texte_valeur(absent, "entreprises") == "non renseigné"


def test_periodes_differentes_refusees() -> None:
    ratio = _ratio(_terme(7.4, 2020), _terme(1116, 2019, "placements"))
    assert ratio.statut is StatutRatio.PERIODES_DIFFERENTES
    assert ratio.valeur is None
    assert "2020" in ratio.mention and "2019" in ratio.mention
    assert calc.texte_ratio(ratio).startswith("refusé")


def test_le_refus_de_periodes_passe_avant_le_manque() -> None:
    ratio = _ratio(_terme(7.4, 2020), _terme(None, 2019))
    assert ratio.statut is StatutRatio.PERIODES_DIFFERENTES


def test_annee_incomplete_etiquetee() -> None:
    ligne = pd.Series({"indicateur": "A2.1", "libelle": "Placements", "nature": "flux",
                       "unite": "placements", "periodicite": "mensuelle", "source": "002 §7",
                       "annee": 2019, "valeur": 640.0, "nb_periodes": 7, "nb_attendues": 12,
                       "derniere": "2019-07", "lots": "Lot de juillet"})  # fmt: skip
    terme = calc.terme_resultat(ligne)
    assert not terme.complet
    assert terme.periode == "année 2019, 7 mois sur 12"
    assert terme.source == "Lot de juillet ; indicateur A2.1 (002 §7)"
    ratio = _ratio(_terme(19, None, "conseillers"), terme)
    assert "ratio partiel" in ratio.mention


def test_un_stock_se_lit_en_fin_d_annee() -> None:
    ligne = pd.Series({"indicateur": "A10.1", "libelle": "Personnes", "nature": "stock",
                       "unite": "personnes", "periodicite": "semestrielle", "source": "002 §7",
                       "annee": 2019, "valeur": 1860.0, "nb_periodes": 2, "nb_attendues": 2,
                       "derniere": "2019-S2", "lots": ""})  # fmt: skip
    terme = calc.terme_resultat(ligne)
    assert terme.periode == "niveau de fin d'année : 2e semestre 2019"
    assert terme.source == "indicateur A10.1 (002 §7)"


def _resultats(valeurs: dict[int, float | None]) -> pd.DataFrame:
    return pd.DataFrame([
        {"indicateur": "A2.1", "libelle": "Placements", "nature": "flux", "unite": "placements",
         "periodicite": "mensuelle", "source": "002 §7", "annee": a, "valeur": v,
         "nb_periodes": 0 if v is None else 12, "nb_attendues": 12,
         "derniere": None if v is None else f"{a}-12", "lots": "démo"}
        for a, v in valeurs.items()
    ])  # fmt: skip


def test_build_ratios_et_nuage_sur_le_referentiel() -> None:
    ressources = _ressources()
    ressources = ressources[ressources["annee"].isna()]
    resultats = _resultats({2018: 1112.0, 2019: 1116.0, 2020: None})
    ratios = calc.build_ratios(ressources, resultats, 2019, calc.RAPPROCHEMENTS[:1])
    ((rapprochement, type_, ratio),) = ratios
    assert (rapprochement.ressource, type_) == ("RH-EQUIPE-EMPLOI", "effectif")
    assert calc.texte_ratio(ratio) == "58,7 placements par conseiller"
    assert ratio.moyen.texte == "Elle est actuellement composée de 19 conseillers emploi."
    tableau = calc.tableau_ratios([ratio]).iloc[0]
    assert tableau["Moyen"] == "19 conseillers" and tableau["Résultat"] == f"1{FINE}116 placements"
    assert tableau["Source du moyen"] == "002_08888835fc8aebb3.txt §1.2"
    assert tableau["Source du résultat"].startswith("démo ; indicateur A2.1")
    points = calc.points_ratio_annuel(ressources, resultats, calc.RAPPROCHEMENTS[0], 2019)
    assert points["libelle"].tolist() == ["2018", "2019"]  # 2020 non renseigné : pas de point
    assert points["choisie"].tolist() == [False, True]
    assert points["valeur"].tolist() == pytest.approx([1112 / 19, 1116 / 19])
    assert points["moyen_texte"].tolist() == ["19 conseillers"] * 2
    assert calc.derniere_annee_renseignee(resultats) == 2019


def test_part_du_fse_au_plus() -> None:
    (part,) = calc.build_parts(_ressources())
    assert part.valeur == pytest.approx(100 * 4 / 15)
    assert part.texte == f"au plus 26,7{FINE}%"
    assert "minimum" in part.explication


def test_tableau_convention_non_renseigne_par_axe(etp: pd.DataFrame) -> None:
    indicateurs = pd.DataFrame({
        "code": ["MDE-I2", "MDE-I3"], "libelle": ["entreprises", "proportion"],
        "objectif": ["MDE-AXE1", "MDE-AXE1"], "nature": ["stock", "taux"],
        "unite": ["entreprises", "%"], "source": ["000 Article 5"] * 2, "cible": [200.0, None],
        "valeur_reference": [100.0, None], "libelle_cible": ["passer de 100 à 200", None],
    })  # fmt: skip
    resultats = pd.DataFrame(columns=["indicateur", "annee"])
    tableau = calc.tableau_convention(etp, indicateurs, resultats, 2020)
    assert tableau["ETP de l'axe"].tolist() == [f"3,65{FINE}ETP"] * 2
    assert tableau["Résultat 2020"].tolist() == ["non renseigné"] * 2
    assert tableau["Résultat par ETP"].tolist()[0] == "non renseigné"
    assert tableau["Résultat par ETP"].tolist()[1].startswith("sans objet")
    assert tableau["Cible 2020"].tolist()[0] == "200 entreprises (« passer de 100 à 200 »)"
    axe4 = calc.tableau_convention(etp, indicateurs.assign(objectif="MDE-AXE4"), resultats, 2020)
    assert axe4["ETP de l'axe"].iloc[0] == (
        f"2,85{FINE}ETP (ou 3,85{FINE}ETP avec l'ETP écrit pour l'axe entier)"
    )


# --- Graphiques -----------------------------------------------------------------------------


def test_barres_empilees_avec_la_formulation_en_infobulle(etp: pd.DataFrame) -> None:
    spec = graphiques_moyens.build_etp_strategies(etp).to_dict()
    barres = spec["layer"][0]
    assert barres["mark"]["type"] == "bar"
    assert barres["encoding"]["color"]["field"] == "partenaire"
    assert barres["encoding"]["color"]["scale"]["domain"] == ["MDE", "Département"]
    infobulles = [t["title"] for t in barres["encoding"]["tooltip"]]
    assert "Formulation du document" in infobulles and "Source" in infobulles
    valeurs = spec["datasets"][barres["data"]["name"]]
    assert "Moyens CD : 0.15 ETP sont consacrés à Tremplin sur le Rhin." in {
        v["texte"] for v in valeurs
    }
    assert sum(v["etp"] for v in valeurs if v["partenaire"] == "MDE") == pytest.approx(7.4)
    assert '"url"' not in json.dumps(spec)  # aucune donnée chargée par adresse


def _points() -> pd.DataFrame:
    return pd.DataFrame({"libelle": ["2018", "2019"], "moyen": [19.0, 19.0],
                         "resultat": [1112.0, 1116.0], "valeur": [58.5, 58.7],
                         "ratio": ["58,5", "58,7"], "moyen_texte": ["19"] * 2,
                         "resultat_texte": ["1 112", "1 116"],
                         "choisie": [False, True]})  # fmt: skip


def test_ratio_annuel_avec_la_norme_en_trait_horizontal() -> None:
    spec = graphiques_moyens.build_ratio_annuel(
        _points(), titre_y="Placements par conseiller", normes=[(50.0, "Repère 5.2.14")]
    ).to_dict()
    marques = [c["mark"]["type"] for c in spec["layer"]]
    assert marques == ["line", "circle", "text", "rule", "text"]
    regle = spec["datasets"][spec["layer"][3]["data"]["name"]]
    assert regle == [{"valeur": 50.0, "libelle": "Repère 5.2.14"}]
    infobulles = [t["title"] for t in spec["layer"][1]["encoding"]["tooltip"]]
    assert infobulles == [
        "Point",
        "Moyen",
        "Résultat",
        "Ratio",
    ]  # les deux termes, pas que le ratio
    assert '"url"' not in json.dumps(spec)


def test_nuage_avec_la_norme_en_droite_de_reference() -> None:
    spec = graphiques_moyens.build_nuage(
        _points(), titre_x="Effectif", titre_y="Placements", normes=[(50.0, "Norme 5.2.14")]
    ).to_dict()
    marques = [c["mark"]["type"] for c in spec["layer"]]
    assert marques == ["circle", "text", "line", "text"]
    droite = spec["datasets"][spec["layer"][2]["data"]["name"]]
    assert [d["resultat"] / d["moyen"] for d in droite if d["moyen"]] == [50.0]
    assert '"url"' not in json.dumps(spec)


def test_nuage_de_la_convention_seulement_pour_les_resultats_renseignes(etp: pd.DataFrame) -> None:
    indicateurs = pd.DataFrame({
        "code": ["MDE-I2", "MDE-I12"], "libelle": ["entreprises", "BRSA en Allemagne"],
        "objectif": ["MDE-AXE1", "MDE-AXE4"], "nature": ["stock", "stock"],
        "unite": ["entreprises", "allocataires"], "source": ["000 Article 5"] * 2,
        "cible": [None, None], "valeur_reference": [None, None], "libelle_cible": [None, None],
    })  # fmt: skip
    resultats = pd.DataFrame([{
        "indicateur": "MDE-I2", "libelle": "entreprises", "nature": "stock",
        "unite": "entreprises", "periodicite": None, "source": "000", "annee": 2020,
        "valeur": 150.0, "nb_periodes": 1, "nb_attendues": None, "derniere": "2020",
        "lots": "Import 2021",
    }])  # fmt: skip
    points = calc.points_convention(etp, indicateurs, resultats, 2020)
    assert points["libelle"].tolist() == ["MDE-I2"]  # MDE-I12 non renseigné : aucun point
    assert (points["moyen"].iloc[0], points["resultat"].iloc[0]) == (3.65, 150.0)
    assert points["ratio"].iloc[0] == "41,1 entreprises par ETP"


def test_l_export_des_ratios_et_des_etp_arrondit_comme_l_ecran(etp: pd.DataFrame) -> None:
    """Ticket 18 : 1 116 placements / 19 conseillers s'exporte 58,7 (l'écran dit « 58,7 »),
    pas 58,73684210526316 ; un coût à l'euro près ; des ETP au centième."""
    ressources = _ressources()
    ressources = ressources[ressources["annee"].isna()]
    ratios = calc.build_ratios(ressources, _resultats({2019: 1116.0}), 2019,
                               calc.RAPPROCHEMENTS[:1])  # fmt: skip
    ((_, _, ratio),) = ratios
    exporte = calc.tableau_ratios([ratio], export=True).iloc[0]
    assert exporte["Ratio"] == 58.7 and calc.texte_ratio(ratio).startswith("58,7 ")
    assert (exporte["Moyen"], exporte["Résultat"]) == (19.0, 1116.0)
    cout = calc.calculer_ratio(_terme(1000.0, 2019, "€"), _terme(3.0, 2019, "participants"),
                               libelle="coût", sens=Sens.MOYEN_PAR_RESULTAT,
                               unite="€ par participant")  # fmt: skip
    assert calc.tableau_ratios([cout], export=True).iloc[0]["Ratio"] == 333.0
    assert calc.texte_ratio(cout) == "333 € par participant"
    valeurs = calc.tableau_etp(etp, export=True)["ETP"]
    assert all(round(v, 2) == v for v in valeurs) and 0.15 in set(valeurs)


def _ressource(code: str, type_: str, territoire: str, annee: int, valeur: float) -> dict:
    return {"code": code, "type": type_, "objectif": "OO2", "territoire": territoire,
            "annee": annee, "valeur": valeur, "source": f"Source {code}"}  # fmt: skip


def _resultat(territoire: str, annee: int, valeur: float | None) -> dict:
    return {"indicateur": "OO2-S.1", "libelle": "Retours", "nature": "flux", "unite": "retours",
            "periodicite": "trimestrielle", "source": "PDIE", "annee": annee, "valeur": valeur,
            "nb_periodes": 4, "nb_attendues": 4, "derniere": f"{annee}-T4", "lots": "Lot",
            "territoire": territoire}  # fmt: skip


def test_etp_et_retours_par_territoire_d_action_cantons_compris() -> None:
    """Un canton compte pour son territoire d'action ; un résultat manquant n'est ni 0 ni placé."""
    ressources = pd.DataFrame([
        _ressource("A", "etp", "NORD", 2019, 3.0), _ressource("B", "etp", "6701", 2019, 1.0),
        _ressource("C", "budget", "NORD", 2019, 400_000.0),
        _ressource("D", "etp", "SUD", 2019, 2.0), _ressource("E", "etp", "NORD", 2018, 4.0),
    ])  # fmt: skip
    resultats = pd.DataFrame([_resultat("NORD", 2019, 600.0), _resultat("NORD", 2018, 500.0),
                              _resultat("SUD", 2019, None)])  # fmt: skip
    points = calc.points_territoires(
        ressources, resultats, {"NORD": "Nord", "SUD": "Sud"},
        {"NORD": "NORD", "6701": "NORD", "SUD": "SUD"}, 2019,
    )  # fmt: skip
    nord = points[(points["nom"] == "Nord") & points["choisie"]].iloc[0]
    assert (nord["etp"], nord["resultat"], nord["ratio_texte"]) == (
        4.0, 600.0, "150,0 retours à l'emploi par ETP")  # fmt: skip
    assert nord["budget_texte"].replace(formats.ESPACE_FINE, " ").startswith("400 000")
    sud = points[points["nom"] == "Sud"].iloc[0]
    assert sud["ratio_texte"] == "non renseigné" and pd.isna(sud["resultat"])
    spec = graphiques_moyens.build_etp_resultats_territoires(points).to_dict()  # validé
    couleur = spec["layer"][1]["encoding"]["color"]
    assert couleur["title"] == "Territoire d'action" and couleur["legend"]["orient"] == "bottom"
    assert spec["layer"][1]["encoding"]["shape"]["field"] == "nom"  # la forme, pas que la couleur
    (donnees,) = spec["datasets"].values()
    assert {(d["nom"], d["annee"]) for d in donnees} == {("Nord", 2019), ("Nord", 2018)}
