"""Jeu de données de démonstration, déterministe, calé sur les ordres de grandeur des documents.

Les valeurs sont écrites exactement comme un import (un lot « Données de démonstration », marqué
`demonstration`), pour que tout le reste de l'application les lise par le même chemin. Règles :
- niveaux départementaux de `config/demo/calibrage.csv`, à défaut la cible annuelle de
  l'indicateur au niveau 67, à défaut un ordre de grandeur par nature ;
- répartition entre territoires d'action selon `config/demo/demo.toml` (objectifs territoriaux du
  §4 quand l'indicateur en a), puis entre cantons au prorata de la population ;
- flux et montants : niveau annuel réparti sur les périodes de l'indicateur ; stocks : niveau à
  une date, avec une tendance annuelle ; taux : numérateur et dénominateur, jamais un taux seul ;
- moyens (ETP et budgets d'accès à l'emploi par territoire d'action et par année) :
  `config/demo/ressources.csv`, au format d'un fichier de ressources, lu et validé par le même
  lecteur qu'un import, écrits dans le même lot de démonstration : la page « Moyens et
  résultats » a ainsi de quoi mettre des ETP en face des retours à l'emploi de chaque territoire.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, cast

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from config.settings import DOSSIER_CONFIG
from data_access import agregation, lots, moyens, periodes, schema, territoires, valeurs
from data_access.fichiers_config import read_csv
from data_access.lots import Comptes

DOSSIER = DOSSIER_CONFIG / "demo"
LIBELLE_LOT = "Données de démonstration"
_DEFAUTS = {"flux": 400.0, "montant": 100_000.0, "stock": 300.0, "taux": 50.0}


@dataclass(frozen=True)
class Rapport:
    """Ce que `pilotage demo` a chargé."""

    lot: int
    valeurs: int
    indicateurs: int
    debut: str
    fin: str


@dataclass(frozen=True)
class Calibrage:
    """Niveau départemental d'un indicateur (par an pour un flux, à une date pour un stock)."""

    niveau: float
    variation_annuelle: float
    denominateur: float | None


class Parametres(TypedDict):
    """Les tables de `config/demo/demo.toml`, chacune une table de valeurs d'un seul type."""

    periode: dict[str, str]  # debut, fin : AAAA-MM
    bruit: dict[str, float]  # par nature d'indicateur
    performance: dict[str, float]  # par territoire d'action
    repartition: dict[str, float]  # par territoire d'action


def _read_parametres(dossier: Path) -> Parametres:
    # Fichier du dépôt, pas une saisie : on le prend pour ce qu'il annonce, sans le valider.
    with (dossier / "demo.toml").open("rb") as f:
        return cast(Parametres, tomllib.load(f))


def _read_calibrage(dossier: Path) -> dict[str, Calibrage]:
    colonnes = ("indicateur", "niveau", "variation_annuelle", "denominateur", "note")
    return {
        li.texte("indicateur"): Calibrage(
            niveau=li.nombre("niveau") or 0.0,
            variation_annuelle=li.nombre("variation_annuelle") or 0.0,
            denominateur=li.nombre("denominateur"),
        )
        for li in read_csv(dossier / "calibrage.csv", colonnes)
    }


def _cibles_annuelles(conn: Connection) -> pd.DataFrame:
    """Cibles ramenées à l'année (une cible 2017-2019 compte pour un tiers par an)."""
    c = schema.cible
    cibles = pd.DataFrame(
        conn.execute(select(c.c.indicateur, c.c.territoire, c.c.periode, c.c.valeur)).all(),
        columns=["indicateur", "territoire", "periode", "valeur"],
    )
    if cibles.empty:
        return cibles
    annees = cibles["periode"].map(lambda p: periodes.parse_plage(p).nb_mois / 12)
    cibles["par_an"] = cibles["valeur"] / annees
    return cibles


def _poids_territoires(
    indicateur: str, cibles: pd.DataFrame, repartition: dict[str, float]
) -> dict[str, float]:
    """Poids des territoires d'action : leurs cibles du §4 s'ils en ont, sinon la répartition."""
    propres = cibles[(cibles["indicateur"] == indicateur) & (cibles["territoire"] != "67")]
    par_ta = propres.groupby("territoire")["par_an"].max()
    source = par_ta.to_dict() if set(par_ta.index) >= set(repartition) else repartition
    total = sum(source[t] for t in repartition)
    return {t: float(source[t]) / total for t in repartition}


def _niveau(fiche: pd.Series, calibrage: dict[str, Calibrage], cibles: pd.DataFrame) -> Calibrage:
    code = fiche["code"]
    if code in calibrage:
        return calibrage[code]
    du_67 = cibles[(cibles["indicateur"] == code) & (cibles["territoire"] == "67")]
    if not du_67.empty and fiche["nature"] in {"flux", "montant"}:
        return Calibrage(float(du_67["par_an"].min()), 0.0, None)
    if not du_67.empty:
        return Calibrage(float(du_67["valeur"].iloc[0]), 0.0, None)
    return Calibrage(_DEFAUTS[fiche["nature"]], 0.0, None)


def _lieux(fiche: pd.Series, terr: pd.DataFrame, poids_ta: dict[str, float]) -> dict[str, float]:
    """Où l'indicateur a des valeurs, avec la part du niveau départemental de chaque lieu."""
    if fiche["echelle"] == "departement":
        return {territoires.DEPARTEMENT: 1.0}
    if fiche["echelle"] == "territoire":
        return dict(poids_ta)
    cantons = terr[terr["niveau"] == "canton"].copy()
    cantons["pop_ta"] = cantons.groupby("parent")["population"].transform("sum")
    parts = cantons["population"] / cantons["pop_ta"] * cantons["parent"].map(poids_ta)
    return dict(zip(cantons["code"], parts.astype(float), strict=True))


def _serie(
    fiche: pd.Series,
    cal: Calibrage,
    lieux: dict[str, float],
    ta_de: dict[str, str],
    params: Parametres,
    rng: np.random.Generator,
) -> list[dict[str, object]]:
    """Valeurs d'un indicateur pour chaque lieu et chaque période de la démonstration."""
    nature, periodicite = fiche["nature"], periodes.Periodicite(fiche["periodicite"])
    debut = periodes.Mois.parse(str(params["periode"]["debut"]))
    fin = periodes.Mois.parse(str(params["periode"]["fin"]))
    bruit = float(params["bruit"][nature])
    performance = params["performance"]
    lignes: list[dict[str, object]] = []
    for periode in periodes.entre(debut, fin, periodicite):
        tendance = (1 + cal.variation_annuelle) ** ((periode.debut.rang - debut.rang) / 12)
        for lieu, part in lieux.items():
            perf = (
                performance.get(ta_de.get(lieu, lieu), 1.0)
                if fiche["polarite"] == "hausse"
                else 1.0
            )
            modulation = perf * tendance * max(0.0, rng.normal(1.0, bruit))
            lignes.append(_valeur(fiche, cal, periode, lieu, part, modulation))
    return lignes


def _valeur(
    fiche: pd.Series,
    cal: Calibrage,
    periode: periodes.Periode,
    lieu: str,
    part: float,
    modulation: float,
) -> dict[str, object]:
    """Une valeur : `part` du niveau départemental, modulée (performance, tendance, aléa)."""
    ligne: dict[str, object] = {
        "indicateur": fiche["code"], "territoire": lieu, "periode": periode.code,
        "statut": "definitif", "numerateur": None, "denominateur": None,
    }  # fmt: skip
    nature = fiche["nature"]
    if nature == "flux":
        ligne["valeur"] = float(
            round(cal.niveau * periode.periodicite.mois / 12 * part * modulation)
        )
    elif nature == "montant":
        ligne["valeur"] = round(cal.niveau * periode.periodicite.mois / 12 * part * modulation, 2)
    elif nature == "stock":
        ligne["valeur"] = float(round(cal.niveau * part * modulation))
    else:  # taux : numérateur et dénominateur, la valeur en découle
        facteur = agregation.facteur_taux(str(fiche["unite"]))
        denominateur = float(max(1, round((cal.denominateur or 1000.0) * part)))
        taux = cal.niveau * modulation / facteur
        if facteur > 1:
            taux = min(taux, 1.0)
        numerateur = float(round(denominateur * taux))
        ligne.update(
            numerateur=numerateur, denominateur=denominateur,
            valeur=numerateur / denominateur * facteur,
        )  # fmt: skip
    return ligne


def build(conn: Connection, *, graine: int = 67, dossier: Path = DOSSIER) -> pd.DataFrame:
    """Toutes les valeurs de démonstration (sans les écrire), pour chaque indicateur périodique."""
    params = _read_parametres(dossier)
    calibrage = _read_calibrage(dossier)
    cibles = _cibles_annuelles(conn)
    terr = territoires.read_territoires(conn)
    ta_de = dict(zip(terr["code"], terr["parent"], strict=True))
    repartition = {k: float(v) for k, v in params["repartition"].items()}
    i = schema.indicateur
    fiches = pd.DataFrame(
        conn.execute(
            select(i.c.code, i.c.nature, i.c.unite, i.c.periodicite, i.c.polarite, i.c.echelle)
            .where(i.c.periodicite.is_not(None), i.c.nature != "jalon")
            .order_by(i.c.rang)
        ).mappings().all()
    )  # fmt: skip
    rng = np.random.default_rng(graine)
    lignes: list[dict[str, object]] = []
    for _, fiche in fiches.iterrows():
        cal = _niveau(fiche, calibrage, cibles)
        lieux = _lieux(fiche, terr, _poids_territoires(fiche["code"], cibles, repartition))
        lignes.extend(_serie(fiche, cal, lieux, ta_de, params, rng))
    return pd.DataFrame(lignes, columns=valeurs.COLONNES_ENTREE)


def load(conn: Connection, *, graine: int = 67, dossier: Path = DOSSIER) -> Rapport:
    """Écrit la démonstration comme un import, dans un lot « Données de démonstration »."""
    params = _read_parametres(dossier)
    cadre = build(conn, graine=graine, dossier=dossier)
    lot = lots.create_lot(
        conn, libelle=LIBELLE_LOT, type_="demo", auteur="pilotage demo", demonstration=True
    )
    comptes = valeurs.write_valeurs(conn, lot=lot, lignes=cadre)
    moyens_ = load_moyens(conn, lot=lot, dossier=dossier)
    lots.close_lot(conn, lot=lot, comptes=Comptes(
        comptes.ajoutees + moyens_.ajoutees, comptes.modifiees + moyens_.modifiees,
        comptes.identiques + moyens_.identiques))  # fmt: skip
    lots.write_journal(conn, qui="pilotage demo", action="demo", objet=f"lot {lot}",
                       detail=f"graine {graine}")  # fmt: skip
    return Rapport(
        lot=lot,
        valeurs=len(cadre),
        indicateurs=int(cadre["indicateur"].nunique()),
        debut=str(params["periode"]["debut"]),
        fin=str(params["periode"]["fin"]),
    )


def load_moyens(conn: Connection, *, lot: int, dossier: Path = DOSSIER) -> Comptes:
    """Écrit les moyens de démonstration (`ressources.csv`) dans le lot de démonstration `lot`.

    Le fichier passe par le lecteur des imports de ressources : un fichier de démonstration
    invalide est une erreur du dépôt, signalée avec sa ligne et sa colonne."""
    lignes, erreurs = moyens.read_fichier_ressources(dossier / "ressources.csv", conn=conn)
    if erreurs:
        raise ValueError("; ".join(str(e) for e in erreurs))
    return moyens.write_ressources(conn, lot=lot, lignes=lignes)


def create_base(url: str, *, graine: int = 67) -> Rapport:
    """Une base prête à montrer : schéma, référentiel et démonstration (tests et bancs)."""
    from data_access import engine, referentiel  # import local : engine n'est utile qu'ici

    eng = engine.create(url)
    try:
        with eng.begin() as conn:
            referentiel.init(conn)
        with eng.begin() as conn:
            return load(conn, graine=graine)
    finally:
        eng.dispose()
