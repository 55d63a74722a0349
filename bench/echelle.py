"""Banc à l'échelle de la France : chargement de ~24 M valeurs, appels d'accès, premiers rendus.

Usage : `.venv/bin/python bench/echelle.py [--url URL] [--recharger] [--repetitions N]
[--sans-pages]`.
La base est dédiée (`pilotage_echelle` par défaut, créée si elle manque) et survit d'un lancement
à l'autre : le jeu synthétique n'est chargé (`pilotage demo --echelle france`, même code) que s'il
n'y est pas, ou avec `--recharger` (base détruite puis recréée). Les tests n'y touchent jamais.
Objectifs (issue 11) : chargement ≤ 10 min, chaque appel ≤ 200 ms (médiane), premier rendu de
chaque page ≤ 2 s côté serveur (AppTest, caches vidés). Le script imprime ses mesures ; il
n'échoue jamais sur un temps.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import streamlit as st
import streamlit.logger
from bases import chronometrer_appels, session_ouverte
from sqlalchemy import Connection, Engine, create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from dashboard import auth, utilisateurs
from data_access import droits, echelle, engine, plan, progression, referentiel, schema, series

URL = "postgresql+psycopg://postgres@127.0.0.1:5432/pilotage_echelle"
APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
PAGES = ("synthese", "carte", "objectifs", "territoires", "moyens_resultats", "tableau_de_bord")
VUE = {"periode": "2025-06", "territoire": "S001", "indicateur": "SYN-001"}
OBJECTIF_APPEL_MS, OBJECTIF_PAGE_S, OBJECTIF_CHARGEMENT_S = 200.0, 2.0, 600.0


def preparer_base(url: str, recharger: bool) -> None:
    """Crée la base si elle manque (la recrée avec `recharger`), y charge le jeu s'il manque."""
    cible = make_url(url)
    admin = create_engine(cible.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        existe = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": cible.database}
        ).first()
        nom = conn.dialect.identifier_preparer.quote(str(cible.database))
        if existe and recharger:
            conn.execute(text(f"DROP DATABASE {nom} WITH (FORCE)"))  # nom cité, pas de valeur
        if not existe or recharger:
            conn.execute(text(f"CREATE DATABASE {nom}"))
    admin.dispose()
    eng = engine.create(url)
    if not _deja_charge(eng):
        with eng.begin() as conn:
            referentiel.init(conn)
        with eng.begin() as conn:
            r = echelle.load(conn, echelle=echelle.ECHELLES["france"])
        print(f"chargement : {r.valeurs} valeurs en {r.duree_totale:.0f} s (COPY "
              f"{r.duree_copy:.0f} s, {r.valeurs / r.duree_copy:,.0f} lignes/s ; index et clés "
              f"{r.duree_index:.0f} s ; sommes des cantons {r.duree_sommes:.0f} s) — "
              f"objectif {OBJECTIF_CHARGEMENT_S:.0f} s")  # fmt: skip
    else:
        _rappel_chargement(eng)
        # Migration comme en production (`pilotage init`) : tables, index et sommes des cantons
        # ajoutés au schéma depuis le chargement.
        debut = time.perf_counter()
        with eng.begin() as conn:
            referentiel.init(conn)
            for index in schema.valeur.indexes:
                index.create(conn, checkfirst=True)
            conn.execute(text("ANALYZE somme_cantons"))
        print(f"pilotage init (migration) : {time.perf_counter() - debut:.1f} s")
    eng.dispose()


def _deja_charge(eng: Engine) -> bool:
    if not inspect(eng).has_table("plan"):
        return False
    with eng.connect() as conn:
        p = schema.plan
        return conn.execute(select(p.c.code).where(p.c.code == echelle.PLAN)).first() is not None


def _rappel_chargement(eng: Engine) -> None:
    j = schema.journal
    with eng.connect() as conn:
        detail = conn.execute(
            select(j.c.detail).where(j.c.action == "demo_echelle").order_by(j.c.id.desc())
        ).scalar()
    print(f"jeu déjà chargé (--recharger pour le refaire) ; dernier chargement : {detail}")


def appels() -> dict[str, Callable[[Connection], object]]:
    """Les appels principaux des pages, sur un département synthétique et son premier territoire."""
    ta = "S001-T1"
    return {
        "read_par_canton(SYN-001, 2025-06)": lambda c: series.read_par_canton(
            c, indicateur="SYN-001", periode="2025-06"),
        "read_par_territoire(SYN-001, 2025-06)": lambda c: series.read_par_territoire(
            c, indicateur="SYN-001", periode="2025-06"),
        "read_par_territoire(SYN-003 taux, 2025-06)": lambda c: series.read_par_territoire(
            c, indicateur="SYN-003", periode="2025-06"),
        "read_serie(SYN-001, S001)": lambda c: series.read_serie(
            c, indicateur="SYN-001", territoire="S001"),
        "read_serie(SYN-002, S001-T1)": lambda c: series.read_serie(
            c, indicateur="SYN-002", territoire=ta),
        "read_cantons_toutes_periodes(SYN-001)": lambda c: series.read_cantons_toutes_periodes(
            c, indicateur="SYN-001", perimetre=ta),
        "read_progressions(tous, S001, 2025-06)": lambda c: progression.read_progressions(
            c, indicateurs=None, territoire="S001", mois="2025-06"),
        "read_progressions(tous, S001-T1, 2025-06)": lambda c: progression.read_progressions(
            c, indicateurs=None, territoire=ta, mois="2025-06"),
        "read_progressions_territoires(10, S001+TA)": lambda c: (
            progression.read_progressions_territoires(
                c, indicateurs=[f"SYN-{k:03d}" for k in range(1, 11)],
                territoires=["S001", *(f"S001-T{t}" for t in range(1, 5))], mois="2025-06")),
        "read_contributions_cantons(SYN-001, S001)": lambda c: (
            progression.read_contributions_cantons(
                c, indicateur="SYN-001", territoire="S001", periode_cible="2025",
                mois="2025-06")),
        "plan.read_arbre()": lambda c: plan.read_arbre(c),
    }  # fmt: skip


def mesurer_appels(url: str, repetitions: int) -> None:
    eng = engine.create(url)
    with eng.connect() as conn:
        chronometrer_appels(conn, appels(), repetitions, OBJECTIF_APPEL_MS)
    eng.dispose()


def premier_rendu(page: str) -> float:
    """Premier rendu d'une page, caches de Streamlit vidés, session « pilotage » connectée."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = at.session_state["name"] = "pilotage"
    at.session_state[auth.CLE_SESSION] = session_ouverte("pilotage")
    at.query_params.update(VUE)
    at.run()
    st.cache_data.clear()
    debut = time.perf_counter()
    at.switch_page(f"../pages/{page}.py").run()
    duree = time.perf_counter() - debut
    if at.exception:
        raise RuntimeError(f"{page} : exception {at.exception[0].message}")
    return duree


def mesurer_pages(url: str, repetitions: int) -> None:
    # `st.cache_data.clear()` hors d'un serveur avertit à chaque appel : bruit, pas une mesure.
    streamlit.logger.set_log_level("error")
    with tempfile.TemporaryDirectory() as dossier:
        utilisateurs.add_comptes_demo(
            Path(dossier) / "utilisateurs.yaml", acteur=droits.administrateur_local("bench")
        )
        os.environ.update(PILOTAGE_DATA_DIR=dossier, PILOTAGE_DATABASE_URL=url, PILOTAGE_DEMO="1")
        os.environ.pop("PILOTAGE_USERS_FILE", None)
        print(f"{'page (premier rendu, AppTest)':<46} {'médiane':>9} {'max':>9}  "
              f"objectif {OBJECTIF_PAGE_S:.0f} s")  # fmt: skip
        for page in PAGES:
            try:
                premier_rendu(page)  # imports et compilation, hors mesure
                temps = [premier_rendu(page) for _ in range(repetitions)]
            except RuntimeError as exc:
                print(f"{page:<46} ERREUR {exc}")
                continue
            med = statistics.median(temps)
            verdict = "ok" if med <= OBJECTIF_PAGE_S else "TROP LENT"
            print(f"{page:<46} {med * 1000:>7.0f}ms {max(temps) * 1000:>7.0f}ms  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=URL, help="base PostgreSQL dédiée")
    parser.add_argument("--recharger", action="store_true", help="recrée la base et recharge")
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--sans-pages", action="store_true", help="appels seulement")
    args = parser.parse_args()
    preparer_base(args.url, args.recharger)
    mesurer_appels(args.url, args.repetitions)
    if not args.sans_pages:
        mesurer_pages(args.url, max(1, args.repetitions // 2))


if __name__ == "__main__":
    main()
