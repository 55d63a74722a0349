"""Lectures des valeurs : par canton, par territoire, en série, agrégées selon la nature.

Une valeur saisie directement pour un territoire (import au niveau NORD ou 67) l'emporte sur
l'agrégat de ses cantons pour la même période ; sinon on agrège les cantons, en SQL, puis on
recompose les taux (voir `agregation`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Select, func, select

from data_access import agregation, schema, territoires
from data_access.cadres import en_cadre
from data_access.perimetre import verifier as verifier_perimetre

COLONNES_SERIE = {
    "periode": "string",
    "debut": "string",
    "fin": "string",
    "valeur": "float64",
    "numerateur": "float64",
    "denominateur": "float64",
    "statut": "string",
    "nb_cantons": "Int64",
}

COLONNES_PAR_CANTON = {
    "canton": "string",
    "libelle": "string",
    "territoire_action": "string",
    "population": "Int64",
    "zone_carte": "string",
    "valeur": "float64",
    "numerateur": "float64",
    "denominateur": "float64",
    "statut": "string",
}

COLONNES_PAR_TERRITOIRE = {
    "territoire": "string",
    "libelle": "string",
    "niveau": "string",
    "valeur": "float64",
    "numerateur": "float64",
    "denominateur": "float64",
    "statut": "string",
    "nb_cantons": "Int64",
}


class IndicateurInconnu(LookupError):
    """Code d'indicateur absent du référentiel."""


def _nature(conn: Connection, indicateur: str) -> tuple[str, str]:
    i = schema.indicateur
    ligne = conn.execute(select(i.c.nature, i.c.unite).where(i.c.code == indicateur)).first()
    if ligne is None:
        raise IndicateurInconnu(f"indicateur inconnu : {indicateur}")
    return str(ligne.nature), str(ligne.unite)


def _sommes(
    colonnes_groupe: list[ColumnElement[Any]], conditions: list[ColumnElement[bool]]
) -> Select[Any]:
    v = schema.valeur
    return (
        select(
            *colonnes_groupe,
            func.sum(v.c.valeur).label("somme_valeur"),
            func.sum(v.c.numerateur).label("somme_numerateur"),
            func.sum(v.c.denominateur).label("somme_denominateur"),
            func.max(v.c.statut).label("statut"),  # « provisoire » > « definitif »
            func.count().label("nb_cantons"),
        )
        .where(v.c.courante, *conditions)
        .group_by(*colonnes_groupe)
    )


def _recompose(sommes: pd.DataFrame, nature: str, unite: str) -> pd.DataFrame:
    sommes["valeur"] = agregation.recombine(sommes, nature=nature, unite=unite)
    return sommes.rename(
        columns={"somme_numerateur": "numerateur", "somme_denominateur": "denominateur"}
    )


def read_serie(
    conn: Connection, *, indicateur: str, territoire: str, perimetre: str | None = None
) -> pd.DataFrame:
    """Série chronologique d'un indicateur pour un territoire (valeurs directes ou agrégées).

    `perimetre` : territoire d'action de l'utilisateur ; hors de lui, lève HorsPerimetre.
    """
    nature, unite = _nature(conn, indicateur)
    tous = territoires.read_territoires(conn)
    verifier_perimetre(tous, territoire, perimetre)
    v = schema.valeur
    directes = pd.DataFrame(
        conn.execute(
            select(v.c.periode, v.c.debut, v.c.fin, v.c.valeur, v.c.numerateur, v.c.denominateur,
                   v.c.statut)
            .where(v.c.courante, v.c.indicateur == indicateur, v.c.territoire == territoire)
        ).all(),
        columns=list(COLONNES_SERIE)[:-1],
    )  # fmt: skip
    cantons = territoires.cantons_de(tous, territoire)
    cantons = [c for c in cantons if c != territoire]
    if cantons:
        requete = _sommes(
            [v.c.periode, v.c.debut, v.c.fin],
            [v.c.indicateur == indicateur, v.c.territoire.in_(cantons)],
        )
        sommes = pd.DataFrame(conn.execute(requete).mappings().all())
        agregees = _recompose(sommes, nature, unite) if not sommes.empty else sommes
        if not agregees.empty:
            agregees = agregees[~agregees["periode"].isin(directes["periode"])]
            directes = pd.concat([directes.assign(nb_cantons=pd.NA), agregees], ignore_index=True)
    serie = directes.reindex(columns=list(COLONNES_SERIE)).sort_values("debut")
    return serie.reset_index(drop=True).astype(COLONNES_SERIE)


def read_par_canton(
    conn: Connection, *, indicateur: str, periode: str, perimetre: str | None = None
) -> pd.DataFrame:
    """Valeur de chaque canton pour une période ; un canton sans valeur garde une ligne vide.

    Avec `perimetre`, seuls les cantons de ce territoire d'action sont rendus.
    """
    _nature(conn, indicateur)
    t, v = schema.territoire, schema.valeur
    requete = (
        select(t.c.code, t.c.libelle, t.c.parent, t.c.population, t.c.zone_carte, v.c.valeur,
               v.c.numerateur, v.c.denominateur, v.c.statut)
        .select_from(
            t.outerjoin(
                v,
                (v.c.territoire == t.c.code) & v.c.courante & (v.c.indicateur == indicateur)
                & (v.c.periode == periode),
            )
        )
        .where(t.c.niveau == "canton")
        .order_by(t.c.code)
    )  # fmt: skip
    if perimetre is not None:
        requete = requete.where(t.c.parent == perimetre)
    return en_cadre(conn.execute(requete), COLONNES_PAR_CANTON)


def _totaux(par_ta: pd.DataFrame, haut: pd.DataFrame) -> pd.DataFrame:
    """Sommes des territoires d'action remontées à leur département (le parent de chacun).

    Le Bas-Rhin n'a qu'un département ; le jeu à l'échelle de la France (`echelle`) en a cent,
    chacun total de ses seuls territoires.
    """
    departement = par_ta["territoire"].map(dict(zip(haut["code"], haut["parent"], strict=True)))
    nombres = par_ta.drop(columns="territoire").select_dtypes("number")
    totaux = nombres.groupby(departement).sum()
    totaux["statut"] = par_ta.groupby(departement)["statut"].max()
    return totaux.rename_axis("territoire").reset_index()


def read_par_territoire(
    conn: Connection, *, indicateur: str, periode: str, perimetre: str | None = None
) -> pd.DataFrame:
    """Valeur de chaque territoire d'action et du département pour une période.

    Avec `perimetre`, seuls le département et ce territoire sont rendus (le total
    départemental reste exact : il est calculé sur tous les cantons).
    """
    nature, unite = _nature(conn, indicateur)
    t, v = schema.territoire, schema.valeur
    requete = _sommes(
        [t.c.parent.label("territoire")],
        [v.c.indicateur == indicateur, v.c.periode == periode, t.c.niveau == "canton"],
    ).select_from(v.join(t, t.c.code == v.c.territoire))
    par_ta = pd.DataFrame(conn.execute(requete).mappings().all())
    haut = territoires.read_territoires(conn, niveaux=("departement", "territoire_action"))
    if not par_ta.empty:
        par_ta = _recompose(pd.concat([par_ta, _totaux(par_ta, haut)], ignore_index=True),
                            nature, unite)  # fmt: skip
    directes = pd.DataFrame(
        conn.execute(
            select(v.c.territoire, v.c.valeur, v.c.numerateur, v.c.denominateur, v.c.statut)
            .where(v.c.courante, v.c.indicateur == indicateur, v.c.periode == periode,
                   v.c.territoire.in_(list(haut["code"])))
        ).all(),
        columns=["territoire", "valeur", "numerateur", "denominateur", "statut"],
    )  # fmt: skip
    if not par_ta.empty:
        par_ta = par_ta[~par_ta["territoire"].isin(directes["territoire"])]
    valeurs = pd.concat([directes, par_ta], ignore_index=True) if not par_ta.empty else directes
    cadre = haut[["code", "libelle", "niveau"]].rename(columns={"code": "territoire"})
    cadre = cadre.merge(valeurs, on="territoire", how="left")
    if perimetre is not None:
        cadre = cadre[cadre["territoire"].isin([territoires.DEPARTEMENT, perimetre])]
    return cadre.reindex(columns=list(COLONNES_PAR_TERRITOIRE)).astype(COLONNES_PAR_TERRITOIRE)


def read_valeur_departement(
    conn: Connection, *, indicateur: str, periode: str, perimetre: str | None = None
) -> float | None:
    """Valeur du département lui-même à une période : saisie à ce niveau, sinon agrégée sur tous
    ses cantons, selon la nature (`read_par_territoire`). None si elle manque.

    C'est la référence départementale de la carte et de ses mesures (part, écart, évolution),
    la même pour tout périmètre : le total départemental est dans chacun, et la somme des
    cantons qu'un élu peut lire n'est que son territoire.
    """
    cadre = read_par_territoire(conn, indicateur=indicateur, periode=periode, perimetre=perimetre)
    valeur = cadre.loc[cadre["territoire"] == territoires.DEPARTEMENT, "valeur"]
    return None if valeur.empty or pd.isna(valeur.iloc[0]) else float(valeur.iloc[0])


def read_cantons_toutes_periodes(
    conn: Connection, *, indicateur: str, perimetre: str | None = None
) -> pd.DataFrame:
    """Valeurs de chaque canton à chaque période où l'indicateur en a (grille complète).

    Même format que `read_par_canton`, plus `periode` et `fin` : un canton sans valeur à une
    période y a une ligne vide, pour que le secret statistique se calcule période par période.
    """
    _nature(conn, indicateur)
    v = schema.valeur
    cantons = read_par_canton(conn, indicateur=indicateur, periode="", perimetre=perimetre)
    cantons = cantons.drop(columns=["valeur", "numerateur", "denominateur", "statut"])
    requete = select(
        v.c.territoire.label("canton"), v.c.periode, v.c.fin, v.c.valeur, v.c.numerateur,
        v.c.denominateur, v.c.statut,
    ).where(
        v.c.courante, v.c.indicateur == indicateur, v.c.territoire.in_(list(cantons["canton"]))
    )  # fmt: skip
    valeurs = pd.DataFrame(conn.execute(requete).all(),
                           columns=["canton", "periode", "fin", "valeur", "numerateur",
                                    "denominateur", "statut"])  # fmt: skip
    grille = valeurs[["periode", "fin"]].drop_duplicates().merge(cantons, how="cross")
    complet = grille.merge(valeurs, on=["canton", "periode", "fin"], how="left")
    colonnes = {**COLONNES_PAR_CANTON, "periode": "string", "fin": "string"}
    return complet.reindex(columns=list(colonnes)).astype(colonnes).sort_values(["fin", "canton"])
