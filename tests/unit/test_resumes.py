"""Résumés en une phrase des courbes et de la carte : ce qu'un lecteur d'écran entend."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.carte import fiche_canton
from dashboard.graphiques import courbes, resumes, tableau_de_bord
from dashboard.tableau_de_bord.contenu import Courbe, Point
from dashboard.vues import graphiques as vue_graphiques

FINE = "\u202f"


def test_duree_dit_la_periodicite_et_le_nombre() -> None:
    assert resumes.duree(["2019-05", "2019-06"]) == "2 mois"
    assert resumes.duree(["2019-T1"]) == "1 trimestre"
    assert resumes.duree(["2019-S1", "2019-S2"]) == "2 semestres"
    assert resumes.duree(["2017", "2018", "2019"]) == "3 années"
    assert resumes.duree(["2019-06", "2019-T2"]) == "2 périodes"


def test_a_la_periode() -> None:
    assert resumes.a_la_periode("2019-06") == "en juin 2019"
    assert resumes.a_la_periode("2019-T2") == "au cours du 2e trimestre 2019"
    assert resumes.a_la_periode("2019") == "en 2019"


def test_serie_debut_fin_minimum_maximum_sans_les_trous() -> None:
    codes = ["2019-01", "2019-02", "2019-03", "2019-04"]
    phrase = resumes.serie(codes, [1300.0, None, 1200.0, 1450.0], unite="")
    assert phrase == (
        f"Série sur 3 mois (janvier 2019 à avril 2019) : 1{FINE}300 au début, 1{FINE}450 en "
        f"avril 2019 ; minimum 1{FINE}200, maximum 1{FINE}450."
    )


def test_serie_d_une_valeur_ou_vide() -> None:
    assert resumes.serie(["2019-T2"], [45.2], unite="%", sujet="Taux") == (
        f"Taux : une seule valeur, 45,2{FINE}% (2e trimestre 2019)."
    )
    assert resumes.serie(["2019-T2"], [None], unite="") == "Série : aucune valeur à tracer."


def test_cibles() -> None:
    cibles = pd.DataFrame({"periode_cible": ["2017-2019", "2017-2019"], "cible": [10000, 11199]})
    assert (
        resumes.cibles(cibles, "") == f"Cibles : 10{FINE}000 (2017-2019), 11{FINE}199 (2017-2019)."
    )
    assert resumes.cibles(cibles.head(1), "") == f"Cible : 10{FINE}000 (2017-2019)."
    assert resumes.cibles(None, "") == ""


def test_la_serie_d_une_fiche_a_cible_est_dite_en_cumul_comme_elle_est_tracee() -> None:
    serie = pd.DataFrame(
        {
            "periode": ["2017-T1", "2017-T2", "2017-T3"],
            "debut": ["2017-01", "2017-04", "2017-07"],
            "fin": ["2017-03", "2017-06", "2017-09"],
            "valeur": [900.0, 1000.0, 950.0],
        }
    )
    cibles = pd.DataFrame(
        {"periode_cible": ["2017-2019"], "cible": [10000.0], "valeur_reference": [None],
         "source": ["PDIE §3.1"]}
    )  # fmt: skip
    phrase = courbes.resume_serie(serie, cibles, nature="flux")
    assert phrase == (
        "Cumul depuis janvier 2017 sur 3 trimestres (1er trimestre 2017 à 3e trimestre 2017) : "
        f"900 au début, 2{FINE}850 au cours du 3e trimestre 2017 ; minimum 900, "
        f"maximum 2{FINE}850. "
        f"Cible : 10{FINE}000 (2017-2019). "
        f"Trajectoire attendue au dernier point : 2{FINE}500."  # 10 000 × 9 mois / 36
    )
    niveaux = courbes.resume_serie(serie, None, nature="stock", titre="Allocataires")
    assert niveaux.startswith("Allocataires, série sur 3 trimestres") and "Cible" not in niveaux


def test_une_courbe_du_tableau_de_bord_a_sa_phrase_et_son_tableau() -> None:
    courbe = Courbe("FIN-2.1", "Allocataires", "", (Point("2019-05", "2019-05", 23000.0),
                    Point("2019-06", "2019-06", None)), ())  # fmt: skip
    assert tableau_de_bord.resume_courbe(courbe, None, "stock") == (
        f"Allocataires, série : une seule valeur, 23{FINE}000 (mai 2019)."
    )
    tableau = tableau_de_bord.tableau_courbe(courbe)
    assert tableau.to_dict("list") == {"Période": ["juin 2019", "mai 2019"],
                                       "Valeur": ["–", f"23{FINE}000"]}  # fmt: skip


def _courbes() -> dict[str, pd.DataFrame]:
    zone = pd.DataFrame({"periode": ["2019-T1", "2019-T2"], "fin": ["2019-03", "2019-06"],
                         "valeur": [12.34, float("nan")], "masque": [False, True]})  # fmt: skip
    territoire = pd.DataFrame(
        {"periode": ["2019-T1", "2019-T2"], "fin": ["2019-03", "2019-06"], "valeur": [11.0, 10.5]}
    )
    return {"Haguenau": zone, "Territoire Nord": territoire}


def test_la_comparaison_d_une_zone_dit_chaque_courbe_a_sa_derniere_periode() -> None:
    phrase = resumes.comparaison(_courbes(), mesure="pour 1 000 habitants")
    assert phrase == (
        "Haguenau et Territoire Nord (pour 1 000 habitants), sur 2 trimestres (1er trimestre "
        "2019 à 2e trimestre 2019) ; au cours du 1er trimestre 2019 : Haguenau 12,3, "
        "Territoire Nord 11,0."
    )


def test_le_tableau_de_la_comparaison_ecrit_secret_jamais_vide() -> None:
    tableau = fiche_canton.tableau_comparaison(_courbes())
    assert tableau.to_dict("list") == {
        "Période": ["2e trimestre 2019", "1er trimestre 2019"],
        "Haguenau": ["secret", "12,3"],
        "Territoire Nord": ["10,5", "11,0"],
    }


def test_territoires_dans_l_ordre_des_barres() -> None:
    lignes = pd.DataFrame({"libelle_territoire": ["Nord", "Sud"], "reel_affiche": ["120", "80"],
                           "attendu_affiche": ["100", "90"],
                           "statut": ["en avance", None]})  # fmt: skip
    assert resumes.territoires(lignes, sujet="Accès à l'emploi · 2019") == (
        "Accès à l'emploi · 2019, réalisé de 2 territoires face à l'attendu à la date : Nord 120 "
        "pour 100 attendus (en avance) ; Sud 80 pour 90 attendus (non renseigné)."
    )


def test_cantons_le_plus_fort_le_plus_faible_et_les_secrets() -> None:
    contributions = pd.DataFrame(
        {"libelle": ["Haguenau", "Brumath", "Bischwiller"], "valeur": [300.0, 120.0, None],
         "valeur_affichee": ["300", "120", "secret"], "part_affichee": ["60 %", "24 %", "secret"],
         "masque": [False, False, True]}
    )  # fmt: skip
    assert resumes.cantons(contributions, sujet="Nord") == (
        "Nord : 3 cantons ; le plus fort Haguenau (300, 60 % du territoire), le plus faible "
        "Brumath (120, 24 %) ; 1 sous secret statistique."
    )


def test_etp_par_partenaire_sans_additionner_les_lignes_a_part() -> None:
    etp = pd.DataFrame(
        {"partenaire": ["MDE", "Département", "MDE"], "valeur": [2.0, 0.5, 1.0],
         "a_part": [False, False, True], "objectif": ["S1", "S1", "A1"],
         "objectif_libelle": ["Accueil", "Accueil", "Axe 1"]}
    )  # fmt: skip
    assert resumes.etp(etp) == (
        f"ETP de 1 stratégie par partenaire : MDE 2{FINE}ETP, Département 0,5{FINE}ETP ; la plus "
        f"dotée : S1 · Accueil (2,5{FINE}ETP) ; 1 ligne écrite pour un axe entier, à part."
    )


def test_points_et_repere() -> None:
    points = pd.DataFrame({"libelle": ["2018", "2019"], "resultat_texte": ["1 100", "1 200"],
                           "moyen_texte": ["19 conseillers"] * 2,
                           "ratio": ["57,9 par conseiller", "63,2 par conseiller"]})  # fmt: skip
    phrase = resumes.points(points, sujet="Placements", references=["Repère : 60"])
    assert phrase == (
        "Placements, 2 points : 2018 : 1 100 pour 19 conseillers (57,9 par conseiller) ; 2019 : "
        "1 200 pour 19 conseillers (63,2 par conseiller) ; Repère : 60."
    )


def test_carte_la_plus_haute_la_plus_basse_les_masquees() -> None:
    zones = pd.DataFrame({"libelle": ["Haguenau", "Saverne", "Erstein", "Molsheim"],
                          "valeur": [12.0, 8.0, None, None],
                          "masque": [False, False, True, False]})  # fmt: skip
    phrase = resumes.carte(zones, ["12", "8", "–", "–"], mesure="OO2-S.1", periode="2019-T2")
    assert phrase == (
        "Carte de 4 zones, OO2-S.1 (2e trimestre 2019) : la plus haute Haguenau (12), la plus "
        "basse Saverne (8) ; 1 sous secret statistique ; 1 non renseignée."
    )


def test_statuts_du_comite() -> None:
    assert resumes.statuts([("Nord", "120 sur 100, en avance")], sujet="§4") == (
        "§4 : Nord 120 sur 100, en avance."
    )


def test_la_phrase_devient_la_description_du_graphique() -> None:
    graphique = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    assert resumes.decrire(graphique, "Une phrase.").to_dict()["description"] == "Une phrase."


def test_la_legende_s_affiche_telle_quelle() -> None:
    assert vue_graphiques.texte_brut("Cible *10 000* [§4] $5") == r"Cible \*10 000\* \[§4\] \$5"


def test_la_petite_courbe_n_a_pas_d_axe_mais_des_infobulles_francaises() -> None:
    recentes = pd.DataFrame({"periode": ["2019-05", "2019-06"], "fin": ["2019-05", "2019-06"],
                             "valeur": [23000.0, 23100.0]})  # fmt: skip
    spec = courbes.build_courbe_recente(recentes, unite="").to_dict()
    assert spec["encoding"]["x"]["axis"] is None and spec["encoding"]["y"]["axis"] is None
    valeurs = next(iter(spec["datasets"].values()))
    assert [v["periode"] for v in valeurs] == ["mai 2019", "juin 2019"]
