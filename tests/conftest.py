"""Fixtures communes : bases vides et bases de démonstration, sur SQLite et PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Playwright, sync_playwright
from sqlalchemy import Connection, Engine

from data_access import demo, engine, referentiel
from tests.bases import BACKENDS, base_vide


@pytest.fixture(params=BACKENDS)
def url_vide(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """URL d'une base vide, une par test, sur chacune des deux bases."""
    with base_vide(request.param, tmp_path_factory.mktemp("base")) as url:
        yield url


@pytest.fixture(scope="session", params=BACKENDS)
def engine_demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """Base avec référentiel et démonstration, chargée une fois par session et par type de base."""
    with base_vide(request.param, tmp_path_factory.mktemp("demo")) as url:
        eng = engine.create(url)
        with eng.begin() as conn:
            referentiel.init(conn)
        with eng.begin() as conn:
            demo.load(conn)
        yield eng
        eng.dispose()


@pytest.fixture
def conn(engine_demo: Engine) -> Iterator[Connection]:
    """Connexion à la base de démonstration dans une transaction annulée à la fin du test."""
    with engine_demo.connect() as connexion:
        transaction = connexion.begin()
        try:
            yield connexion
        finally:
            transaction.rollback()


@pytest.fixture(scope="session")
def pilote_playwright() -> Iterator[Playwright]:
    """Un seul Playwright synchrone pour toute la session : un second `sync_playwright` ouvert
    dans le même fil pendant que le premier vit échoue (« Sync API inside the asyncio loop »).
    Les tests de bout en bout et ceux de la mise en production y lancent leurs navigateurs."""
    with sync_playwright() as p:
        yield p
