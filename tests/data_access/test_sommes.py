"""Sommes des cantons tenues à l'écriture (`data_access.sommes`), sur SQLite et PostgreSQL.

Ce qu'un utilisateur vérifierait : le total d'un territoire d'action et du département est la
somme des cantons qu'il voit sur la carte, après un import, après son annulation, et après un
changement de rattachement d'un canton. Et la table tenue pas à pas est celle qu'un calcul
complet donnerait.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Connection, delete, select

from data_access import imports, lots, progression, referentiel, schema, series, sommes, valeurs
from data_access.droits import administrateur_local

AUJOURDHUI = date(2024, 1, 15)


def _table(conn: Connection) -> list[tuple[object, ...]]:
    """Toute la table, triée ; nombres arrondis à 1e-6 (l'ordre d'une somme de flottants
    varie d'un plan d'exécution à l'autre sur PostgreSQL)."""
    s = schema.somme_cantons
    return sorted(
        tuple(round(x, 6) if isinstance(x, float) else x for x in r)
        for r in conn.execute(select(s)).all()
    )


def _recalculee(conn: Connection) -> list[tuple[object, ...]]:
    """La table après un calcul complet (dans la transaction du test, annulée à la fin)."""
    sommes.rebuild(conn)
    return _table(conn)


def _somme(conn: Connection, indicateur: str, lieu: str, periode: str) -> tuple[float, int]:
    s = schema.somme_cantons
    ligne = conn.execute(
        select(s.c.somme_valeur, s.c.nb_cantons).where(
            s.c.indicateur == indicateur, s.c.lieu == lieu, s.c.periode == periode
        )
    ).one()
    return float(ligne[0]), int(ligne[1])


def _cantons(conn: Connection, territoire: str) -> list[str]:
    t = schema.territoire
    return list(conn.execute(select(t.c.code).where(t.c.parent == territoire)).scalars())


def _carte(conn: Connection, indicateur: str, periode: str) -> dict[str, float]:
    """Valeurs des cantons, telles que la carte les lit."""
    cadre = series.read_par_canton(conn, indicateur=indicateur, periode=periode)
    return dict(zip(cadre["canton"], cadre["valeur"].astype(float), strict=True))


def _importer(conn: Connection, nom: str, contenu: str) -> int:
    resultat = imports.commit_import(
        conn,
        nom=nom,
        contenu=contenu.encode(),
        acteur=administrateur_local("test"),
        aujourdhui=AUJOURDHUI,
    )
    return int(resultat.lot or 0)


@pytest.mark.parametrize("territoire", ["NORD", "EMS"])
def test_le_total_d_un_territoire_est_la_somme_de_ses_cantons_sur_la_carte(
    conn: Connection, territoire: str
) -> None:
    carte = _carte(conn, "OO2-S.1", "2019-T2")
    cantons = _cantons(conn, territoire)
    assert _somme(conn, "OO2-S.1", territoire, "2019-T2") == (
        sum(carte[c] for c in cantons),
        len(cantons),
    )
    assert _somme(conn, "OO2-S.1", "67", "2019-T2") == (sum(carte.values()), 23)


def test_un_taux_garde_numerateurs_et_denominateurs_sommes(conn: Connection) -> None:
    cadre = series.read_par_canton(conn, indicateur="FIN-1.1", periode="2019")
    nord = cadre[cadre["canton"].isin(_cantons(conn, "NORD"))]
    s = schema.somme_cantons
    num, den = conn.execute(
        select(s.c.somme_numerateur, s.c.somme_denominateur).where(
            s.c.indicateur == "FIN-1.1", s.c.lieu == "NORD", s.c.periode == "2019"
        )
    ).one()
    assert (num, den) == (nord["numerateur"].sum(), nord["denominateur"].sum())


def test_la_table_tenue_a_la_demo_est_celle_d_un_calcul_complet(conn: Connection) -> None:
    tenue = _table(conn)
    assert len(tenue) > 1000
    assert _recalculee(conn) == tenue


def test_un_import_puis_son_annulation_tiennent_les_sommes(conn: Connection) -> None:
    avant = _table(conn)
    ta = conn.execute(
        select(schema.territoire.c.parent).where(schema.territoire.c.code == "6705")
    ).scalar_one()
    ancien = _carte(conn, "OO2-S.1", "2019-T3")["6705"]
    total_ta, total_67 = (_somme(conn, "OO2-S.1", lieu, "2019-T3")[0] for lieu in (ta, "67"))

    lot = _importer(
        conn, "a.csv", "indicateur;territoire;periode;valeur\nOO2-S.1;6705;2019-T3;777\n"
    )
    assert _somme(conn, "OO2-S.1", ta, "2019-T3")[0] == total_ta - ancien + 777
    assert _somme(conn, "OO2-S.1", "67", "2019-T3")[0] == total_67 - ancien + 777
    assert _recalculee(conn) == _table(conn)

    imports.rollback_lot(conn, lot=lot, acteur=administrateur_local("test"))
    assert _table(conn) == avant


def test_un_canton_rattache_ailleurs_change_les_deux_totaux(
    conn: Connection, tmp_path: Path
) -> None:
    dossier = tmp_path / "config"
    shutil.copytree(referentiel.DOSSIER, dossier)
    rattachement = dossier / "cantons_territoires.csv"
    lignes = rattachement.read_text(encoding="utf-8").splitlines()
    lignes = [ligne.replace("6701;NORD;", "6701;OUEST;", 1) for ligne in lignes]
    rattachement.write_text("\n".join(lignes) + "\n", encoding="utf-8")
    valeur_6701 = _carte(conn, "OO2-S.1", "2019-T2")["6701"]
    nord, ouest = (_somme(conn, "OO2-S.1", t, "2019-T2")[0] for t in ("NORD", "OUEST"))
    total = _somme(conn, "OO2-S.1", "67", "2019-T2")

    referentiel.init(conn, dossier)

    assert _somme(conn, "OO2-S.1", "NORD", "2019-T2")[0] == nord - valeur_6701
    assert _somme(conn, "OO2-S.1", "OUEST", "2019-T2")[0] == ouest + valeur_6701
    assert _somme(conn, "OO2-S.1", "67", "2019-T2") == total


def test_une_base_d_avant_les_sommes_les_retrouve_a_l_init(conn: Connection) -> None:
    """Migration : `pilotage init` sur une base qui a des valeurs mais pas encore de sommes."""
    tenue = _table(conn)
    conn.execute(delete(schema.somme_cantons))
    referentiel.init(conn)
    assert _table(conn) == tenue


@pytest.mark.parametrize("territoire", ["NORD", "67"])
def test_une_valeur_saisie_pour_le_territoire_l_emporte_sur_la_somme_tenue(
    conn: Connection, territoire: str
) -> None:
    """La progression lit la somme tenue des cantons, sauf là où le territoire a sa valeur."""
    lot = lots.create_lot(conn, libelle="essai", type_="indicateurs", auteur="test")
    ligne = pd.DataFrame([("OO2-S.1", territoire, "2019-T2", 999, None, None, "provisoire")],
                         columns=valeurs.COLONNES_ENTREE)  # fmt: skip
    valeurs.write_valeurs(conn, lot=lot, lignes=ligne)
    series_ = progression.read_series(conn, indicateurs=["OO2-S.1"], territoire=territoire)
    par_periode = series_.set_index("periode")
    assert par_periode.loc["2019-T2", "valeur"] == 999
    assert par_periode.loc["2019-T1", "valeur"] == _somme(conn, "OO2-S.1", territoire, "2019-T1")[0]
