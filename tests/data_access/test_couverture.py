"""Période par défaut et dernière période connue d'un indicateur, sur SQLite et PostgreSQL.

Ce qu'une personne vérifierait (ticket 18, point 7) : importer une ligne d'un trimestre suivant,
ou quelques cantons d'un mois nouveau, ne fait pas ouvrir toutes les pages sur ce mois-là, et la
carte d'un indicateur mensuel à la période par défaut garde ses valeurs. Les attendus sont relus
par du SQL écrit à la main sur la table `valeur`, jamais par le code testé.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Connection, text

from data_access import couverture, engine, imports, lots, referentiel, series
from data_access.droits import administrateur_local

APRES = date(2020, 6, 15)  # « aujourd'hui » des imports : 2020 n'est pas dans le futur
MENSUELS_CANTON = ("FIN-2.1", "A2.1", "A8.1", "A31.1")

# La règle du README, écrite une seconde fois en SQL simple : le dernier mois où chaque
# indicateur mensuel suivi par canton ou territoire (et importé à ces échelles) a une valeur
# dans chaque territoire d'action, directement ou par un de ses cantons.
REGLE_SQL = text("""
    WITH lieux AS (
        SELECT v.indicateur, v.periode,
               CASE WHEN t.niveau = 'canton' THEN t.parent ELSE t.code END AS ta
        FROM valeur v
        JOIN territoire t ON t.code = v.territoire
        JOIN indicateur i ON i.code = v.indicateur
        WHERE v.courante AND v.valeur IS NOT NULL AND i.periodicite = 'mensuelle'
          AND i.echelle IN ('canton', 'territoire')
          AND t.niveau IN ('canton', 'territoire_action')
    ),
    couverts AS (
        SELECT periode, indicateur FROM lieux GROUP BY periode, indicateur
        HAVING COUNT(DISTINCT ta) =
               (SELECT COUNT(*) FROM territoire WHERE niveau = 'territoire_action')
    ),
    complets AS (
        SELECT periode FROM couverts GROUP BY periode
        HAVING COUNT(*) = (SELECT COUNT(DISTINCT indicateur) FROM lieux)
    )
    SELECT MAX(periode) FROM complets
""")


def _regle(conn: Connection) -> str | None:
    return conn.execute(REGLE_SQL).scalar()


def _carte(conn: Connection, indicateur: str, periode: str) -> dict[str, float]:
    """Les valeurs en vigueur des cantons, lues en SQL simple."""
    lignes = conn.execute(
        text(
            "SELECT v.territoire, v.valeur FROM valeur v JOIN territoire t ON t.code = v.territoire"
            " WHERE v.courante AND t.niveau = 'canton' AND v.indicateur = :i AND v.periode = :p"
        ),
        {"i": indicateur, "p": periode},
    ).all()
    return {str(c): float(v) for c, v in lignes}


def _lue(conn: Connection, indicateur: str, periode: str) -> dict[str, float]:
    """Les valeurs que la carte lit (`series.read_par_canton`), cantons renseignés seulement."""
    cadre = series.read_par_canton(conn, indicateur=indicateur, periode=periode)
    cadre = cadre[cadre["valeur"].notna()]
    return dict(zip(cadre["canton"].astype(str), cadre["valeur"].astype(float), strict=True))


def _un_canton_par_territoire(conn: Connection) -> list[str]:
    lignes = conn.execute(
        text("SELECT MIN(code) FROM territoire WHERE niveau = 'canton' GROUP BY parent")
    ).scalars()
    return sorted(str(c) for c in lignes)


def _importer(conn: Connection, lignes: list[str], nom: str = "ajout.csv") -> None:
    contenu = "indicateur;territoire;periode;valeur\n" + "\n".join(lignes) + "\n"
    imports.commit_import(
        conn,
        nom=nom,
        contenu=contenu.encode(),
        acteur=administrateur_local("test"),
        aujourdhui=APRES,
    )


def test_la_demo_s_ouvre_sur_son_dernier_mois_complet(conn: Connection) -> None:
    defaut = couverture.read_periode_par_defaut(conn)
    assert defaut == _regle(conn) == "2019-12"  # la démonstration couvre 2017-01 … 2019-12
    for code in MENSUELS_CANTON:
        assert len(_carte(conn, code, defaut)) == 23  # les 23 cantons sont renseignés


def test_une_ligne_d_un_trimestre_suivant_ne_deplace_pas_la_periode_par_defaut(
    conn: Connection,
) -> None:
    defaut = couverture.read_periode_par_defaut(conn)
    assert defaut is not None
    cartes = {code: _carte(conn, code, defaut) for code in MENSUELS_CANTON}
    _importer(conn, ["OO2-S.1;6705;2020-T1;123"])
    assert lots.read_etendue(conn)[1] == "2020-03"  # l'ancienne règle ouvrait sur mars 2020
    assert couverture.read_periode_par_defaut(conn) == defaut == _regle(conn)
    for code, avant in cartes.items():
        assert _carte(conn, code, defaut) == avant
        assert _lue(conn, code, defaut) == avant


def test_quelques_cantons_d_un_mois_nouveau_ne_deplacent_pas_la_periode_par_defaut(
    conn: Connection,
) -> None:
    """Cinq lignes de mars 2020 d'un indicateur mensuel, un canton dans chaque territoire
    d'action : cet indicateur couvre tous les territoires, pas les trois autres."""
    defaut = couverture.read_periode_par_defaut(conn)
    cantons = _un_canton_par_territoire(conn)
    _importer(conn, [f"FIN-2.1;{c};2020-03;100" for c in [*cantons, "6723"]])
    assert couverture.read_periode_par_defaut(conn) == defaut == _regle(conn)


def test_le_mois_devient_la_periode_par_defaut_quand_tous_les_mensuels_le_couvrent(
    conn: Connection,
) -> None:
    cantons = _un_canton_par_territoire(conn)
    _importer(conn, [f"{i};{c};2020-01;10" for i in MENSUELS_CANTON for c in cantons])
    assert couverture.read_periode_par_defaut(conn) == "2020-01" == _regle(conn)


@pytest.fixture
def base_referentiel(url_vide: str) -> Iterator[Connection]:
    """Une base avec le référentiel et sans aucune valeur, dans une transaction annulée."""
    eng = engine.create(url_vide)
    with eng.begin() as c:
        referentiel.init(c)
    with eng.connect() as connexion:
        transaction = connexion.begin()
        yield connexion
        transaction.rollback()
    eng.dispose()


def test_la_regle_sur_des_valeurs_faites_main(base_referentiel: Connection) -> None:
    conn = base_referentiel
    cantons = _un_canton_par_territoire(conn)
    assert couverture.read_periode_par_defaut(conn) is None  # aucune valeur
    _importer(conn, ["OO2-S.1;6705;2019-T2;12"], "trimestre.csv")
    # Aucun indicateur mensuel : le dernier mois couvert par une valeur.
    assert couverture.read_periode_par_defaut(conn) == "2019-06"
    _importer(conn, [f"FIN-2.1;{c};{m};50" for c in cantons for m in ("2019-01", "2019-02")]
                    + ["FIN-2.1;6705;2019-03;50"], "fin.csv")  # fmt: skip
    # 2019-03 : un seul territoire sur quatre.
    assert couverture.read_periode_par_defaut(conn) == "2019-02" == _regle(conn)
    _importer(conn, [f"A2.1;{c};2019-01;5" for c in cantons], "a2.csv")
    # A2.1 compte désormais : seul janvier a les deux indicateurs partout.
    assert couverture.read_periode_par_defaut(conn) == "2019-01" == _regle(conn)
    _importer(conn, [f"A2.1;{c};2019-02;5" for c in cantons[:-1]], "a2_fevrier.csv")
    assert couverture.read_periode_par_defaut(conn) == "2019-01" == _regle(conn)
    _importer(conn, [f"A2.1;{cantons[-1]};2019-02;5"], "a2_dernier.csv")
    assert couverture.read_periode_par_defaut(conn) == "2019-02" == _regle(conn)


def test_la_derniere_periode_connue_d_un_indicateur(conn: Connection) -> None:
    """La carte remonte à la dernière période où un canton lisible a une valeur."""
    fin = conn.execute(
        text("SELECT MAX(v.fin) FROM valeur v JOIN territoire t ON t.code = v.territoire"
             " WHERE v.courante AND t.niveau = 'canton' AND v.indicateur = 'FIN-2.1'")
    ).scalar()  # fmt: skip
    lue = couverture.read_derniere_periode_cantons(conn, indicateur="FIN-2.1", fin_max="2020-03")
    assert lue == fin == "2019-12"
    trimestre = couverture.read_derniere_periode_cantons(
        conn, indicateur="OO2-S.1", fin_max="2019-11", perimetre="NORD"
    )
    assert trimestre == "2019-T3"  # le 4e trimestre finit en décembre
    assert _carte(conn, "OO2-S.1", trimestre)
    aucune = couverture.read_derniere_periode_cantons(conn, indicateur="FIN-2.1", fin_max="2016-12")
    assert aucune is None
