"""Couverture des données : la période par défaut des pages, la dernière période d'un indicateur.

Pourquoi : le dernier mois couvert par une valeur bouge au moindre import. Cinq lignes de 2020
faisaient ouvrir toutes les pages sur « mars 2020 », où la carte d'un indicateur mensuel est vide
(« non renseigné (18 zones) »). La période par défaut est celle où les données sont assez
complètes pour être lues, et une page qui montre un indicateur sans valeur à cette période
remonte à la dernière période connue de cet indicateur (`read_derniere_periode_cantons`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, case, distinct, exists, func, select

from data_access import periodes, schema

CANTON, TERRITOIRE_ACTION = "canton", "territoire_action"
# Échelles des indicateurs suivis sous le département (référentiel, colonne `echelle`).
ECHELLES_LOCALES = ("canton", "territoire")


def read_periode_par_defaut(conn: Connection) -> str | None:
    """La période (`AAAA-MM`) sur laquelle s'ouvrent toutes les pages, pour tous les comptes.

    Règle : le dernier mois pour lequel chaque indicateur mensuel suivi par canton ou par
    territoire d'action (échelle `canton` ou `territoire`), et qui a au moins une valeur, a une
    valeur en vigueur dans chaque territoire d'action : saisie pour le territoire lui-même ou pour
    au moins un de ses cantons. Un import partiel (une ligne d'un trimestre suivant, quelques
    cantons d'un mois nouveau) ne la déplace donc pas : il faudrait que tous les indicateurs
    mensuels couvrent tous les territoires. À défaut d'un tel mois (aucun indicateur mensuel
    importé), le dernier mois couvert par une valeur ; None sur une base sans valeur.

    Coût : des lectures par l'index (indicateur, période) sur le dernier mois, puis sur des
    fenêtres deux fois plus longues en remontant ; d'ordinaire, la première suffit (à l'échelle
    de la France, un mois de valeurs mensuelles des cantons, quand l'historique en a 120).
    """
    v = schema.valeur
    debut, fin = conn.execute(
        select(func.min(v.c.debut), func.max(v.c.fin)).where(v.c.courante)
    ).one()
    if fin is None:
        return None
    attendus = _indicateurs_attendus(conn)
    nb_territoires = _nb_territoires_action(conn)
    if attendus and nb_territoires:
        mois = [p.code for p in periodes.entre(periodes.Mois.parse(debut), periodes.Mois.parse(fin),
                                               periodes.Periodicite.MENSUELLE)]  # fmt: skip
        haut, taille = len(mois), 1
        while haut > 0:
            fenetre = mois[max(0, haut - taille) : haut]
            complet = _dernier_mois_complet(conn, fenetre, attendus, nb_territoires)
            if complet is not None:
                return complet
            haut, taille = haut - taille, taille * 2
    return str(fin)


def _indicateurs_attendus(conn: Connection) -> list[str]:
    """Les indicateurs mensuels suivis sous le département qui ont au moins une valeur en
    vigueur à l'échelle d'un canton ou d'un territoire d'action (un indicateur jamais importé
    ne retient pas la période par défaut)."""
    i, v, t = schema.indicateur, schema.valeur, schema.territoire
    a_une_valeur = exists(
        select(v.c.id)
        .join(t, t.c.code == v.c.territoire)
        .where(
            v.c.indicateur == i.c.code, v.c.courante, t.c.niveau.in_((CANTON, TERRITOIRE_ACTION))
        )
    )
    requete = select(i.c.code).where(
        i.c.periodicite == periodes.Periodicite.MENSUELLE.value,
        i.c.echelle.in_(ECHELLES_LOCALES),
        a_une_valeur,
    )
    return sorted(str(c) for c in conn.execute(requete).scalars())


def _nb_territoires_action(conn: Connection) -> int:
    t = schema.territoire
    return int(
        conn.execute(select(func.count()).where(t.c.niveau == TERRITOIRE_ACTION)).scalar_one()
    )


def _dernier_mois_complet(
    conn: Connection, fenetre: list[str], attendus: list[str], nb_territoires: int
) -> str | None:
    """Le plus récent des mois de `fenetre` où chaque indicateur attendu couvre chaque
    territoire d'action, ou None."""
    v, t = schema.valeur, schema.territoire
    territoire_action: Any = case((t.c.niveau == CANTON, t.c.parent), else_=t.c.code)
    requete = (
        select(v.c.periode, v.c.indicateur)
        .select_from(v.join(t, t.c.code == v.c.territoire))
        .where(
            v.c.courante,
            v.c.valeur.is_not(None),
            v.c.indicateur.in_(attendus),
            v.c.periode.in_(fenetre),
            t.c.niveau.in_((CANTON, TERRITOIRE_ACTION)),
        )
        .group_by(v.c.periode, v.c.indicateur)
        .having(func.count(distinct(territoire_action)) == nb_territoires)
    )
    complets: dict[str, set[str]] = {}
    for periode, indicateur in conn.execute(requete):
        complets.setdefault(str(periode), set()).add(str(indicateur))
    for mois in reversed(fenetre):
        if complets.get(mois, set()) >= set(attendus):
            return mois
    return None


def read_derniere_periode_cantons(
    conn: Connection, *, indicateur: str, fin_max: str, perimetre: str | None = None
) -> str | None:
    """La dernière période de l'indicateur, finie au plus tard en `fin_max` (`AAAA-MM`), où au
    moins un canton (du territoire d'action `perimetre`, s'il est donné) a une valeur ; None si
    aucune. Sert la carte quand la période demandée n'a aucune valeur pour cet indicateur."""
    v, t = schema.valeur, schema.territoire
    requete = (
        select(v.c.periode)
        .join(t, t.c.code == v.c.territoire)
        .where(
            v.c.courante,
            v.c.indicateur == indicateur,
            v.c.valeur.is_not(None),
            v.c.fin <= fin_max,
            t.c.niveau == CANTON,
        )
        .order_by(v.c.fin.desc())
        .limit(1)
    )
    if perimetre is not None:
        requete = requete.where(t.c.parent == perimetre)
    periode = conn.execute(requete).scalar()
    return None if periode is None else str(periode)
