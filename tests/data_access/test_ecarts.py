"""Écarts entre documents : lecture de la table `ecart` et rattachement aux indicateurs, sur
SQLite et PostgreSQL. Les attendus sont relus en SQL, sans passer par `data_access.ecarts`."""

from __future__ import annotations

from sqlalchemy import Connection, text

from data_access import ecarts


def test_read_ecarts_rend_toute_la_table(conn: Connection) -> None:
    attendu = conn.execute(
        text("SELECT code, sources, ou, gravite, description FROM ecart ORDER BY code")
    ).all()
    compte = conn.execute(text("SELECT COUNT(*) FROM ecart")).scalar_one()
    lu = ecarts.read_ecarts(conn)
    assert compte == len(attendu) == 28  # les 28 écarts du référentiel (INC-01 … INC-28)
    assert list(lu.itertuples(index=False, name=None)) == [tuple(r) for r in attendu]
    assert list(lu.columns) == list(ecarts.COLONNES_ECARTS)
    assert {str(t) for t in lu.dtypes} == {"string"}


def test_les_citations_du_referentiel_sont_des_liens(conn: Connection) -> None:
    """Un indicateur dont la définition ou la note, ou la note d'une cible, cite un écart."""
    cites = conn.execute(
        text(
            "SELECT e.code, i.code FROM ecart e JOIN indicateur i"
            " ON i.note LIKE '%' || e.code || '%' OR i.definition LIKE '%' || e.code || '%'"
            " UNION SELECT e.code, c.indicateur FROM ecart e JOIN cible c"
            " ON c.note LIKE '%' || e.code || '%'"
        )
    ).all()
    liens = set(ecarts.read_ecarts_indicateurs(conn).itertuples(index=False, name=None))
    assert {("INC-01", "OO2-S.1"), ("INC-05", "A31.1")} <= {tuple(c) for c in cites}
    assert {tuple(c) for c in cites} <= liens


def test_un_ecart_qui_nomme_un_indicateur_le_touche(conn: Connection) -> None:
    liens = ecarts.read_ecarts_indicateurs(conn)
    touches = liens.groupby("ecart")["indicateur"].apply(set).to_dict()
    assert {"A13.1", "A27.2"} <= touches["INC-15"]  # « d'A13 », « A27.2 »
    assert "OO2-S.1" in touches["INC-08"]  # `ou` : « … / OO2, §5.2.14 »
    assert {"A7.1", "A8.1", "A9.1"} <= touches["INC-16"]  # « lignes A6 à A10 »
    # « A6 … sous OS1/OO2 » situe l'action : l'indicateur de suivi d'OO2 n'est pas touché.
    assert touches["INC-18"] == {"A6.1", "A6.2", "A25.1"}
    assert "A2.1" not in set(liens["indicateur"])  # A2 n'est nommé nulle part (A25, A26…)
    connus = set(conn.execute(text("SELECT code FROM indicateur")).scalars())
    assert set(liens["indicateur"]) <= connus
    assert list(liens.columns) == list(ecarts.COLONNES_LIENS)
    assert not liens.duplicated().any()
