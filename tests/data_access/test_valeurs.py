"""Écriture des valeurs : un lot récent remplace sans effacer ; une valeur égale n'écrit rien."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, func, select

from data_access import lots, schema, valeurs


def _lot(conn: Connection, lignes: list[tuple[object, ...]]) -> lots.Comptes:
    cadre = pd.DataFrame(lignes, columns=valeurs.COLONNES_ENTREE)
    lot = lots.create_lot(conn, libelle="essai", type_="indicateurs", auteur="test")
    return valeurs.write_valeurs(conn, lot=lot, lignes=cadre)


def _versions(conn: Connection) -> list[tuple[object, ...]]:
    v = schema.valeur
    return conn.execute(
        select(v.c.valeur, v.c.courante)
        .where(v.c.indicateur == "FIN-2.1", v.c.territoire == "6701", v.c.periode == "2016-06")
        .order_by(v.c.id)
    ).all()


def test_une_revision_garde_l_ancienne_version(conn: Connection) -> None:
    assert _lot(conn, [("FIN-2.1", "6701", "2016-06", 1000, None, None, "provisoire")]) == (
        lots.Comptes(ajoutees=1)
    )
    comptes = _lot(conn, [("FIN-2.1", "6701", "2016-06", 1010, None, None, "definitif")])
    assert comptes == lots.Comptes(modifiees=1)
    assert _versions(conn) == [(1000.0, False), (1010.0, True)]


def test_une_valeur_identique_n_ecrit_rien(conn: Connection) -> None:
    _lot(conn, [("FIN-2.1", "6701", "2016-06", 1000, None, None, "definitif")])
    avant = conn.execute(select(func.count()).select_from(schema.valeur)).scalar_one()
    comptes = _lot(conn, [("FIN-2.1", "6701", "2016-06", 1000.0, None, None, "definitif")])
    assert comptes == lots.Comptes(identiques=1)
    assert conn.execute(select(func.count()).select_from(schema.valeur)).scalar_one() == avant


def test_la_periode_est_rangee_sous_son_code_canonique(conn: Connection) -> None:
    _lot(conn, [("OO2-S.1", "6701", "2016-t4", 12, None, None, "definitif")])
    v = schema.valeur
    ligne = conn.execute(
        select(v.c.periode, v.c.debut, v.c.fin).where(v.c.indicateur == "OO2-S.1", v.c.courante,
                                                      v.c.periode == "2016-T4")
    ).one()  # fmt: skip
    assert tuple(ligne) == ("2016-T4", "2016-10", "2016-12")
