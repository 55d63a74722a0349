"""Réglages des connexions PostgreSQL : la mémoire de tri de nos agrégations, sans perdre les
options de l'adresse (le schéma de chaque lancement de tests, un search_path de production)."""

from __future__ import annotations

from sqlalchemy import text

from data_access import engine
from tests.bases import URL_PG


def test_une_connexion_postgresql_agrege_en_memoire_et_garde_son_schema() -> None:
    eng = engine.create(f"{URL_PG}?options=-csearch_path%3Dpg_catalog")
    with eng.connect() as conn:
        assert conn.execute(text("SHOW work_mem")).scalar() == engine.WORK_MEM_PG
        assert conn.execute(text("SHOW search_path")).scalar() == "pg_catalog"
    eng.dispose()


def test_un_work_mem_donne_par_l_adresse_l_emporte() -> None:
    eng = engine.create(f"{URL_PG}?options=-cwork_mem%3D8MB")
    with eng.connect() as conn:
        assert conn.execute(text("SHOW work_mem")).scalar() == "8MB"
    eng.dispose()
