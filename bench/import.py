"""Temps de l'import de 100 000 lignes (contrôle + écriture d'un lot) sur une base SQLite neuve.

Usage : `.venv/bin/python bench/import.py [--lignes N] [--postgresql URL]`.
Objectif (ticket 10) : contrôle + écriture de 100 000 lignes en 10 s au plus sur SQLite. Le
script imprime les temps ; il n'échoue pas sur un temps (les tests ne chronomètrent pas).

Le fichier compte des indicateurs mensuels suivis par canton, sur les 28 territoires (67, les
4 territoires d'action, les 23 cantons) : 100 000 clés distinctes demandent plus de mois qu'il
n'en existe depuis 2017, d'où une date du jour fixée à janvier 2100 (la règle « période dans le
futur » reste appliquée, à cette date). Les périodes 2017-2019 modifient les valeurs de la
démonstration : le chemin « version remplacée » est mesuré aussi.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from bases import base_vide
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from data_access import demo, droits, engine, imports, periodes, schema

OBJECTIF_S = 10.0
AUJOURDHUI = date(2100, 1, 1)
BENCH = droits.administrateur_local("bench")
INDICATEURS = ("FIN-2.1", "A2.1", "A8.1", "A31.1")


def build_fichier(territoires: list[str], lignes: int) -> bytes:
    """Un CSV `;` UTF-8 de `lignes` lignes distinctes, effectifs entiers (espace des milliers)."""
    mois = periodes.entre(periodes.Mois(2017, 1), periodes.Mois(2099, 12),
                          periodes.Periodicite.MENSUELLE)  # fmt: skip
    sortie = ["indicateur;territoire;periode;valeur;statut"]
    n = 0
    for p in mois:
        for ind in INDICATEURS:
            for t in territoires:
                if n == lignes:
                    return ("\n".join(sortie) + "\n").encode("utf-8")
                valeur = f"{n % 9973 + 1:,}".replace(",", " ")  # effectifs : entiers
                sortie.append(f"{ind};{t};{p.code};{valeur};provisoire")
                n += 1
    raise ValueError(f"pas assez de clés distinctes pour {lignes} lignes")


def mesurer(url: str, lignes: int) -> None:
    demo.create_base(url)
    eng = engine.create(url)
    with eng.begin() as conn:
        territoires = [str(c) for c in conn.execute(
            select(schema.territoire.c.code).where(schema.territoire.c.niveau != "commune")
        ).scalars()]  # fmt: skip
    contenu = build_fichier(territoires, lignes)
    print(f"base : {make_url(url).get_backend_name()} ; fichier : {lignes} lignes, "
          f"{len(contenu) / 1e6:.1f} Mo")  # fmt: skip
    debut = time.perf_counter()
    with eng.connect() as conn:
        apercu = imports.prepare_import(conn, nom="bench.csv", contenu=contenu,
                                        aujourdhui=AUJOURDHUI)  # fmt: skip
    apercu_s = time.perf_counter() - debut
    debut = time.perf_counter()
    with eng.begin() as conn:
        resultat = imports.commit_import(conn, nom="bench.csv", contenu=contenu, acteur=BENCH,
                                         attendu=apercu.comptes, aujourdhui=AUJOURDHUI)  # fmt: skip
    commit_s = time.perf_counter() - debut
    debut = time.perf_counter()
    with eng.begin() as conn:
        annulation = imports.rollback_lot(conn, lot=int(resultat.lot or 0), acteur=BENCH)
    annulation_s = time.perf_counter() - debut
    with eng.connect() as conn:
        total = conn.execute(select(func.count()).select_from(schema.valeur)).scalar_one()
    c = resultat.comptes
    print(f"aperçu (lecture + contrôle + comparaison)  : {apercu_s:6.2f} s")
    print(
        f"import confirmé (contrôle + écriture du lot) : {commit_s:6.2f} s  "
        f"objectif ≤ {OBJECTIF_S:.0f} s {'✓' if commit_s <= OBJECTIF_S else '✗'}"
    )
    print(
        f"   lot {resultat.lot} : {c.ajoutees} ajoutées, {c.modifiees} modifiées, "
        f"{c.identiques} identiques ; {total} versions en base"
    )
    print(
        f"annulation du lot                            : {annulation_s:6.2f} s  "
        f"({annulation.retirees} retirées, {annulation.retablies} rétablies)"
    )
    eng.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lignes", type=int, default=100_000)
    parser.add_argument("--postgresql", metavar="URL", default=None,
                        help="mesurer aussi sur PostgreSQL (schéma jetable)")  # fmt: skip
    args = parser.parse_args()
    with base_vide() as url:
        mesurer(url, args.lignes)
    if args.postgresql:
        with base_vide(args.postgresql) as url:
            mesurer(url, args.lignes)


if __name__ == "__main__":
    main()
