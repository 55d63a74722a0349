"""Temps serveur du modèle de la page Objectifs (tous les indicateurs), sur une démonstration neuve.

Usage : `.venv/bin/python bench/objectifs.py [--postgresql [URL]] [--repetitions N]`.
Objectif : premier rendu ≤ 1,5 s côté serveur (idéalement ≤ 0,5 s) pour les ~70 indicateurs :
arbre du plan, progressions de tous les indicateurs (lecture groupée), modèle d'arbre et bilans
par OO et OS. Le script imprime le premier appel (à froid, dans un processus neuf), la médiane et
le maximum des répétitions, et le détail par étape ; il n'échoue pas sur un temps (les tests ne
chronomètrent pas).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from bases import lancer
from sqlalchemy import Connection
from sqlalchemy.engine import make_url

from dashboard.modeles import objectifs
from data_access import demo, engine, lots, plan, progression

OBJECTIF_S = 1.5
IDEAL_S = 0.5
TERRITOIRES = ("67", "NORD")


def modele(conn: Connection, territoire: str, mois: str) -> list[objectifs.Noeud]:
    """Ce que la page calcule avant de dessiner : arbre, progressions, nœuds et bilans."""
    arbre = plan.read_arbre(conn)
    lignes = progression.read_progressions(conn, indicateurs=None, territoire=territoire, mois=mois)
    return objectifs.build_arbre(arbre, lignes, territoire=territoire, mois=mois)


def _chrono(appel: Callable[[], object]) -> float:
    debut = time.perf_counter()
    appel()
    return time.perf_counter() - debut


def _etapes(conn: Connection, territoire: str, mois: str) -> dict[str, float]:
    """Durée de chaque étape, pour savoir où part le temps."""
    debut = time.perf_counter()
    arbre = plan.read_arbre(conn)
    t_arbre = time.perf_counter()
    lignes = progression.read_progressions(conn, indicateurs=None, territoire=territoire, mois=mois)
    t_lecture = time.perf_counter()
    objectifs.build_arbre(arbre, lignes, territoire=territoire, mois=mois)
    fin = time.perf_counter()
    return {
        "read_arbre": t_arbre - debut,
        "read_progressions": t_lecture - t_arbre,
        "build_arbre (indicateurs + bilans)": fin - t_lecture,
    }


def mesurer(url: str, repetitions: int) -> None:
    rapport = demo.create_base(url)
    eng = engine.create(url)
    with eng.connect() as conn:
        mois, _ = lots.read_etat_donnees(conn)
        assert mois is not None
        nb = len(plan.read_arbre(conn).query("type == 'indicateur'"))
        print(f"base : {make_url(url).get_backend_name()}, {rapport.valeurs} valeurs, "
              f"{nb} indicateurs, date {mois}")  # fmt: skip
        print(f"objectif {OBJECTIF_S:.1f} s (idéal {IDEAL_S:.1f} s)")
        for territoire in TERRITOIRES:
            froid = _chrono(lambda t=territoire: modele(conn, t, mois))
            temps = [
                _chrono(lambda t=territoire: modele(conn, t, mois)) for _ in range(repetitions)
            ]
            med = statistics.median(temps)
            verdict = "ok" if max(froid, med) <= OBJECTIF_S else "TROP LENT"
            print(
                f"Objectifs {territoire:<5} premier {froid * 1000:6.0f} ms   médiane "
                f"{med * 1000:6.0f} ms   max {max(temps) * 1000:6.0f} ms   {verdict}"
            )
            for nom, duree in _etapes(conn, territoire, mois).items():
                print(f"    {nom:<40} {duree * 1000:6.0f} ms")
    eng.dispose()


def main() -> None:
    lancer(mesurer, __doc__ or "", repetitions=10)


if __name__ == "__main__":
    main()
