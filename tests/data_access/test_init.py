"""`pilotage init` : schéma et référentiel, idempotent, sur SQLite et PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine, select

from data_access import engine, referentiel, schema


def _instantane(eng: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Tout le contenu de la base, trié, pour comparer deux états."""
    with eng.connect() as conn:
        return {
            table.name: sorted(conn.execute(select(table)).all(), key=repr)
            for table in schema.metadata.sorted_tables
            if table.name != "journal"
        }


def test_init_deux_fois_laisse_la_meme_base(url_vide: str) -> None:
    eng = engine.create(url_vide)
    with eng.begin() as conn:
        referentiel.init(conn)
    premier = _instantane(eng)
    with eng.begin() as conn:
        referentiel.init(conn)
    assert _instantane(eng) == premier
    assert len(premier["indicateur"]) >= 53
    assert len([t for t in premier["territoire"] if t.niveau == "canton"]) == 23
    eng.dispose()


def test_une_ligne_retiree_du_referentiel_disparait_de_la_base(url_vide: str) -> None:
    eng = engine.create(url_vide)
    donnees = referentiel.read_all()
    with eng.begin() as conn:
        schema.metadata.create_all(conn)
        referentiel.load(conn, donnees)
    retiree = donnees["ecarts"].pop()
    with eng.begin() as conn:
        referentiel.load(conn, donnees)
        codes = set(conn.execute(select(schema.ecart.c.code)).scalars())
    assert retiree["code"] not in codes
    assert len(codes) == len(donnees["ecarts"])
    eng.dispose()
