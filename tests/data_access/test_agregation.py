"""Agrégation selon la nature de l'indicateur, sur la base de démonstration."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Connection

from data_access import lots, series, territoires, valeurs


def test_le_taux_d_un_territoire_n_est_pas_la_somme_des_taux_de_ses_cantons(
    conn: Connection,
) -> None:
    cantons = series.read_par_canton(conn, indicateur="FIN-1.1", periode="2018")
    nord = cantons[cantons["territoire_action"] == "NORD"]
    par_territoire = series.read_par_territoire(conn, indicateur="FIN-1.1", periode="2018")
    taux_nord = par_territoire.set_index("territoire").loc["NORD", "valeur"]
    assert taux_nord == pytest.approx(nord["numerateur"].sum() / nord["denominateur"].sum() * 100)
    assert taux_nord != pytest.approx(nord["valeur"].sum())
    assert 0 < taux_nord < 100


def test_un_stock_s_additionne_a_la_meme_date(conn: Connection) -> None:
    cantons = series.read_par_canton(conn, indicateur="FIN-2.1", periode="2019-06")
    par_territoire = series.read_par_territoire(conn, indicateur="FIN-2.1", periode="2019-06")
    valeurs_ = par_territoire.set_index("territoire")["valeur"]
    assert valeurs_["67"] == cantons["valeur"].sum()
    assert valeurs_["67"] == valeurs_[["NORD", "OUEST", "EMS", "SUD"]].sum()
    serie = series.read_serie(conn, indicateur="FIN-2.1", territoire="67")
    assert serie.set_index("periode").loc["2019-06", "valeur"] == valeurs_["67"]


def test_un_indicateur_trimestriel_reste_en_trimestres(conn: Connection) -> None:
    serie = series.read_serie(conn, indicateur="OO2-S.1", territoire="NORD")
    assert serie["periode"].str.fullmatch(r"\d{4}-T[1-4]").all()
    assert len(serie) == 12
    assert (
        serie["nb_cantons"]
        == len(territoires.cantons_de(territoires.read_territoires(conn), "NORD"))
    ).all()


def test_une_valeur_saisie_pour_le_territoire_l_emporte_sur_l_agregat(conn: Connection) -> None:
    lot = lots.create_lot(conn, libelle="essai", type_="indicateurs", auteur="test")
    ligne = pd.DataFrame([("OO2-S.1", "NORD", "2019-T2", 999, None, None, "provisoire")],
                         columns=valeurs.COLONNES_ENTREE)  # fmt: skip
    valeurs.write_valeurs(conn, lot=lot, lignes=ligne)
    serie = series.read_serie(conn, indicateur="OO2-S.1", territoire="NORD").set_index("periode")
    assert serie.loc["2019-T2", "valeur"] == 999
    assert serie.loc["2019-T2", "statut"] == "provisoire"
    assert len(serie) == 12


def test_un_canton_sans_valeur_garde_sa_ligne_vide(conn: Connection) -> None:
    cantons = series.read_par_canton(conn, indicateur="OO2-S.1", periode="2016-T1")
    assert len(cantons) == 23 and cantons["valeur"].isna().all()


def test_indicateur_inconnu(conn: Connection) -> None:
    with pytest.raises(series.IndicateurInconnu):
        series.read_serie(conn, indicateur="XX", territoire="67")
