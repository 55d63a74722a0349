"""Temps de construction des exports du tableau de bord (PDF, XLSX, CSV), démonstration neuve.

Usage : `.venv/bin/python bench/pdf.py [--postgresql [URL]] [--repetitions N]`.
Objectif (ticket 9) : le PDF d'un mois en ≤ 10 s (visé : < 2 s). Le contenu du tableau de bord
est lu une fois par mois (temps imprimé à part), puis chaque export est construit N fois à partir
de ce contenu : médiane et maximum. Deux mois : le dernier mois de données et septembre 2018
(un mois avec des événements de démonstration). Le script n'échoue pas sur un temps (les tests
ne chronomètrent pas).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from bases import lancer
from sqlalchemy.engine import make_url

from dashboard.exports import en_pdf, en_xlsx, fichiers
from dashboard.tableau_de_bord import editions
from dashboard.tableau_de_bord.contenu import TableauDeBord
from data_access import annotations, demo, engine, lots

OBJECTIF_S = 10.0
VISE_S = 2.0
MOIS_EVENEMENTS = "2018-09"
EXPORTS: dict[str, Callable[[TableauDeBord], bytes]] = {
    "PDF": en_pdf.to_pdf,
    "XLSX": en_xlsx.to_xlsx,
    "CSV": fichiers.to_csv,
}


def _chrono(appel: Callable[[], object]) -> float:
    debut = time.perf_counter()
    appel()
    return time.perf_counter() - debut


def _mesurer_mois(tableau: TableauDeBord, repetitions: int) -> None:
    for nom, exporter in EXPORTS.items():
        try:
            octets = exporter(tableau)  # échauffement (imports, polices)
        except Exception as exc:  # un export cassé ne doit pas cacher le temps des autres
            print(f"    {nom:<5} ÉCHEC : {type(exc).__name__} : {exc}")
            continue
        temps = [_chrono(lambda f=exporter: f(tableau)) for _ in range(repetitions)]
        med = statistics.median(temps)
        verdict = ""
        if nom == "PDF":
            verdict = "ok" if med <= VISE_S else ("lent" if med <= OBJECTIF_S else "TROP LENT")
        print(f"    {nom:<5} médiane {med * 1000:7.0f} ms   max {max(temps) * 1000:7.0f} ms   "
              f"{len(octets) / 1000:6.0f} Ko   {verdict}")  # fmt: skip


def mesurer(url: str, repetitions: int) -> None:
    debut = time.perf_counter()
    rapport = demo.create_base(url)
    eng = engine.create(url)
    with eng.begin() as conn:
        evenements = annotations.add_annotations_demo(conn)
    print(f"base : {make_url(url).get_backend_name()}, chargement "
          f"{time.perf_counter() - debut:.1f} s ({rapport.valeurs} valeurs, "
          f"{evenements} événements)")  # fmt: skip
    print(f"objectif PDF ≤ {OBJECTIF_S:.0f} s (visé < {VISE_S:.0f} s), {repetitions} essais")
    with eng.connect() as conn:
        dernier, _ = lots.read_etat_donnees(conn)
        assert dernier is not None
        for mois in dict.fromkeys((dernier, MOIS_EVENEMENTS)):
            t0 = time.perf_counter()
            tableau = editions.construire(conn, mois=mois)
            lecture = time.perf_counter() - t0
            print(f"{mois} : contenu lu en {lecture * 1000:.0f} ms ({len(tableau.indicateurs)} "
                  f"indicateurs, {len(tableau.evenements)} événements du mois)")  # fmt: skip
            _mesurer_mois(tableau, repetitions)
    eng.dispose()


def main() -> None:
    lancer(mesurer, __doc__ or "", repetitions=5)


if __name__ == "__main__":
    main()
