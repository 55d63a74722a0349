"""Trajectoire attendue et statut, sur des cas faits à la main."""

import math

import pandas as pd
import pytest

from config.settings import Seuils, read_seuils
from data_access import agregation
from data_access.periodes import Mois, parse, parse_plage
from data_access.trajectoire import Statut, evaluer, statut

SEUILS = Seuils(avance=0.05, retard=0.10)


def _serie(valeurs: dict[str, float]) -> pd.DataFrame:
    lignes = []
    for code, valeur in valeurs.items():
        periode = parse(code)
        lignes.append((periode.code, str(periode.debut), str(periode.fin), valeur))
    return pd.DataFrame(lignes, columns=["periode", "debut", "fin", "valeur"])


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
