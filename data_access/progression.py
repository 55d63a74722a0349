"""Progression des indicateurs vers leurs cibles, pour un territoire et une date.

La page Objectifs montre environ 70 indicateurs : tout est lu en quelques requêtes (fiches,
territoires, cibles, sommes des cantons par territoire d'action et département tenues à
l'écriture par `sommes`, valeurs saisies directement), puis évalué en mémoire par
`trajectoire`. Une lecture d'un seul
indicateur passe par le même chemin, pour que les deux donnent toujours les mêmes chiffres.

Valeur d'un territoire à une période : la valeur saisie pour lui l'emporte ; sinon l'agrégat de
ses territoires d'action (le département), lui-même valeur saisie ou agrégat de ses cantons.
C'est ce qui donne au département les indicateurs suivis par territoire d'action (A23.1 : offres
des conseillers départementaux), que l'agrégat des seuls cantons laisserait vides.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, and_, or_, select

from config.settings import Seuils, read_seuils
from data_access import (
    agregation,
    natures_cibles,
    periodes,
    schema,
    series,
    territoires,
    trajectoire,
)
from data_access.cadres import en_cadre, lire, nombre
from data_access.perimetre import autorises
from data_access.perimetre import verifier as verifier_perimetre

COLONNES_PROGRESSION = {
    "indicateur": "string",
    "territoire": "string",
    "periode_cible": "string",
    "libelle_cible": "string",
    "cible": "float64",
    "reel": "float64",
    "attendu": "float64",
    "part_ecoulee": "float64",
    "donnees_au": "string",
    "statut": "string",
    "en_cours": "bool",
    "source": "string",
    "derive": "bool",
    "lien": "string",
    "nature_cible": "string",
    "regle_cible": "string",
    "trajectoire_evaluable": "bool",
    "debut_donnees": "string",
}

# `suivi` : « cible » (une ligne par cible commencée), « sans cible » (une ligne : dernière
# valeur et tendance) ou « jalon » (une ligne : réalisé ou non). `statut` est vide (NA) pour un
# indicateur sans cible qui a des valeurs : il n'a pas de trajectoire, seulement une tendance.
# `comparable` est faux quand la cible n'est pas dans l'unité de l'indicateur (un pourcentage
# contre un nombre : A5.1, 60 % de BRSA contre un nombre de contrats) : ni attendu ni statut.
# `nature_cible` (`natures_cibles`) : une cible qui n'est ni du plan ni dérivée par une règle
# écrite est un « repère », sans attendu. `trajectoire_evaluable` est faux quand la plage de la
# cible commence avant `debut_donnees`, le premier mois qui peut porter une valeur (le début du
# plan de l'indicateur) : statut « non évaluable » pour une cible jugée, sans attendu.
COLONNES_PROGRESSIONS = {
    **COLONNES_PROGRESSION,
    "suivi": "string",
    "libelle": "string",
    "source_indicateur": "string",
    "valeur_reference": "float64",
    "comparable": "bool",
    "nature": "string",
    "unite": "string",
    "periodicite": "string",
    "polarite": "string",
    "echelle": "string",
    "derniere_periode": "string",
    "derniere_valeur": "float64",
    "periode_precedente": "string",
    "valeur_precedente": "float64",
    "tendance": "string",
    "realise": "boolean",
}

COLONNES_SERIES = {"indicateur": "string", **series.COLONNES_SERIE}

COLONNES_CONTRIBUTIONS = {
    "canton": "string",
    "libelle": "string",
    "valeur": "float64",
    "numerateur": "float64",
    "denominateur": "float64",
    "part": "float64",
    "donnees_au": "string",
}

_CLE = ["indicateur", "periode", "debut", "fin"]
_SOMMES = ["somme_valeur", "somme_numerateur", "somme_denominateur"]


# --- Fiches et territoires ---------------------------------------------------------------


_COLONNES_FICHES = ["code", "libelle", "nature", "unite", "periodicite", "polarite", "echelle",
                    "source"]  # fmt: skip


def _fiches(conn: Connection, indicateurs: Sequence[str] | None) -> pd.DataFrame:
    """Métadonnées utiles au calcul, dans l'ordre du référentiel ; code inconnu : erreur.

    `debut_plan` : le premier mois importable pour l'indicateur (l'import refuse une période
    antérieure au début de son plan), d'où une cible ne peut être suivie que s'y commence.
    """
    i, p = schema.indicateur, schema.plan
    requete = (
        select(*(i.c[c] for c in _COLONNES_FICHES), p.c.debut.label("debut_plan"))
        .join(p, p.c.code == i.c.plan)
        .order_by(i.c.rang)
    )
    if indicateurs is not None:
        requete = requete.where(i.c.code.in_(list(indicateurs)))
    fiches = lire(conn, requete, [*_COLONNES_FICHES, "debut_plan"])
    inconnus = sorted(set(indicateurs or []) - set(fiches["code"]))
    if inconnus:
        raise series.IndicateurInconnu(f"indicateur inconnu : {', '.join(inconnus)}")
    return fiches


def _groupes(terr: pd.DataFrame, territoire: str) -> list[str]:
    """Territoires d'action sous `territoire` (lui-même s'il en est un ; aucun pour un canton).

    Descente depuis `territoire` sur des listes Python : remonter depuis chacun des 500
    territoires d'action de l'échelle de la France, sur des chaînes Arrow, coûtait 3 ms.
    """
    codes = terr["code"].tolist()
    niveaux = dict(zip(codes, terr["niveau"].tolist(), strict=True))
    enfants: dict[str, list[str]] = {}
    for code, parent in zip(codes, terr["parent"].tolist(), strict=True):
        if isinstance(parent, str):
            enfants.setdefault(parent, []).append(code)
    trouves, pile = [], [territoire]
    while pile:
        code = pile.pop()
        if niveaux.get(code) == "territoire_action":
            trouves.append(code)
        pile.extend(enfants.get(code, ()))
    return sorted(trouves)


# --- Séries de plusieurs indicateurs en deux requêtes ------------------------------------


def _sommes_cantons(
    conn: Connection, indicateurs: list[str], lieux: list[str], detail: dict[str, list[str]]
) -> pd.DataFrame:
    """Sommes des cantons tenues par `sommes` (une requête) : tous les `indicateurs` pour les
    `lieux`, plus, pour chaque territoire d'action de `detail`, les indicateurs qui y sont
    listés (ceux qui y ont une valeur saisie directement, voir `_serie_territoire`)."""
    s = schema.somme_cantons
    conditions = [and_(s.c.indicateur.in_(indicateurs), s.c.lieu.in_(lieux))] if lieux else []
    par_codes: dict[tuple[str, ...], list[str]] = {}
    for lieu, codes in detail.items():
        par_codes.setdefault(tuple(sorted(codes)), []).append(lieu)
    conditions += [
        and_(s.c.indicateur.in_(list(codes)), s.c.lieu.in_(sorted(groupe)))
        for codes, groupe in par_codes.items()
    ]
    colonnes = ["indicateur", "lieu", "periode", "debut", "fin", *_SOMMES, "statut", "nb_cantons"]
    if not conditions:
        return pd.DataFrame(columns=colonnes)
    return lire(conn, select(*(s.c[c] for c in colonnes)).where(or_(*conditions)), colonnes)


def _directes(conn: Connection, indicateurs: list[str], lieux: list[str]) -> pd.DataFrame:
    """Valeurs saisies directement pour ces lieux (territoire, territoires d'action)."""
    v = schema.valeur
    requete = select(
        v.c.indicateur, v.c.territoire.label("lieu"), v.c.periode, v.c.debut, v.c.fin,
        v.c.valeur.label("somme_valeur"), v.c.numerateur.label("somme_numerateur"),
        v.c.denominateur.label("somme_denominateur"), v.c.statut,
    ).where(v.c.courante, v.c.indicateur.in_(indicateurs), v.c.territoire.in_(lieux))  # fmt: skip
    colonnes = ["indicateur", "lieu", "periode", "debut", "fin", *_SOMMES, "statut"]
    directes = lire(conn, requete, colonnes)
    return directes.assign(nb_cantons=pd.NA, direct=True)


def _prioritaire(directes: pd.DataFrame, agregats: pd.DataFrame) -> pd.DataFrame:
    """Directes, plus les agrégats des (lieu, indicateur, période) sans valeur directe."""
    agregats = agregats.assign(direct=False)
    if directes.empty or agregats.empty:
        return agregats if directes.empty else directes
    # Clés en tuples Python : un MultiIndex coûtait ~6 ms par appel sur ces petits cadres.
    cle = ["lieu", *_CLE]
    deja = set(zip(*(directes[c].astype(str).tolist() for c in cle), strict=True))
    cles = zip(*(agregats[c].astype(str).tolist() for c in cle), strict=True)
    garde = np.fromiter((k not in deja for k in cles), dtype=bool, count=len(agregats))
    return pd.concat([directes, agregats[garde]], ignore_index=True)


def _recompose(sommes: pd.DataFrame, fiches: pd.DataFrame) -> pd.Series:
    """Valeur agrégée selon la nature ; une valeur saisie directement est gardée telle quelle."""
    # Nature et facteur de chaque ligne pris par position dans `fiches` : `Series.map` sur des
    # chaînes Arrow coûtait 15 ms pour les 10 000 sommes d'un département à grande échelle.
    rang = pd.Index(fiches["code"].tolist()).get_indexer(sommes["indicateur"].tolist())
    natures = fiches["nature"].tolist()
    nature = np.array(natures, dtype=object)[rang]
    additive = np.array([n in agregation.ADDITIVES for n in natures], dtype=bool)[rang]
    facteur = np.array([agregation.facteur_taux(str(u)) for u in fiches["unite"].tolist()])[rang]
    den = sommes["somme_denominateur"].astype("float64").to_numpy()
    num = sommes["somme_numerateur"].astype("float64").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        taux = np.where(den > 0, num / den, np.nan) * facteur
    additif = sommes["somme_valeur"].astype("float64")
    valeur = np.where(nature == "taux", taux, np.where(additive, additif, np.nan))
    direct = sommes["direct"].astype(bool)
    return pd.Series(valeur, index=sommes.index).where(~direct, additif)


def _vers_serie(cadre: pd.DataFrame, fiches: pd.DataFrame) -> pd.DataFrame:
    """Colonnes de `COLONNES_SERIES`, sans leurs types déclarés : l'évaluation interne lit des
    chaînes Python (plus rapides ligne à ligne), `read_series` applique les types."""
    cadre = cadre.assign(valeur=_recompose(cadre, fiches))
    cadre = cadre.rename(
        columns={"somme_numerateur": "numerateur", "somme_denominateur": "denominateur"}
    )
    cadre = cadre.reindex(columns=list(COLONNES_SERIES)).sort_values(["indicateur", "debut"])
    return cadre.reset_index(drop=True)


def _departement(
    territoire: str,
    niveau_ta: pd.DataFrame,
    directes: pd.DataFrame,
    sommes_propres: pd.DataFrame,
) -> pd.DataFrame:
    """Agrégat des territoires d'action (`niveau_ta`, déjà recomposé) plus les sommes de ses
    cantons déjà tenues (`sommes_propres`, pour les autres indicateurs), sauf là où
    `territoire` a sa propre valeur (`directes`).

    Une somme sans aucune valeur reste vide (`min_count=1`), jamais un zéro.
    """
    niveau_ta = niveau_ta.assign(
        nb_cantons=pd.to_numeric(niveau_ta["nb_cantons"]).astype("float64"),
        **{c: niveau_ta[c].astype("float64") for c in _SOMMES},
    )
    groupes = niveau_ta.groupby(_CLE, sort=False)
    agregees = groupes[[*_SOMMES, "nb_cantons"]].sum(min_count=1)
    agregees["statut"] = groupes["statut"].max()
    cadres = [c for c in (agregees.reset_index(), sommes_propres) if not c.empty]
    ensemble = pd.concat(cadres, ignore_index=True) if cadres else sommes_propres
    return _prioritaire(directes, ensemble.assign(lieu=territoire))


def _arbre_territoires(conn: Connection) -> pd.DataFrame:
    """Code, niveau et parent des territoires : tout ce qu'il faut pour trouver les groupes."""
    t = schema.territoire
    requete = select(t.c.code, t.c.niveau, t.c.parent).where(
        t.c.niveau.in_(("departement", "territoire_action", "canton"))
    )
    return lire(conn, requete, ["code", "niveau", "parent"])


def _parents_de_territoires_action(arbre: pd.DataFrame) -> set[str]:
    """Lieux dont `sommes` tient les sommes en plus des territoires d'action : leurs parents."""
    ta = arbre[arbre["niveau"] == "territoire_action"]
    return {str(p) for p in ta["parent"].dropna()}


def _lectures(
    conn: Connection, codes: list[str], arbre: pd.DataFrame, territoires: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Valeurs saisies directement et sommes des cantons, pour tous ces territoires à la fois :
    deux requêtes, quel que soit leur nombre (le §4 en lit cinq).

    Un territoire d'action lit ses sommes ; un département, les siennes, et celles de ses
    territoires d'action seulement pour les indicateurs qui y ont une valeur saisie (A23.1).
    Au-dessus (une région), les sommes de tous ses territoires d'action.
    """
    par_territoire = {t: _groupes(arbre, t) for t in territoires}
    groupes = sorted({g for gs in par_territoire.values() for g in gs})
    directes = _directes(conn, codes, sorted(set(territoires) | set(groupes)))
    tenus = _parents_de_territoires_action(arbre)
    lieux: set[str] = set()
    detail: dict[str, set[str]] = {}
    for t, gs in par_territoire.items():
        if t in gs or t not in tenus:
            lieux.update(gs)
            continue
        lieux.add(t)
        saisis = directes[directes["lieu"].isin(gs)]
        for g in gs:
            detail.setdefault(g, set()).update(saisis["indicateur"])
    detail = {g: codes_g for g, codes_g in detail.items() if codes_g and g not in lieux}
    agregats = _sommes_cantons(
        conn, codes, sorted(lieux), {g: sorted(c) for g, c in detail.items()}
    )
    return directes, agregats


def _serie_territoire(
    fiches: pd.DataFrame,
    arbre: pd.DataFrame,
    territoire: str,
    directes: pd.DataFrame,
    agregats: pd.DataFrame,
) -> pd.DataFrame:
    """Séries brutes d'un territoire (voir `_vers_serie`), tirées des lectures de `_lectures`.

    Un département additionne ses territoires d'action (valeur saisie ou somme de cantons) :
    pour un indicateur sans valeur saisie à ce niveau, c'est la somme de ses cantons, déjà
    tenue ; les autres (A23.1) passent par le détail des territoires d'action.
    """
    groupes = _groupes(arbre, territoire)
    propres = directes[directes["lieu"] == territoire]
    if not groupes:  # un canton : ses seules valeurs
        return _vers_serie(propres, fiches)
    if territoire in groupes:
        niveau_ta = _prioritaire(
            directes[directes["lieu"] == territoire], agregats[agregats["lieu"] == territoire]
        )
        return _vers_serie(niveau_ta, fiches)
    saisies_ta = directes[directes["lieu"].isin(groupes)]
    if territoire in _parents_de_territoires_action(arbre):
        detailles = set(saisies_ta["indicateur"])
        sommes_propres = agregats[
            (agregats["lieu"] == territoire) & ~agregats["indicateur"].isin(detailles)
        ]
    else:
        detailles = set(fiches["code"])
        sommes_propres = agregats.iloc[0:0]
    du_detail = agregats["lieu"].isin(groupes) & agregats["indicateur"].isin(detailles)
    niveau_ta = _prioritaire(saisies_ta, agregats[du_detail])
    niveau_ta = niveau_ta.assign(somme_valeur=_recompose(niveau_ta, fiches))
    return _vers_serie(_departement(territoire, niveau_ta, propres, sommes_propres), fiches)


def _series(
    conn: Connection, fiches: pd.DataFrame, territoire: str, perimetre: str | None
) -> pd.DataFrame:
    """Séries brutes de tous les indicateurs de `fiches` pour `territoire` (voir `_vers_serie`).

    Hors du `perimetre` de l'utilisateur, lève HorsPerimetre (comme `series.read_serie`).
    """
    arbre = _arbre_territoires(conn)
    verifier_perimetre(arbre, territoire, perimetre)
    directes, agregats = _lectures(conn, list(fiches["code"]), arbre, [territoire])
    return _serie_territoire(fiches, arbre, territoire, directes, agregats)


def read_series(
    conn: Connection,
    *,
    indicateurs: Sequence[str] | None,
    territoire: str,
    perimetre: str | None = None,
) -> pd.DataFrame:
    """Séries de plusieurs indicateurs pour un territoire, en deux requêtes de valeurs.

    Colonnes `COLONNES_SERIES` (celles de `series.read_serie` plus `indicateur`), triées par
    indicateur puis période. `indicateurs=None` : tous les indicateurs du référentiel. À la
    différence de `series.read_serie`, le département y a aussi les indicateurs suivis par
    territoire d'action (somme des quatre territoires). Hors `perimetre` : HorsPerimetre.
    """
    fiches = _fiches(conn, indicateurs)
    if fiches.empty:
        return en_cadre([], COLONNES_SERIES)
    return _series(conn, fiches, territoire, perimetre).astype(COLONNES_SERIES)


# --- Évaluation --------------------------------------------------------------------------


def _cibles(
    conn: Connection, indicateurs: list[str], territoires: list[str], mois: str, a_venir: bool
) -> pd.DataFrame:
    """Cibles de ces territoires commencées à la date (toutes avec `a_venir`), dans l'ordre de
    `read_progression` (début, fin, source)."""
    c = schema.cible
    colonnes = ["indicateur", "periode", "libelle", "valeur", "valeur_reference", "unite",
                "source", "derive", "lien", "nature", "regle", "territoire"]  # fmt: skip
    requete = (
        select(*(c.c[nom] for nom in colonnes))
        .where(c.c.indicateur.in_(indicateurs), c.c.territoire.in_(territoires))
        .order_by(c.c.indicateur, c.c.debut, c.c.fin, c.c.source)
    )  # fmt: skip
    if not a_venir:
        requete = requete.where(c.c.debut <= mois)
    return lire(conn, requete, colonnes)


def _comparable(unite_cible: str, unite_indicateur: str) -> bool:
    """Une cible en % ne se compare qu'à un indicateur en % (et inversement)."""
    return (unite_cible.strip() == "%") == (unite_indicateur.strip() == "%")


def _jugement(ev: trajectoire.Evaluation, ci: Any, comparable: bool) -> tuple[float | None, str]:
    """Valeur attendue et statut d'une cible évaluée : un repère (nature qui ne juge pas) n'a
    ni l'un ni l'autre, quelle que soit sa trajectoire ; une cible dans une autre unité que
    l'indicateur n'est pas comparée (non renseigné)."""
    if not natures_cibles.donne_un_statut(str(ci.nature), str(ci.regle or "")):
        return None, trajectoire.Statut.REPERE.value
    if not comparable:
        return None, trajectoire.Statut.NON_RENSEIGNE.value
    return ev.attendu, ev.statut.value


def _ligne_cible(
    fiche: Any, ci: Any, serie: pd.DataFrame, date: periodes.Mois, seuils: Seuils
) -> dict[str, Any]:
    """Une cible évaluée (ou seulement réalisée : repère, autre unité, non évaluable)."""
    plage = periodes.parse_plage(str(ci.periode))
    debut_donnees = periodes.Mois.parse(str(fiche.debut_plan))
    ev = trajectoire.evaluer(
        serie, nature=fiche.nature, polarite=fiche.polarite, cible=float(ci.valeur), plage=plage,
        mois=date, seuils=seuils, valeur_reference=nombre(ci.valeur_reference),
        debut_donnees=debut_donnees,
    )  # fmt: skip
    comparable = _comparable(str(ci.unite or ""), str(fiche.unite or ""))
    attendu, statut = _jugement(ev, ci, comparable)
    return {
        "periode_cible": ci.periode, "libelle_cible": ci.libelle, "cible": ev.cible,
        "reel": ev.reel, "attendu": attendu, "part_ecoulee": ev.part_ecoulee,
        "donnees_au": ev.donnees_au, "statut": statut,
        "en_cours": plage.debut <= date <= plage.fin, "source": ci.source,
        "derive": bool(ci.derive), "lien": ci.lien, "nature_cible": ci.nature,
        "regle_cible": ci.regle or "", "trajectoire_evaluable": plage.debut >= debut_donnees,
        "debut_donnees": str(debut_donnees), "suivi": "cible",
        "valeur_reference": ev.valeur_reference, "comparable": comparable,
    }  # fmt: skip


def _ligne_sans_cible(
    fiche: Any, serie: pd.DataFrame, date: periodes.Mois, d: trajectoire.Derniere
) -> dict[str, Any]:
    """Un indicateur sans cible (dernière valeur `d`) ou un jalon (réalisé ou non)."""
    if fiche.nature == "jalon":
        etat = trajectoire.evaluer_jalon(serie, mois=date)
        return {"suivi": "jalon", "statut": etat.statut.value, "realise": etat.realise,
                "donnees_au": etat.donnees_au}  # fmt: skip
    vide = d.valeur is None
    return {
        "suivi": "sans cible", "reel": d.valeur, "donnees_au": d.periode,
        "statut": trajectoire.Statut.NON_RENSEIGNE.value if vide else None,
    }  # fmt: skip


def _lignes_indicateur(
    fiche: Any, cibles: list[Any], serie: pd.DataFrame, date: periodes.Mois, seuils: Seuils
) -> list[dict[str, Any]]:
    d = trajectoire.derniere(serie, mois=date)
    commun = {
        "indicateur": fiche.code, "libelle": fiche.libelle, "source_indicateur": fiche.source,
        "nature": fiche.nature, "unite": fiche.unite,
        "periodicite": fiche.periodicite, "polarite": fiche.polarite, "echelle": fiche.echelle,
        "derniere_periode": d.periode, "derniere_valeur": d.valeur,
        "periode_precedente": d.periode_precedente, "valeur_precedente": d.valeur_precedente,
        "tendance": trajectoire.tendance(d), "comparable": True, "en_cours": False,
        "derive": False, "trajectoire_evaluable": True,
    }  # fmt: skip
    if fiche.nature == "jalon" or not cibles:
        return [{**commun, **_ligne_sans_cible(fiche, serie, date, d)}]
    return [{**commun, **_ligne_cible(fiche, ci, serie, date, seuils)} for ci in cibles]


def read_progressions(
    conn: Connection,
    *,
    indicateurs: Sequence[str] | None,
    territoire: str,
    mois: str,
    seuils: Seuils | None = None,
    perimetre: str | None = None,
    cibles_a_venir: bool = False,
) -> pd.DataFrame:
    """Progression de plusieurs indicateurs (tous si None) pour un territoire, à la date `mois`.

    Une ligne par cible commencée à la date (comme `read_progression`), ou une seule ligne pour
    un indicateur sans cible ou un jalon (`suivi`). Colonnes `COLONNES_PROGRESSIONS`, dans
    l'ordre du référentiel. Cinq requêtes au plus, quel que soit le nombre d'indicateurs.
    `perimetre` : territoire d'action de l'utilisateur ; hors de lui, lève HorsPerimetre.
    `cibles_a_venir` : rend aussi les cibles pas encore commencées (non renseignées, sans
    attendu), pour que l'arbre des objectifs montre « 100 → 200 entreprises en 2020 » avant 2020.
    """
    seuils = seuils or read_seuils()
    date = periodes.Mois.parse(mois)
    fiches = _fiches(conn, indicateurs)
    codes = list(fiches["code"])
    if not codes:
        return en_cadre([], COLONNES_PROGRESSIONS)
    serie = _series(conn, fiches, territoire, perimetre)
    cibles = _cibles(conn, codes, [territoire], str(date), cibles_a_venir)
    return _evaluer(fiches, serie, cibles, territoire, date, seuils)


def _evaluer(
    fiches: pd.DataFrame,
    serie: pd.DataFrame,
    cibles: pd.DataFrame,
    territoire: str,
    date: periodes.Mois,
    seuils: Seuils,
) -> pd.DataFrame:
    """Les lignes de `read_progressions` d'un territoire, à partir de ses séries et cibles."""
    return _en_cadre(_lignes(list(fiches.astype(object).itertuples(index=False)), serie, cibles,
                             territoire, date, seuils))  # fmt: skip


def _en_cadre(lignes: list[dict[str, Any]]) -> pd.DataFrame:
    """Le cadre aux colonnes et types déclarés, construit une fois pour toutes les lignes :
    convertir trente colonnes coûte ~40 ms, quel que soit le nombre de lignes."""
    cadre = pd.DataFrame(lignes).reindex(columns=list(COLONNES_PROGRESSIONS))
    return cadre.astype(COLONNES_PROGRESSIONS)


@functools.cache
def _serie_vide() -> pd.DataFrame:
    """La série d'un indicateur sans valeur (lue seulement) : la construire coûte ~7 ms."""
    return en_cadre([], series.COLONNES_SERIE)


def _lignes(
    fiches: list[Any],
    serie: pd.DataFrame,
    cibles: pd.DataFrame,
    territoire: str,
    date: periodes.Mois,
    seuils: Seuils,
) -> list[dict[str, Any]]:
    """Les lignes d'un territoire, en dictionnaires (`fiches` : les fiches en tuples)."""
    # Colonnes texte en `object` pour l'évaluation : l'accès ligne à ligne aux chaînes Arrow
    # coûte cher sur ~70 indicateurs ; le cadre rendu garde ses types déclarés.
    interne = serie[["indicateur", "periode", "debut", "fin", "valeur"]]
    interne = interne.astype(
        {"periode": object, "debut": object, "fin": object, "valeur": "float64"}
    )
    par_indicateur = dict(tuple(interne.groupby("indicateur", sort=False)))
    # Les cibles parcourues une fois pour toutes : `itertuples` coûte ~0,8 ms par appel (une
    # lecture par colonne), soit 80 ms pour les 100 indicateurs à cible d'un département.
    cibles_par: dict[str, list[Any]] = {}
    for ci in cibles.astype(object).itertuples(index=False):
        cibles_par.setdefault(str(ci.indicateur), []).append(ci)
    vide_serie = _serie_vide()
    lignes: list[dict[str, Any]] = []
    for fiche in fiches:
        lignes.extend(
            {**ligne, "territoire": territoire}
            for ligne in _lignes_indicateur(
                fiche, cibles_par.get(fiche.code, []), par_indicateur.get(fiche.code, vide_serie),
                date, seuils,
            )
        )  # fmt: skip
    return lignes


def read_progression(
    conn: Connection,
    *,
    indicateur: str,
    territoire: str,
    mois: str,
    seuils: Seuils | None = None,
    perimetre: str | None = None,
) -> pd.DataFrame:
    """Une ligne par cible de l'indicateur pour ce territoire, commencée à la date `mois`.

    `en_cours` marque la cible dont la plage contient la date ; les cibles échues sont évaluées à
    leur fin. Deux cibles concurrentes (10 000 du §3.1 et 11 199 du §4) donnent deux lignes.
    """
    cadre = read_progressions(
        conn, indicateurs=[indicateur], territoire=territoire, mois=mois, seuils=seuils,
        perimetre=perimetre,
    )  # fmt: skip
    cibles = cadre[cadre["suivi"] == "cible"]
    return cibles.reindex(columns=list(COLONNES_PROGRESSION)).reset_index(drop=True)


def read_progressions_territoires(
    conn: Connection,
    *,
    indicateurs: Sequence[str] | None,
    territoires: Sequence[str],
    mois: str,
    seuils: Seuils | None = None,
    perimetre: str | None = None,
) -> pd.DataFrame:
    """`read_progressions` pour plusieurs territoires (tableau §4 : les quatre et le total).

    Avec `perimetre`, les territoires hors de lui sont omis (comme `read_par_territoire`) :
    un utilisateur du NORD voit le NORD et le total départemental. Les valeurs de tous les
    territoires sont lues ensemble (le département réutilise les sommes de ses territoires
    d'action) : cinq requêtes en tout, pas cinq par territoire.
    """
    seuils = seuils or read_seuils()
    date = periodes.Mois.parse(mois)
    arbre = _arbre_territoires(conn)
    permis = autorises(arbre, perimetre)
    retenus = [t for t in territoires if t in permis]
    fiches = _fiches(conn, indicateurs)
    if not retenus or fiches.empty:
        return en_cadre([], COLONNES_PROGRESSIONS)
    codes = list(fiches["code"])
    directes, agregats = _lectures(conn, codes, arbre, retenus)
    cibles = _cibles(conn, codes, retenus, str(date), False)
    en_tuples = list(fiches.astype(object).itertuples(index=False))
    lignes = [
        ligne
        for t in retenus
        for ligne in _lignes(en_tuples, _serie_territoire(fiches, arbre, t, directes, agregats),
                             cibles[cibles["territoire"] == t], t, date, seuils)
    ]  # fmt: skip
    return _en_cadre(lignes)


# --- Contributions des cantons -----------------------------------------------------------


def read_contributions_cantons(
    conn: Connection,
    *,
    indicateur: str,
    territoire: str,
    periode_cible: str,
    mois: str,
    perimetre: str | None = None,
) -> pd.DataFrame:
    """Réalisé de chaque canton du territoire sur la plage d'une cible, arrêté à `mois`.

    Même règle que le réalisé du territoire (cumul d'un flux, dernier niveau d'un stock, taux
    recomposé) ; `part` est la part du canton dans le total du territoire (flux, stock, montant).
    Aucune cible de canton : les documents n'en donnent pas, on n'en dérive pas. Valeurs
    brutes : le secret statistique s'applique à l'affichage (`territoires_tableau`), qui a besoin
    de `numerateur` et `denominateur` (taux : ceux de la dernière période).
    """
    fiche = _fiches(conn, [indicateur]).iloc[0]
    plage = periodes.parse_plage(periode_cible)
    horizon = min(periodes.Mois.parse(mois), plage.fin)
    terr = territoires.read_territoires(conn)
    verifier_perimetre(terr, territoire, perimetre)
    cantons = terr[terr["code"].isin(territoires.cantons_de(terr, territoire))]
    v = schema.valeur
    requete = select(
        v.c.territoire, v.c.periode, v.c.fin, v.c.valeur, v.c.numerateur, v.c.denominateur
    ).where(
        v.c.courante, v.c.indicateur == indicateur, v.c.territoire.in_(list(cantons["code"])),
        v.c.debut >= str(plage.debut), v.c.fin <= str(horizon),
    )  # fmt: skip
    valeurs = lire(
        conn,
        requete,
        ["territoire", "periode", "fin", "valeur", "numerateur", "denominateur"],
    ).sort_values(["territoire", "fin"])
    lignes = [
        (code, libelle, *_cumul_canton(valeurs[valeurs["territoire"] == code], fiche))
        for code, libelle in zip(cantons["code"], cantons["libelle"], strict=True)
    ]
    cadre = pd.DataFrame(
        lignes,
        columns=["canton", "libelle", "valeur", "numerateur", "denominateur", "donnees_au"],
    )
    total = cadre["valeur"].sum(min_count=1)
    additif = fiche["nature"] in agregation.ADDITIVES
    cadre["part"] = cadre["valeur"] / total if additif and total else np.nan
    return cadre.reindex(columns=list(COLONNES_CONTRIBUTIONS)).astype(COLONNES_CONTRIBUTIONS)


def _cumul_canton(
    valeurs: pd.DataFrame, fiche: pd.Series
) -> tuple[float, float | None, float | None, str | None]:
    """Réalisé d'un canton (valeur, numérateur, dénominateur, dernière période)."""
    propres = valeurs.dropna(subset=["valeur"])
    if propres.empty:
        return float("nan"), None, None, None
    dernier = propres.iloc[-1]
    periode = str(dernier["periode"])
    if fiche["nature"] == "taux":
        num, den = nombre(dernier["numerateur"]), nombre(dernier["denominateur"])
        facteur = agregation.facteur_taux(str(fiche["unite"]))
        valeur = num / den * facteur if num is not None and den else float(dernier["valeur"])
        return valeur, num, den, periode
    return agregation.cumule(propres["valeur"], nature=fiche["nature"]), None, None, periode
