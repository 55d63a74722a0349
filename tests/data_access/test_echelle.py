"""Jeu synthétique à l'échelle : le même chemin que `pilotage demo --echelle france`, en tout petit.

PostgreSQL seulement (le chargement passe par COPY) ; SQLite est refusé avec un message clair.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from dashboard import cli
from data_access import echelle, engine, progression, referentiel, schema, series
from tests.bases import schema_pg

PETITE = echelle.Echelle("test", 2, (2, 3), (2, 3), 6, "2023-01", 14)


def _charger(graine: int) -> Iterator[Engine]:
    with schema_pg() as url:
        eng = engine.create(url)
        with eng.begin() as conn:
            schema.metadata.create_all(conn)
            echelle.load(conn, echelle=PETITE, graine=graine)
        yield eng
        eng.dispose()


@pytest.fixture(scope="module")
def base() -> Iterator[Engine]:
    yield from _charger(7)


@pytest.fixture(scope="module")
def jumelle() -> Iterator[Engine]:
    yield from _charger(7)


def _valeurs(eng: Engine) -> list[tuple[object, ...]]:
    v = schema.valeur
    with eng.connect() as conn:
        requete = select(v.c.indicateur, v.c.territoire, v.c.periode, v.c.debut, v.c.fin,
                         v.c.valeur, v.c.numerateur, v.c.denominateur)  # fmt: skip
        return [tuple(r) for r in conn.execute(requete.order_by(v.c.id))]


def test_comptes_du_petit_jeu(base: Engine) -> None:
    t, v = schema.territoire, schema.valeur
    with base.connect() as conn:
        niveaux = dict(conn.execute(select(t.c.niveau, func.count()).group_by(t.c.niveau)).all())
        nb_valeurs = conn.execute(select(func.count()).select_from(v)).scalar_one()
        periodicites = conn.execute(select(schema.indicateur.c.periodicite)).scalars().all()
    assert niveaux["departement"] == 2
    assert 4 <= niveaux["territoire_action"] <= 6
    assert 8 <= niveaux["canton"] <= 18
    # 14 mois dès 2023-01 : 14 mensuelles, 4 trimestres entiers, 1 année entière.
    par_canton = {"mensuelle": 14, "trimestrielle": 4, "annuelle": 1}
    assert nb_valeurs == niveaux["canton"] * sum(par_canton[p] for p in periodicites)


def test_meme_graine_memes_valeurs(base: Engine, jumelle: Engine) -> None:
    assert _valeurs(base) == _valeurs(jumelle)
    with schema_pg() as url:
        autre = engine.create(url)
        with autre.begin() as conn:
            schema.metadata.create_all(conn)
            echelle.load(conn, echelle=PETITE, graine=8)
        assert _valeurs(autre) != _valeurs(base)
        autre.dispose()


def test_tout_est_marque_synthetique(base: Engine) -> None:
    with base.connect() as conn:
        libelles = [
            *conn.execute(select(schema.territoire.c.libelle)).scalars(),
            *conn.execute(select(schema.indicateur.c.libelle)).scalars(),
            *conn.execute(select(schema.plan.c.libelle)).scalars(),
            *conn.execute(select(schema.cible.c.libelle)).scalars(),
        ]
        lot = conn.execute(select(schema.lot_import)).one()
    assert libelles and all("synthétique" in li.lower() for li in libelles)
    assert "synthétiques" in lot.libelle and lot.demonstration


def test_lecture_par_territoire_somme_les_cantons(base: Engine) -> None:
    t, v = schema.territoire, schema.valeur
    with base.connect() as conn:
        attendu = conn.execute(
            select(func.sum(v.c.valeur))
            .select_from(v.join(t, t.c.code == v.c.territoire))
            .where(v.c.indicateur == "SYN-001", v.c.periode == "2023-06",
                   t.c.parent.like("S002-%"))
        ).scalar_one()  # fmt: skip
        cadre = series.read_par_territoire(conn, indicateur="SYN-001", periode="2023-06")
        taux = series.read_par_territoire(conn, indicateur="SYN-003", periode="2023-06")
    valeurs = dict(zip(cadre["territoire"], cadre["valeur"], strict=True))
    assert attendu > 0 and valeurs["S002"] == pytest.approx(attendu)
    # Un taux est recomposé (somme des numérateurs / somme des dénominateurs), jamais sommé.
    ligne = taux[taux["territoire"] == "S001"].iloc[0]
    assert ligne["valeur"] == pytest.approx(ligne["numerateur"] / ligne["denominateur"] * 100)


def test_refuse_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PILOTAGE_DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    with pytest.raises(SystemExit) as sortie:
        cli.main(["demo", "--echelle", "france"])
    assert sortie.value.code == 1
    assert "PostgreSQL seulement" in capsys.readouterr().err


def test_la_progression_d_un_departement_somme_ses_cantons(base: Engine) -> None:
    """Le département lit les sommes tenues au chargement : ce sont celles de ses cantons."""
    t, ta, v = schema.territoire, schema.territoire.alias("ta"), schema.valeur
    with base.connect() as conn:
        attendu = conn.execute(
            select(func.sum(v.c.valeur))
            .select_from(v.join(t, t.c.code == v.c.territoire).join(ta, ta.c.code == t.c.parent))
            .where(v.c.courante, v.c.indicateur == "SYN-001", v.c.periode == "2023-06",
                   ta.c.parent == "S002")
        ).scalar_one()  # fmt: skip
        cadre = progression.read_progressions(
            conn, indicateurs=["SYN-001"], territoire="S002", mois="2023-06"
        )
    ligne = cadre.iloc[0]
    assert attendu > 0 and ligne["derniere_periode"] == "2023-06"
    assert ligne["derniere_valeur"] == pytest.approx(attendu)


def test_pilotage_init_garde_le_jeu_synthetique() -> None:
    """Migration d'une base chargée : le référentiel synthétique n'est pas dans config/, mais
    `pilotage init` ne le retire pas (il échouait sur les valeurs qui le référencent)."""
    with schema_pg() as url:
        eng = engine.create(url)
        with eng.begin() as conn:
            referentiel.init(conn)
            echelle.load(conn, echelle=PETITE, graine=7)
        avant = _valeurs(eng)
        with eng.begin() as conn:
            referentiel.init(conn)
            synthetiques = conn.execute(
                select(func.count()).where(schema.territoire.c.code.like("S00%"))
            ).scalar_one()
        assert synthetiques >= 2 + 4 + 8
        assert _valeurs(eng) == avant
        eng.dispose()
