"""Temps serveur de la page « Carte des cantons » : premier affichage et changement de sélecteur.

Usage : `.venv/bin/python bench/page_carte.py [--repetitions N]`. Objectif : un changement de
sélecteur ≤ 0,5 s côté serveur (exécution du script, mesurée avec AppTest sur une base de
démonstration neuve) ; taille de la carte envoyée au navigateur ≤ 300 Ko.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bases import preparer_app, session_ouverte
from streamlit.testing.v1 import AppTest

from dashboard import auth

RACINE = Path(__file__).resolve().parents[1]
OBJECTIF_S = 0.5


def _chrono(at: AppTest) -> float:
    debut = time.perf_counter()
    at.run()
    return time.perf_counter() - debut


def mesurer(repetitions: int) -> None:
    at = AppTest.from_file(str(RACINE / "dashboard" / "app.py"), default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin"
    at.session_state[auth.CLE_SESSION] = session_ouverte("admin")
    at.query_params.update(indicateur="OO2-S.1", periode="2019-06")
    at.run()
    at.switch_page("../pages/carte.py")
    print(f"premier affichage de la carte : {_chrono(at):.2f} s")
    changements = []
    for i in range(repetitions):
        code = ("FIN-2.1", "OO2-S.1", "A8.1")[i % 3]
        at.selectbox(key="vue_indicateur").set_value(code)
        changements.append(_chrono(at))
    mediane = statistics.median(changements)
    verdict = "ok" if mediane <= OBJECTIF_S else "TROP LENT"
    print(f"changement d'indicateur : médiane {mediane:.2f} s, max {max(changements):.2f} s "
          f"(objectif {OBJECTIF_S} s) {verdict}")  # fmt: skip
    carte = at.get("component_instance")
    taille = max((len(c.proto.json_args) for c in carte), default=0)
    print(f"taille des données de la carte : {taille / 1024:.0f} Ko (objectif ≤ 300 Ko)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repetitions", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as dossier:
        preparer_app(Path(dossier))
        mesurer(args.repetitions)


if __name__ == "__main__":
    main()
