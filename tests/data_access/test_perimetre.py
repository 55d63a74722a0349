"""Le périmètre d'un élu est appliqué dans les lectures, pas seulement à l'écran."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection

from data_access import series
from data_access.perimetre import HorsPerimetre


def test_lecture_par_canton_limitee_aux_cantons_du_territoire(conn: Connection) -> None:
    cantons = series.read_par_canton(
        conn, indicateur="FIN-2.1", periode="2019-06", perimetre="NORD"
    )
    assert set(cantons["territoire_action"]) == {"NORD"}
    assert len(cantons) == 5


def test_serie_d_un_autre_territoire_refusee(conn: Connection) -> None:
    with pytest.raises(HorsPerimetre):
        series.read_serie(conn, indicateur="FIN-2.1", territoire="EMS", perimetre="NORD")
    with pytest.raises(HorsPerimetre):
        series.read_serie(conn, indicateur="FIN-2.1", territoire="6717", perimetre="NORD")
    assert not series.read_serie(
        conn, indicateur="FIN-2.1", territoire="67", perimetre="NORD"
    ).empty


def test_par_territoire_le_total_reste_exact(conn: Connection) -> None:
    tous = series.read_par_territoire(conn, indicateur="FIN-2.1", periode="2019-06")
    nord = series.read_par_territoire(
        conn, indicateur="FIN-2.1", periode="2019-06", perimetre="NORD"
    )
    assert list(nord["territoire"]) == ["67", "NORD"]
    total = tous.set_index("territoire").loc["67", "valeur"]
    assert nord.set_index("territoire").loc["67", "valeur"] == total
