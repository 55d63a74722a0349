"""Temps des principaux appels d'accès aux données, sur une base de démonstration neuve.

Usage : `.venv/bin/python bench/acces_donnees.py [--postgresql URL] [--repetitions N]`.
Objectif (DEVELOPERS.md) : chaque appel ≤ 50 ms sur la démonstration. Le script imprime la médiane
et le maximum de N répétitions ; il n'échoue pas sur un temps (les tests ne chronomètrent pas).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bases import chronometrer_appels, lancer
from sqlalchemy import Connection
from sqlalchemy.engine import make_url

from data_access import demo, engine, progression, series

OBJECTIF_MS = 50.0


def _appels() -> dict[str, Callable[[Connection], object]]:
    return {
        "read_par_canton(OO2-S.1, 2019-T2)": lambda c: series.read_par_canton(
            c, indicateur="OO2-S.1", periode="2019-T2"
        ),
        "read_par_territoire(FIN-2.1, 2019-06)": lambda c: series.read_par_territoire(
            c, indicateur="FIN-2.1", periode="2019-06"
        ),
        "read_serie(FIN-2.1, 67)": lambda c: series.read_serie(
            c, indicateur="FIN-2.1", territoire="67"
        ),
        "read_serie(OO2-S.1, NORD)": lambda c: series.read_serie(
            c, indicateur="OO2-S.1", territoire="NORD"
        ),
        "read_progression(OO2-S.1, 67, 2019-06)": lambda c: progression.read_progression(
            c, indicateur="OO2-S.1", territoire="67", mois="2019-06"
        ),
    }


def mesurer(url: str, repetitions: int) -> None:
    debut = time.perf_counter()
    rapport = demo.create_base(url)
    eng = engine.create(url)
    print(f"base : {make_url(url).get_backend_name()}, chargement init + demo "
          f"{time.perf_counter() - debut:.1f} s ({rapport.valeurs} valeurs)")  # fmt: skip
    with eng.connect() as conn:
        chronometrer_appels(conn, _appels(), repetitions, OBJECTIF_MS)
    eng.dispose()


def main() -> None:
    lancer(mesurer, __doc__ or "", repetitions=20)


if __name__ == "__main__":
    main()
