"""Jeu synthétique à l'échelle de la France, chargé en masse dans PostgreSQL (`COPY`).

Sert à prouver que l'accès aux données tient la charge (issue 11) : environ 2 000 cantons dans
100 départements fictifs de 4 à 6 territoires d'action, 100 indicateurs de nature et de
périodicité mêlées, 120 mois, soit environ 24 millions de valeurs. Tout y est fictif et le dit :
chaque libellé porte « synthétique », le lot aussi, et il est marqué `demonstration`.

Les départements synthétiques sont des racines de l'arbre (niveau `departement`, sans parent),
à côté du Bas-Rhin du référentiel : les lectures qui remontent des cantons aux territoires
d'action puis au département valent pour eux sans autre niveau.

Le chargement écrit tout dans la transaction de l'appelant : référentiel synthétique, lot,
valeurs par `COPY` (jamais ligne à ligne), puis index et clés étrangères de `valeur` recréés
d'un coup, ce qui coûte bien moins que de les tenir à jour pendant 24 millions d'insertions.
PostgreSQL seulement : SQLite n'a pas de chemin d'écriture en masse comparable.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from psycopg import sql
from sqlalchemy import Connection, func, insert, select, text
from sqlalchemy.schema import AddConstraint, DropConstraint

from data_access import lots, periodes, referentiel, schema, sommes
from data_access.lots import Comptes

PLAN = "SYN-ECHELLE"
SOURCE = referentiel.SOURCE_SYNTHETIQUE
NATURES = ("flux", "flux", "stock", "taux", "montant")  # 40 % de flux, 20 % de chaque autre
PERIODICITES = ("mensuelle",) * 17 + ("trimestrielle", "trimestrielle", "annuelle")
UNITES = {"flux": "personnes", "stock": "personnes", "taux": "%", "montant": "€"}
COLONNES_COPY = ("id", "indicateur", "territoire", "periode", "debut", "fin", "valeur",
                 "numerateur", "denominateur", "statut", "lot", "courante")  # fmt: skip


@dataclass(frozen=True)
class Echelle:
    """Taille d'un jeu synthétique ; les fourchettes sont tirées au hasard (graine fixée)."""

    nom: str
    departements: int
    territoires: tuple[int, int]  # territoires d'action par département, bornes incluses
    cantons: tuple[int, int]  # cantons par territoire d'action
    indicateurs: int
    debut: str  # premier mois, AAAA-MM
    mois: int

    @property
    def libelle_lot(self) -> str:
        return f"Données synthétiques (échelle {self.nom})"

    @property
    def fin(self) -> periodes.Mois:
        return periodes.Mois.parse(self.debut).decale(self.mois - 1)


ECHELLES = {"france": Echelle("france", 100, (4, 6), (3, 6), 100, "2016-01", 120)}


@dataclass(frozen=True)
class Rapport:
    """Ce que le chargement a écrit, et en combien de temps (secondes)."""

    lot: int
    valeurs: int
    cantons: int
    indicateurs: int
    duree_copy: float
    duree_index: float
    duree_sommes: float
    duree_totale: float


def build_territoires(echelle: Echelle, rng: np.random.Generator) -> pd.DataFrame:
    """Départements, territoires d'action et cantons synthétiques (populations comprises)."""
    lignes: list[dict[str, Any]] = []
    for d in range(1, echelle.departements + 1):
        dep = _territoire(f"S{d:03d}", f"Département synthétique {d:03d}", "departement", None)
        lignes.append(dep)
        nb_ta = int(rng.integers(echelle.territoires[0], echelle.territoires[1] + 1))
        for t in range(1, nb_ta + 1):
            ta = _territoire(f"{dep['code']}-T{t}", f"Territoire synthétique {d:03d}-{t}",
                             "territoire_action", dep["code"])  # fmt: skip
            n = int(rng.integers(echelle.cantons[0], echelle.cantons[1] + 1))
            pops = rng.integers(8_000, 60_000, size=n)
            lignes.append(ta)
            for c, pop in enumerate(pops, start=1):
                lignes.append(_territoire(f"{ta['code']}-C{c}",
                                          f"Canton synthétique {d:03d}-{t}-{c}", "canton",
                                          ta["code"], int(pop)))  # fmt: skip
                ta["population"] += int(pop)
            dep["population"] += ta["population"]
    return pd.DataFrame(lignes)


def _territoire(
    code: str, libelle: str, niveau: str, parent: str | None, population: int = 0
) -> dict[str, Any]:
    return {"code": code, "libelle": libelle, "niveau": niveau, "parent": parent,
            "population": population, "zone_carte": None, "source": SOURCE,
            "note": "territoire synthétique, sans rapport avec la géographie réelle"}  # fmt: skip


def build_indicateurs(echelle: Echelle, rng: np.random.Generator) -> pd.DataFrame:
    """Indicateurs synthétiques et leurs paramètres de génération (taux annuel, tendance)."""
    lignes = []
    for k in range(1, echelle.indicateurs + 1):
        nature, periodicite = NATURES[k % len(NATURES)], PERIODICITES[k % len(PERIODICITES)]
        lignes.append({
            "code": f"SYN-{k:03d}", "plan": PLAN, "objectif": f"SYN-OS{k % 10 + 1:02d}",
            "action": None, "libelle": f"Indicateur synthétique {k:03d} ({nature}, {periodicite})",
            "niveau": "os", "nature": nature, "unite": UNITES[nature], "periodicite": periodicite,
            "polarite": "baisse" if k % 4 == 0 else "hausse", "prioritaire": k % 10 == 1,
            "echelle": "canton", "definition": "Indicateur synthétique (banc d'échelle).",
            "source": SOURCE, "note": "synthétique", "rang": 1000 + k,
            "intensite": float(rng.uniform(0.002, 0.02)), "part": float(rng.uniform(0.05, 0.6)),
            "croissance": float(rng.uniform(-0.03, 0.05)),
        })  # fmt: skip
    return pd.DataFrame(lignes)


def _plan_objectifs(echelle: Echelle) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    plan = {"code": PLAN, "libelle": f"Plan synthétique (échelle {echelle.nom})",
            "debut": echelle.debut, "fin": str(echelle.fin), "source": SOURCE}  # fmt: skip
    racine = {"code": "SYN-FIN", "plan": PLAN, "parent": None, "niveau": "finalite",
              "libelle": "Finalité synthétique", "rang": 1, "source": SOURCE}  # fmt: skip
    os_ = [
        {**racine, "code": f"SYN-OS{n:02d}", "parent": "SYN-FIN", "niveau": "os", "rang": n,
         "libelle": f"Objectif stratégique synthétique {n:02d}"}
        for n in range(1, 11)
    ]  # fmt: skip
    return plan, [racine, *os_]


def _grille(fiche: Any, echelle: Echelle) -> list[periodes.Periode]:
    debut = periodes.Mois.parse(echelle.debut)
    return periodes.entre(debut, echelle.fin, periodes.Periodicite(fiche.periodicite))


def build_valeurs(
    fiche: Any, cantons: pd.DataFrame, echelle: Echelle, rng: np.random.Generator
) -> pd.DataFrame:
    """Valeurs d'un indicateur pour chaque canton et chaque période (un canton après l'autre).

    Flux et montants : population × intensité annuelle, au prorata de la durée de la période ;
    stocks : population × part ; taux : numérateur et dénominateur, la valeur en découle. Une
    tendance annuelle et un aléa de ±8 % modulent le tout.
    """
    grille = _grille(fiche, echelle)
    origine = periodes.Mois.parse(echelle.debut).rang
    ans = np.array([(p.debut.rang - origine) / 12 for p in grille])
    pop = cantons["population"].to_numpy(dtype="float64")[:, None]
    alea = np.clip(rng.normal(1.0, 0.08, size=(len(pop), len(grille))), 0.0, None)
    niveau = (1 + fiche.croissance) ** ans * alea
    duree = periodes.Periodicite(fiche.periodicite).mois / 12
    numerateur = denominateur = np.full(niveau.shape, np.nan)
    if fiche.nature == "flux":
        valeur = np.round(pop * fiche.intensite * duree * niveau)
    elif fiche.nature == "montant":
        valeur = np.round(pop * fiche.intensite * 1000 * duree * niveau, 2)
    elif fiche.nature == "stock":
        valeur = np.round(pop * fiche.part * 0.1 * niveau)
    else:
        denominateur = np.maximum(1.0, np.round(pop * 0.05)) * np.ones_like(niveau)
        numerateur = np.round(denominateur * np.clip(fiche.part * niveau, 0.0, 1.0))
        valeur = numerateur / denominateur * 100
    n = len(grille)
    return pd.DataFrame({
        "indicateur": fiche.code,
        "territoire": np.repeat(cantons["code"].to_numpy(), n),
        "periode": np.tile([p.code for p in grille], len(pop)),
        "debut": np.tile([str(p.debut) for p in grille], len(pop)),
        "fin": np.tile([str(p.fin) for p in grille], len(pop)),
        "valeur": valeur.ravel(), "numerateur": numerateur.ravel(),
        "denominateur": denominateur.ravel(),
    })  # fmt: skip


def build_cibles(
    indicateurs: pd.DataFrame, territoires: pd.DataFrame, echelle: Echelle
) -> list[dict[str, Any]]:
    """Une cible synthétique par indicateur et département, sur la dernière année entière."""
    annee = echelle.fin.annee if echelle.fin.mois == 12 else echelle.fin.annee - 1
    plage = periodes.parse_plage(str(annee))
    ans = (plage.debut.rang - periodes.Mois.parse(echelle.debut).rang) / 12 + 0.5
    deps = territoires[territoires["niveau"] == "departement"]
    cibles = []
    for fiche in indicateurs.itertuples(index=False):
        effort = 0.97 if fiche.polarite == "baisse" else 1.03
        for dep in deps.itertuples(index=False):
            niveau = (1 + fiche.croissance) ** ans * effort
            valeur = {
                "flux": dep.population * fiche.intensite * niveau,
                "montant": dep.population * fiche.intensite * 1000 * niveau,
                "stock": dep.population * fiche.part * 0.1 * niveau,
            }.get(fiche.nature, min(100.0, fiche.part * 100 * niveau))
            cibles.append({
                "indicateur": fiche.code, "territoire": dep.code, "periode": plage.code,
                "debut": str(plage.debut), "fin": str(plage.fin), "valeur": round(valeur, 2),
                "valeur_reference": None, "unite": fiche.unite, "libelle": "Cible synthétique",
                "source": SOURCE, "derive": False, "lien": "explicite", "nature": "plan",
                "regle": "", "note": "synthétique",
            })  # fmt: skip
    return cibles


def _write_referentiel(
    conn: Connection, echelle: Echelle, terr: pd.DataFrame, ind: pd.DataFrame
) -> None:
    plan, objectifs = _plan_objectifs(echelle)
    conn.execute(insert(schema.plan), [plan])
    conn.execute(insert(schema.objectif), objectifs[:1])
    conn.execute(insert(schema.objectif), objectifs[1:])
    conn.execute(
        insert(schema.indicateur), ind[list(schema.indicateur.c.keys())].to_dict("records")
    )
    for niveau in ("departement", "territoire_action", "canton"):  # parents d'abord
        lignes = terr[terr["niveau"] == niveau].astype(object)
        conn.execute(
            insert(schema.territoire), lignes.where(lignes.notna(), None).to_dict("records")
        )
    conn.execute(insert(schema.cible), build_cibles(ind, terr, echelle))


def _blocs_copy(
    echelle: Echelle,
    terr: pd.DataFrame,
    ind: pd.DataFrame,
    lot: int,
    premier_id: int,
    rng: np.random.Generator,
) -> Iterator[bytes]:
    """Les valeurs en CSV pour `COPY`, un indicateur par bloc ; ids consécutifs.

    Le CSV est écrit par pyarrow (déjà là pour Streamlit et pandas), dix fois plus vite que
    `DataFrame.to_csv` : un champ vide non cité y est NULL, comme le lit `COPY … (FORMAT csv)`.
    """
    prochain = premier_id
    cantons = terr[terr["niveau"] == "canton"]
    for fiche in ind.itertuples(index=False):
        cadre = build_valeurs(fiche, cantons, echelle, rng)
        cadre.insert(0, "id", np.arange(prochain, prochain + len(cadre)))
        prochain += len(cadre)
        cadre = cadre.assign(statut="definitif", lot=lot, courante=True)
        tampon = io.BytesIO()
        pa_csv.write_csv(
            pa.Table.from_pandas(cadre, preserve_index=False), tampon,
            pa_csv.WriteOptions(include_header=False),
        )  # fmt: skip
        yield tampon.getvalue()


def _copy(conn: Connection, blocs: Iterator[bytes]) -> int:
    """`COPY valeur FROM STDIN` sur la connexion psycopg sous-jacente (même transaction)."""
    requete = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        sql.Identifier(schema.valeur.name), sql.SQL(", ").join(map(sql.Identifier, COLONNES_COPY))
    )
    lignes = 0
    brute = conn.connection.driver_connection
    with brute.cursor() as curseur, curseur.copy(requete) as copie:  # type: ignore[union-attr]
        for bloc in blocs:
            copie.write(bloc)
            lignes += bloc.count(b"\n")
    return lignes


def _sans_index(conn: Connection) -> None:
    """Retire index secondaires et clés étrangères de `valeur` (recréés par `_reindexer`)."""
    for fk in schema.valeur.foreign_key_constraints:
        conn.execute(DropConstraint(fk))
    for index in schema.valeur.indexes:
        index.drop(conn)


def _reindexer(conn: Connection) -> None:
    # Mémoire de tri des créations d'index, pour cette transaction seulement (64 Mo par défaut).
    conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
    for index in schema.valeur.indexes:
        index.create(conn)
    for fk in schema.valeur.foreign_key_constraints:
        # Sans `isolate_from_table=False`, SQLAlchemy retirerait la contrainte des CREATE TABLE
        # suivants du même processus (create_all d'une autre base).
        conn.execute(AddConstraint(fk, isolate_from_table=False))
    conn.execute(text("SELECT setval(pg_get_serial_sequence('valeur', 'id'), max(id)) FROM valeur"))
    conn.execute(text("ANALYZE valeur, territoire, indicateur, cible"))


def load(conn: Connection, *, echelle: Echelle, graine: int = 67) -> Rapport:
    """Écrit le jeu synthétique dans la transaction de l'appelant (référentiel du plan déjà là).

    Lève ValueError sur SQLite, ou si le jeu de cette échelle est déjà chargé.
    """
    if conn.dialect.name != "postgresql":
        raise ValueError("le jeu à l'échelle se charge dans PostgreSQL seulement (COPY)")
    if conn.execute(select(schema.plan.c.code).where(schema.plan.c.code == PLAN)).first():
        raise ValueError("le jeu synthétique est déjà chargé dans cette base")
    debut = time.perf_counter()
    rng = np.random.default_rng(graine)
    terr, ind = build_territoires(echelle, rng), build_indicateurs(echelle, rng)
    _write_referentiel(conn, echelle, terr, ind)
    lot = lots.create_lot(conn, libelle=echelle.libelle_lot, type_="demo",
                          auteur="pilotage demo --echelle", demonstration=True)  # fmt: skip
    _sans_index(conn)
    t_copy = time.perf_counter()
    # Le premier id se lit avant COPY : la connexion n'accepte aucune autre requête pendant.
    premier = conn.execute(select(func.coalesce(func.max(schema.valeur.c.id), 0) + 1)).scalar_one()
    n = _copy(conn, _blocs_copy(echelle, terr, ind, lot, int(premier), rng))
    t_index = time.perf_counter()
    _reindexer(conn)
    t_sommes = time.perf_counter()
    sommes.rebuild(conn)
    conn.execute(text("ANALYZE somme_cantons"))
    fin = time.perf_counter()
    lots.close_lot(conn, lot=lot, comptes=Comptes(ajoutees=n))
    lots.write_journal(conn, qui="pilotage demo --echelle", action="demo_echelle",
                       objet=f"lot {lot}", detail=f"échelle {echelle.nom}, graine {graine}, "
                       f"{n} valeurs en {fin - debut:.1f} s")  # fmt: skip
    return Rapport(lot=lot, valeurs=n, cantons=int((terr["niveau"] == "canton").sum()),
                   indicateurs=len(ind), duree_copy=t_index - t_copy,
                   duree_index=t_sommes - t_index, duree_sommes=fin - t_sommes,
                   duree_totale=fin - debut)  # fmt: skip
