"""Arbres du plan à plat, dans l'ordre du document, sur SQLite et PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Connection

from dashboard.modeles import objectifs
from data_access import plan, progression


def test_l_arbre_du_paragraphe_7_puis_celui_de_la_convention_mde(conn: Connection) -> None:
    arbre = plan.read_arbre(conn)
    assert list(arbre["code"][:6]) == ["FIN", "FIN-1.1", "FIN-2.1", "SYN-1", "SYN-2", "OS1"]
    assert arbre["type"].value_counts().to_dict() == {
        "indicateur": 69, "action": 38, "objectif": 27,
    }  # fmt: skip
    assert list(arbre["ordre"]) == list(range(len(arbre)))
    racines = arbre[arbre["profondeur"] == 0]
    assert list(racines["code"]) == ["FIN", "MDE-AXE1", "MDE-AXE2", "MDE-AXE3", "MDE-AXE4"]
    assert list(arbre.columns) == list(plan.COLONNES_ARBRE)
    assert str(arbre["profondeur"].dtype) == "int64" and str(arbre["rang"].dtype) == "Int64"


def test_un_objectif_puis_son_indicateur_puis_ses_actions_dans_l_ordre(conn: Connection) -> None:
    codes = list(plan.read_arbre(conn)["code"])
    oo2 = codes.index("OO2")
    assert codes[oo2 : oo2 + 5] == ["OO2", "OO2-S.1", "A2", "A2.1", "A2.2"]
    assert codes.index("A9") < codes.index("A10") < codes.index("OO4")
    assert codes.index("OO12") < codes.index("A38.1") < codes.index("MDE-AXE1")


def test_profondeurs_et_parents(conn: Connection) -> None:
    arbre = plan.read_arbre(conn).set_index("code")
    assert arbre.loc["OS1", "profondeur"] == 1 and arbre.loc["OO2", "profondeur"] == 2
    assert arbre.loc["A2", "profondeur"] == 3 and arbre.loc["A2.1", "profondeur"] == 4
    assert arbre.loc["A2.1", "parent"] == "A2" and arbre.loc["OO2-S.1", "parent"] == "OO2"
    # La convention MDE rattache ses indicateurs à l'axe, pas à une stratégie.
    assert arbre.loc["MDE-I2", "parent"] == "MDE-AXE1"
    assert arbre.loc["MDE-1.1", "niveau"] == "strategie"
    assert arbre.loc["A3.1", "nature"] == "jalon" and arbre.loc["SYN-1", "periodicite"] is not None


def test_les_autres_arbres_se_demandent(conn: Connection) -> None:
    arbre = plan.read_arbre(conn, racines=("orientation", "objectif_s3"))
    assert list(arbre["code"]) == [
        "OR1", "OR2", "OR3", "OR4", "OS-S3-1", "OS-S3-2", "OS-S3-3", "OS-S3-4",
    ]  # fmt: skip


def test_le_modele_objectifs_de_tout_le_plan(conn: Connection) -> None:
    """Ce que la page Objectifs montre pour le NORD mi-2019 : bilans par OO, jamais de zéro."""
    arbre = plan.read_arbre(conn)
    lignes = progression.read_progressions(
        conn, indicateurs=None, territoire="NORD", mois="2019-08"
    )
    indicateurs = objectifs.build_indicateurs(arbre, lignes, territoire="NORD", mois="2019-08")
    par_code = indicateurs.set_index("code")
    assert par_code.loc["OO2-S.1", "statut_affiche"] == "▼ en retard"
    assert (par_code.loc["OO2-S.1", "cible"], par_code.loc["OO2-S.1", "periode_cible"]) == (
        "2\u202f208", "2017-2019",
    )  # fmt: skip
    # Annuel vu en août 2019 : jugé sur 2018, sa dernière année close, étiquetée comme telle.
    assert par_code.loc["A23.1", "donnees_au"] == "année 2018"
    assert par_code.loc["A23.1", "periode_cible"] == "2018"
    assert par_code.loc["OO3-S.1", "donnees_au"] == "1er semestre 2019"
    assert par_code.loc["A2.2", "categorie"] == "non décliné"
    bilans = objectifs.build_bilans(arbre, indicateurs).set_index("code")
    assert bilans.loc["OO2", "nb_en_retard"] == 1
    assert bilans.loc["OO2", "nb_non_décliné"] == 7  # A2.2, A3.1, A5.2, A6.1, A6.2, A7.1, A7.2
    assert bilans.loc["OO2", "nb_indicateurs"] == 12 - 7
