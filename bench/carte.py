"""Temps de la carte des cantons sur une base de démonstration SQLite neuve, et poids du HTML.

Usage : `.venv/bin/python bench/carte.py [--repetitions N]`.
Mesure, pour quelques indicateurs et mesures, trois étapes distinctes (médiane de N essais) :
calcul des mesures (lecture des cantons comprise), construction du `folium.Map`, rendu du HTML ;
puis le poids du HTML, dont l'objectif est ≤ 300 Ko (c'est ce que reçoit le navigateur, hors
Leaflet servi à part). Le script n'échoue jamais sur un temps : les tests ne chronomètrent pas.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from bases import base_vide
from sqlalchemy import Connection

from dashboard.carte import config as carte_config
from dashboard.carte import dessin
from dashboard.carte import mesures as mc
from data_access import demo, engine, indicateurs, series, territoires

OBJECTIF_OCTETS = 300_000
CAS = (
    ("OO2-S.1", "2019-T2", mc.Mesure.BRUTE),
    ("OO2-S.1", "2019-T2", mc.Mesure.EVOLUTION),
    ("FIN-2.1", "2019-06", mc.Mesure.POUR_1000),
    ("FIN-1.1", "2019", mc.Mesure.ECART),
    ("A4.1", "2019-S1", mc.Mesure.BRUTE),
)
T = TypeVar("T")


def chronometrer(appel: Callable[[], T], repetitions: int) -> tuple[T, float]:
    """Résultat du dernier appel et médiane des durées, en millisecondes."""
    temps, resultat = [], appel()
    for _ in range(repetitions):
        t0 = time.perf_counter()
        resultat = appel()
        temps.append((time.perf_counter() - t0) * 1000)
    return resultat, statistics.median(temps)


def calculer(conn: Connection, code: str, periode: str, mesure: mc.Mesure) -> mc.Mesures:
    fiche = indicateurs.read_referentiel(conn).set_index("code").loc[code]
    ind = mc.Indicateur(code, fiche["libelle"], fiche["nature"], fiche["unite"])
    precedent = valeur_avant = None
    if mesure is mc.Mesure.EVOLUTION:
        avant = mc.un_an_avant(periode)
        precedent = series.read_par_canton(conn, indicateur=code, periode=avant)
        valeur_avant = series.read_valeur_departement(conn, indicateur=code, periode=avant)
    population = territoires.read_territoires(conn, niveaux=("departement",))["population"]
    departement = mc.Departement(
        series.read_valeur_departement(conn, indicateur=code, periode=periode),
        float(population.iloc[0]),
        valeur_avant,
    )
    return mc.build_mesures(
        series.read_par_canton(conn, indicateur=code, periode=periode),
        indicateur=ind,
        periode=periode,
        mesure=mesure,
        seuil=carte_config.read_config_carte().seuil_secret,
        departement=departement,
        precedent=precedent,
    )


def mesurer_cas(
    conn: Connection, cas: tuple[str, str, mc.Mesure], repetitions: int
) -> tuple[float, float, float, int]:
    """Durées médianes (mesures, carte, HTML) en ms et poids du HTML en octets pour un cas."""
    config = carte_config.read_config_carte()
    m, t_mesures = chronometrer(partial(calculer, conn, *cas), repetitions)
    carte, t_carte = chronometrer(partial(dessin.build_carte, m, config), repetitions)
    page, t_html = chronometrer(partial(dessin.render_html, carte), repetitions)
    return t_mesures, t_carte, t_html, len(page.encode("utf-8"))


def mesurer(url: str, repetitions: int) -> None:
    demo.create_base(url)
    eng = engine.create(url)
    print(f"{'cas':<42} {'mesures':>9} {'carte':>9} {'HTML':>9} {'poids':>9}")
    with eng.connect() as conn:
        for cas in CAS:
            t_mesures, t_carte, t_html, poids = mesurer_cas(conn, cas, repetitions)
            verdict = "ok" if poids <= OBJECTIF_OCTETS else "TROP LOURD"
            nom = " ".join(map(str, cas))
            print(f"{nom:<42} {t_mesures:>7.1f}ms {t_carte:>7.1f}ms {t_html:>7.1f}ms "
                  f"{poids / 1000:>6.0f} Ko  {verdict}")  # fmt: skip
    eng.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repetitions", type=int, default=10)
    args = parser.parse_args()
    with base_vide() as url:
        mesurer(url, args.repetitions)


if __name__ == "__main__":
    main()
