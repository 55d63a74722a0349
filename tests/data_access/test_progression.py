"""Progression sur la démonstration : NORD en retard, EMS en avance, deux cibles pour le 67."""

from __future__ import annotations

from sqlalchemy import Connection

from data_access import progression


def _en_cours(conn: Connection, territoire: str, periode: str) -> dict[str, object]:
    cadre = progression.read_progression(
        conn, indicateur="OO2-S.1", territoire=territoire, mois="2019-06"
    )
    ligne = cadre[cadre["en_cours"] & (cadre["periode_cible"] == periode)]
    assert len(ligne) == 1
    return ligne.iloc[0].to_dict()


def test_nord_en_retard_ems_en_avance_sur_l_acces_a_l_emploi(conn: Connection) -> None:
    nord = _en_cours(conn, "NORD", "2019")
    assert nord["cible"] == 736 and nord["donnees_au"] == "2019-T2"
    assert nord["attendu"] == 368  # 736 × 6/12, au 2e trimestre connu
    assert nord["statut"] == "en retard"
    assert _en_cours(conn, "EMS", "2019")["statut"] == "en avance"


def test_le_departement_est_juge_contre_10000_et_contre_11199(conn: Connection) -> None:
    cadre = progression.read_progression(
        conn, indicateur="OO2-S.1", territoire="67", mois="2019-06"
    )
    cumul = cadre[cadre["periode_cible"] == "2017-2019"].set_index("cible")
    assert set(cumul.index) == {10000.0, 11199.0}
    assert cumul.loc[10000.0, "attendu"] == 10000 * 30 / 36
    assert cumul.loc[11199.0, "attendu"] == 11199 * 30 / 36
    assert cumul.loc[10000.0, "reel"] == cumul.loc[11199.0, "reel"]
    assert set(cumul["source"]) == {
        "002_08888835fc8aebb3.txt §3.1, §7 (OO2)",
        "002_08888835fc8aebb3.txt §4",
    }


def test_avant_toute_donnee_le_statut_est_non_renseigne(conn: Connection) -> None:
    cadre = progression.read_progression(
        conn, indicateur="OO2-S.1", territoire="NORD", mois="2017-02"
    )
    assert (cadre["statut"] == "non renseigné").all()
