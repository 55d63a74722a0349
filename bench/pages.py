"""Temps serveur des pages Synthèse, Objectifs et Territoires, sur une démonstration SQLite neuve.

Usage : `.venv/bin/python bench/pages.py [--repetitions N]`.
Chaque page tourne sous AppTest (le script Streamlit complet : routeur, en-tête, page), et l'on
chronomètre `run()` :
- premier rendu : caches de Streamlit vidés juste avant (lectures en base comprises), comme la
  première visite après un import ou un redémarrage ;
- changement de sélecteur : la personne choisit un autre territoire (données pas encore en
  cache), puis une autre période, puis revient au territoire de départ (données en cache).
Objectifs : ≤ 1,5 s pour le premier rendu d'Objectifs, ≤ 0,5 s pour un changement de
sélecteur. Le temps d'AppTest inclut la construction de l'arbre des éléments côté test : c'est
un majorant du temps du script dans le serveur. Le script imprime médiane et maximum ; il
n'échoue jamais sur un temps (les tests ne chronomètrent pas).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import streamlit as st
from bases import preparer_app, session_ouverte
from streamlit.testing.v1 import AppTest

from dashboard import auth

RACINE = Path(__file__).resolve().parents[1]
APP = str(RACINE / "dashboard" / "app.py")
PAGES = {
    "Synthèse": "synthese",
    "Objectifs": "objectifs",
    "Territoires": "territoires",
    "Tableau de bord": "tableau_de_bord",
}
OBJECTIF_PREMIER_S = {"Objectifs": 1.5}
OBJECTIF_CHANGEMENT_S = 0.5


def connectee() -> AppTest:
    """L'application, session connectée (« pilotage »), sur la page par défaut."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = at.session_state["name"] = "pilotage"
    at.session_state[auth.CLE_SESSION] = session_ouverte("pilotage")
    at.query_params.update(periode="2019-06", territoire="67")
    return at.run()


def chrono(appel: Callable[[], AppTest]) -> float:
    debut = time.perf_counter()
    at = appel()
    duree = time.perf_counter() - debut
    if at.exception:
        raise RuntimeError(f"la page a levé une exception : {at.exception}")
    return duree


def mesurer_page(fichier: str) -> dict[str, float]:
    """Premier rendu à froid, puis trois changements de sélecteur, pour une page."""
    at = connectee()
    st.cache_data.clear()
    temps = {"premier rendu": chrono(lambda: at.switch_page(f"../pages/{fichier}.py").run())}
    territoire, periode = at.selectbox(key="vue_territoire"), "vue_periode"
    temps["autre territoire (NORD)"] = chrono(lambda: territoire.select("NORD").run())
    temps["autre période (2018-12)"] = chrono(
        lambda: at.selectbox(key=periode).select("2018-12").run()
    )
    temps["retour au département (en cache)"] = chrono(
        lambda: at.selectbox(key="vue_territoire").select("67").run()
    )
    return temps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as dossier:
        preparer_app(Path(dossier))
        for fichier in PAGES.values():  # imports et compilation des modules, hors mesure
            mesurer_page(fichier)
        print(f"AppTest, SQLite de démonstration, {args.repetitions} essais par mesure")
        print(f"{'page':<16} {'mesure':<34} {'médiane':>9} {'max':>9}  objectif")
        for nom, fichier in PAGES.items():
            essais = [mesurer_page(fichier) for _ in range(args.repetitions)]
            for mesure in essais[0]:
                valeurs = [e[mesure] for e in essais]
                med, pire = statistics.median(valeurs), max(valeurs)
                objectif = (
                    OBJECTIF_PREMIER_S.get(nom)
                    if mesure == "premier rendu"
                    else OBJECTIF_CHANGEMENT_S
                )
                verdict = (
                    ""
                    if objectif is None
                    else f"{objectif:.1f} s " + ("ok" if pire <= objectif else "TROP LENT")
                )
                print(f"{nom:<16} {mesure:<34} {med * 1000:7.0f}ms {pire * 1000:7.0f}ms  {verdict}")


if __name__ == "__main__":
    main()
