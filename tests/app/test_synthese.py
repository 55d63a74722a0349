"""La synthèse, rendue par AppTest sur une base de démonstration SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_access import demo, engine, referentiel

RACINE = Path(__file__).resolve().parents[2]


@pytest.fixture
def base_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    eng = engine.create(url)
    with eng.begin() as conn:
        referentiel.init(conn)
    with eng.begin() as conn:
        demo.load(conn)
    eng.dispose()
    monkeypatch.setenv("PILOTAGE_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.usefixtures("base_demo")
def test_la_synthese_montre_les_deux_cibles_du_retour_a_l_emploi() -> None:
    at = AppTest.from_file(str(RACINE / "dashboard" / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert "Données au décembre 2019" in at.main.caption[0].value
    assert "Données de démonstration" in at.warning[0].value
    tableau = at.dataframe[0].value
    retours = tableau[tableau["Indicateur"].str.startswith("Nombre total de retours à l'emploi")]
    assert sorted(retours["Cible"]) == [
        "10\u202f000 (2017-2019)",
        "11\u202f199 (2017-2019)",
        "3\u202f733 (2019)",
    ]
    assert set(retours["Source de la cible"]) == {
        "002_08888835fc8aebb3.txt §3.1, §7 (OO2)",
        "002_08888835fc8aebb3.txt §4",
    }
