"""Trajectoire attendue et statut, sur des cas faits à la main."""

import math

import pandas as pd
import pytest

from config.settings import Seuils, read_seuils
from data_access import agregation
from data_access.periodes import Mois, parse, parse_plage
from data_access.trajectoire import (
    EtatJalon,
    Statut,
    derniere,
    evaluer,
    evaluer_jalon,
    phrase_modele,
    statut,
    tendance,
    valeur_attendue,
)

SEUILS = Seuils(avance=0.05, retard=0.10)


def _serie(valeurs: dict[str, float]) -> pd.DataFrame:
    lignes = []
    for code, valeur in valeurs.items():
        periode = parse(code)
        lignes.append((periode.code, str(periode.debut), str(periode.fin), valeur))
    cadre = pd.DataFrame(lignes, columns=["periode", "debut", "fin", "valeur"])
    return cadre.astype({"periode": "string", "debut": "string", "fin": "string",
                         "valeur": "float64"})  # fmt: skip


def test_flux_trimestriel_attendu_au_prorata_du_dernier_trimestre_connu() -> None:
    # Cible 10 000 sur 2017-2019 ; deux trimestres connus de 2017 (fin juin) : 6/36 écoulés.
    serie = _serie({"2017-T1": 800, "2017-T2": 900})
    ev = evaluer(serie, nature="flux", polarite="hausse", cible=10_000,
                 plage=parse_plage("2017-2019"), mois=Mois(2017, 8), seuils=SEUILS)  # fmt: skip
    assert ev.reel == 1700
    assert ev.attendu == pytest.approx(10_000 * 6 / 36)
    assert ev.donnees_au == "2017-T2"
    assert ev.statut is Statut.DANS_LA_TRAJECTOIRE  # 1 700 / 1 666,7 = 1,02


def test_trimestre_en_cours_ignore_meme_si_sa_valeur_existe() -> None:
    serie = _serie({"2017-T1": 800, "2017-T2": 900, "2017-T3": 5000})
    ev = evaluer(serie, nature="flux", polarite="hausse", cible=10_000,
                 plage=parse_plage("2017-2019"), mois=Mois(2017, 8), seuils=SEUILS)  # fmt: skip
    assert ev.reel == 1700


def test_flux_en_retard_et_en_avance() -> None:
    plage = parse_plage("2018")
    en_retard = evaluer(_serie({"2018-S1": 300}), nature="flux", polarite="hausse", cible=736,
                        plage=plage, mois=Mois(2018, 12), seuils=SEUILS)  # fmt: skip
    assert en_retard.attendu == pytest.approx(368)
    assert en_retard.statut is Statut.EN_RETARD  # 300 / 368 = 0,82
    en_avance = evaluer(_serie({"2018-S1": 400}), nature="flux", polarite="hausse", cible=736,
                        plage=plage, mois=Mois(2018, 12), seuils=SEUILS)  # fmt: skip
    assert en_avance.statut is Statut.EN_AVANCE  # 400 / 368 = 1,09


def test_stock_compare_son_dernier_niveau_a_la_cible_sans_cumul() -> None:
    serie = _serie({"2019-T1": 1900, "2019-T2": 2050})
    ev = evaluer(serie, nature="stock", polarite="hausse", cible=2000,
                 plage=parse_plage("2019"), mois=Mois(2019, 6), seuils=SEUILS)  # fmt: skip
    assert (ev.reel, ev.attendu, ev.statut) == (2050, 2000, Statut.DANS_LA_TRAJECTOIRE)


def test_indicateur_a_la_baisse_inverse_le_rapport() -> None:
    assert statut(26_000, 24_000, polarite="baisse", seuils=SEUILS) is Statut.DANS_LA_TRAJECTOIRE
    assert statut(28_000, 24_000, polarite="baisse", seuils=SEUILS) is Statut.EN_RETARD
    assert statut(20_000, 24_000, polarite="baisse", seuils=SEUILS) is Statut.EN_AVANCE


def test_sans_valeur_dans_la_plage_non_renseigne() -> None:
    ev = evaluer(_serie({"2016-T4": 900}), nature="flux", polarite="hausse", cible=10_000,
                 plage=parse_plage("2017-2019"), mois=Mois(2017, 8), seuils=SEUILS)  # fmt: skip
    assert ev.statut is Statut.NON_RENSEIGNE and ev.reel is None


def test_cible_echue_evaluee_a_sa_fin() -> None:
    serie = _serie({"2017": 1000, "2018": 1100})
    ev = evaluer(serie, nature="flux", polarite="hausse", cible=1000,
                 plage=parse_plage("2017"), mois=Mois(2019, 6), seuils=SEUILS)  # fmt: skip
    assert (ev.reel, ev.attendu, ev.part_ecoulee) == (1000, 1000, 1.0)


def test_les_seuils_viennent_du_fichier_de_config() -> None:
    seuils = read_seuils()
    assert 0 < seuils.avance < 0.5 and 0 < seuils.retard < 0.5


def test_un_taux_se_recompose_il_ne_s_additionne_pas() -> None:
    # Deux cantons : 10 % de 100 et 50 % de 300 ; le taux du territoire est 160 / 400 = 40 %.
    sommes = pd.DataFrame({"somme_valeur": [60.0], "somme_numerateur": [160.0],
                           "somme_denominateur": [400.0]})  # fmt: skip
    assert agregation.recombine(sommes, nature="taux", unite="%").iloc[0] == pytest.approx(40.0)
    assert agregation.recombine(sommes, nature="flux", unite="").iloc[0] == 60.0
    assert math.isnan(agregation.recombine(sommes, nature="jalon", unite="").iloc[0])


def test_un_stock_ne_se_cumule_pas_dans_le_temps() -> None:
    niveaux = pd.Series([2000.0, 2100.0, 1950.0])
    assert agregation.cumule(niveaux, nature="stock") == 1950.0
    assert agregation.cumule(niveaux, nature="flux") == 6050.0


# --- Modèle explicite : départ → cible, périodicité propre, baisse, sans cible, jalon ---------


def test_flux_a_mi_plan_attend_la_moitie_de_la_cible() -> None:
    # 10 000 sur 2017-2019 ; six trimestres connus (fin juin 2018) : 18 mois sur 36.
    serie = _serie({f"{a}-T{t}": 800 for a in (2017, 2018) for t in (1, 2, 3, 4)})
    ev = evaluer(serie, nature="flux", polarite="hausse", cible=10_000,
                 plage=parse_plage("2017-2019"), mois=Mois(2018, 7), seuils=SEUILS)  # fmt: skip
    assert ev.part_ecoulee == 0.5
    assert ev.attendu == 5_000
    assert ev.reel == 6 * 800 and ev.donnees_au == "2018-T2"
    assert ev.statut is Statut.DANS_LA_TRAJECTOIRE  # 4 800 / 5 000 = 0,96


def test_un_semestriel_est_juge_sur_son_dernier_semestre_jamais_sur_le_mois() -> None:
    serie = _serie({"2019-S1": 500, "2019-S2": 600})
    ev = evaluer(serie, nature="flux", polarite="hausse", cible=1_000,
                 plage=parse_plage("2019"), mois=Mois(2019, 10), seuils=SEUILS)  # fmt: skip
    assert (ev.reel, ev.attendu, ev.donnees_au) == (500, 500, "2019-S1")
    derniere_connue = derniere(serie, mois=Mois(2019, 10))
    assert (derniere_connue.periode, derniere_connue.valeur) == ("2019-S1", 500)
    assert derniere(serie, mois=Mois(2019, 5)).valeur is None  # aucun semestre clos : pas de 0


def test_moins_est_mieux_avec_une_situation_de_depart() -> None:
    # 25 000 allocataires au départ, 24 000 visés fin 2019 : 24 500 attendus fin juin.
    plage = parse_plage("2019")
    a_mi_annee = {f"2019-{m:02d}": 24_400 for m in range(1, 7)}
    ev = evaluer(_serie(a_mi_annee), nature="stock", polarite="baisse", cible=24_000,
                 plage=plage, mois=Mois(2019, 6), seuils=SEUILS,
                 valeur_reference=25_000)  # fmt: skip
    assert ev.attendu == 24_500
    assert ev.statut is Statut.DANS_LA_TRAJECTOIRE
    trop = {**a_mi_annee, "2019-06": 28_000}
    ev = evaluer(_serie(trop), nature="stock", polarite="baisse", cible=24_000,
                 plage=plage, mois=Mois(2019, 6), seuils=SEUILS,
                 valeur_reference=25_000)  # fmt: skip
    assert ev.statut is Statut.EN_RETARD  # 24 500 / 28 000 = 0,875


def test_de_100_a_200_entreprises_en_ligne_droite() -> None:
    # Convention MDE : passer de 100 à 200 entreprises en 2020 ; 160 à la fin du 2e trimestre.
    plage = parse_plage("2020")
    ev = evaluer(_serie({"2020-T1": 120, "2020-T2": 160}), nature="stock", polarite="hausse",
                 cible=200, plage=plage, mois=Mois(2020, 7), seuils=SEUILS,
                 valeur_reference=100)  # fmt: skip
    assert ev.attendu == 150 and ev.reel == 160  # un stock : le dernier niveau, pas 280
    assert ev.statut is Statut.EN_AVANCE  # 160 / 150 = 1,07
    assert valeur_attendue(nature="stock", cible=8, part=0.5, valeur_reference=4) == 6
    assert valeur_attendue(nature="stock", cible=8, part=0.5) == 8  # sans départ : la cible
    assert valeur_attendue(nature="flux", cible=736, part=0.5) == 368


def test_sans_cible_la_derniere_valeur_et_sa_tendance() -> None:
    serie = _serie({"2019-04": 23_400, "2019-05": 23_346, "2019-06": 23_275})
    d = derniere(serie, mois=Mois(2019, 6))
    assert (d.valeur, d.periode, d.valeur_precedente, d.periode_precedente) == (
        23_275, "2019-06", 23_346, "2019-05"
    )  # fmt: skip
    assert d.evolution == -71
    assert tendance(d) == "stable"  # -0,3 % : sous le seuil de 0,5 %
    assert tendance(derniere(_serie({"2019-S1": 100, "2019-S2": 120}), mois=Mois(2019, 12))) == (
        "en hausse"
    )
    assert tendance(derniere(_serie({"2019-S1": 100}), mois=Mois(2019, 12))) is None


def test_un_jalon_est_realise_quand_sa_derniere_valeur_vaut_1() -> None:
    serie = _serie({"2017-06": 0, "2018-03": 1})
    assert evaluer_jalon(serie, mois=Mois(2019, 6)) == EtatJalon(
        True, "2018-03", Statut.DANS_LA_TRAJECTOIRE
    )
    avant = evaluer_jalon(serie, mois=Mois(2017, 12))
    assert (avant.realise, avant.statut) == (False, Statut.EN_RETARD)
    vide = evaluer_jalon(_serie({}), mois=Mois(2019, 6))
    assert (vide.realise, vide.donnees_au, vide.statut) == (None, None, Statut.NON_RENSEIGNE)


def test_une_phrase_par_nature_pour_dire_comment_l_attendu_est_calcule() -> None:
    phrases = {n: phrase_modele(n) for n in ("flux", "stock", "taux", "montant", "jalon")}
    assert len(set(phrases.values())) == 5
    assert all(p.endswith(".") and p.count(". ") == 0 for p in phrases.values())
    assert "prorata" in phrases["flux"] and "cible elle-même" in phrases["stock"]
    assert "situation de départ" in phrase_modele("stock", reference=True)
    assert phrase_modele("jalon", reference=True) == phrases["jalon"]
    with pytest.raises(ValueError, match="inconnue"):
        phrase_modele("ratio")
