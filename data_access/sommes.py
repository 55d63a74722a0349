"""Sommes des cantons par territoire d'action et par département, tenues à l'écriture.

Pourquoi : la progression d'un département agrégeait à chaque lecture toutes les valeurs de ses
cantons (330 000 valeurs et 0,6 s à l'échelle de la France, bench/NOTES_ECHELLE.md). Ces sommes
ne changent qu'avec les valeurs : elles sont calculées une fois, dans la transaction même de
l'écriture (import, démonstration, annulation, jeu à l'échelle), si bien qu'une lecture voit
toujours les sommes du même lot que les valeurs, jamais un mélange.

Invariant, vérifié par les tests sur SQLite et PostgreSQL : chaque ligne de `somme_cantons` est
exactement l'agrégat des valeurs en vigueur des cantons de son lieu, ce que `rebuild` recalcule
en entier. `refresh` ne recalcule que les lieux, indicateurs et périodes qu'une écriture touche
(leur produit croisé : un peu plus que nécessaire, jamais moins).

Lieux : un territoire d'action (ses cantons) et le parent d'un territoire d'action, le
département (les cantons de tous ses territoires d'action, comme `progression` les additionnait).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, delete, func, insert, select

from data_access import schema

CANTON, TERRITOIRE_ACTION = "canton", "territoire_action"
_NIVEAUX = (TERRITOIRE_ACTION, "departement")
_COLONNES = ["indicateur", "lieu", "periode", "debut", "fin", "somme_valeur", "somme_numerateur",
             "somme_denominateur", "statut", "nb_cantons"]  # fmt: skip


def _inserer(
    conn: Connection,
    niveau: str,
    *,
    codes: list[str] | None = None,
    mois: list[str] | None = None,
    lieux: list[str] | None = None,
) -> None:
    """INSERT … SELECT des sommes d'un niveau (« territoire_action » ou « departement »),
    restreint aux indicateurs, périodes et lieux donnés (tous si None)."""
    v = schema.valeur
    canton, ta = schema.territoire.alias("canton"), schema.territoire.alias("ta")
    lieu = ta.c.code if niveau == TERRITOIRE_ACTION else ta.c.parent
    filtres = [lieu.is_not(None)]
    if codes is not None:
        filtres.append(v.c.indicateur.in_(codes))
    if mois is not None:
        filtres.append(v.c.periode.in_(mois))
    if lieux is not None:
        filtres.append(lieu.in_(lieux))
    requete = (
        select(
            v.c.indicateur, lieu, v.c.periode, v.c.debut, v.c.fin,
            func.sum(v.c.valeur), func.sum(v.c.numerateur), func.sum(v.c.denominateur),
            func.max(v.c.statut),  # « provisoire » > « definitif »
            func.count(),
        )
        .select_from(
            v.join(canton, canton.c.code == v.c.territoire).join(ta, ta.c.code == canton.c.parent)
        )
        .where(v.c.courante, canton.c.niveau == CANTON, ta.c.niveau == TERRITOIRE_ACTION, *filtres)
        .group_by(v.c.indicateur, lieu, v.c.periode, v.c.debut, v.c.fin)
        # Écrites dans l'ordre de la clé : les sommes d'un lieu se suivent sur le disque, et sa
        # lecture touche une centaine de pages au lieu d'une par ligne (7 300 pour un
        # département à l'échelle de la France, 52 ms au lieu de quelques-unes).
        .order_by(lieu, v.c.indicateur, v.c.periode)
    )  # fmt: skip
    conn.execute(insert(schema.somme_cantons).from_select(_COLONNES, requete))


def rebuild(conn: Connection) -> None:
    """Recalcule toutes les sommes (jeu à l'échelle chargé, rattachement des cantons changé)."""
    conn.execute(delete(schema.somme_cantons))
    for niveau in _NIVEAUX:
        _inserer(conn, niveau)


def signature_territoires(conn: Connection) -> set[tuple[str, str, str | None]]:
    """(code, niveau, parent) des cantons et territoires d'action : ce dont les sommes dépendent
    hors des valeurs. `referentiel.init` la compare avant et après le chargement."""
    t = schema.territoire
    requete = select(t.c.code, t.c.niveau, t.c.parent).where(
        t.c.niveau.in_((CANTON, TERRITOIRE_ACTION))
    )
    return {(r[0], r[1], r[2]) for r in conn.execute(requete)}


def _lieux(conn: Connection, territoires: Collection[str]) -> list[str]:
    """Territoires d'action et départements au-dessus de ces territoires (cantons seulement)."""
    rangs = signature_territoires(conn)
    parents = {code: parent for code, _, parent in rangs}
    niveaux = {code: niveau for code, niveau, _ in rangs}
    lieux: set[str] = set()
    for code in territoires:
        ta = parents.get(code) if niveaux.get(code) == CANTON else None
        if ta is not None and niveaux.get(ta) == TERRITOIRE_ACTION:
            lieux.add(ta)
            if parents.get(ta) is not None:
                lieux.add(str(parents[ta]))
    return sorted(lieux)


def refresh(
    conn: Connection,
    *,
    indicateurs: Collection[str],
    territoires: Collection[str],
    periodes: Collection[str],
) -> None:
    """Recalcule les sommes que des valeurs de ces indicateurs, territoires et périodes (codes
    canoniques) alimentent ; à appeler dans la transaction qui a écrit ces valeurs."""
    lieux = _lieux(conn, territoires)
    if not lieux or not indicateurs or not periodes:
        return
    s = schema.somme_cantons
    codes, mois = sorted(indicateurs), sorted(periodes)
    conn.execute(
        delete(s).where(s.c.indicateur.in_(codes), s.c.periode.in_(mois), s.c.lieu.in_(lieux))
    )
    for niveau in _NIVEAUX:
        _inserer(conn, niveau, codes=codes, mois=mois, lieux=lieux)


def refresh_lot(conn: Connection, *, lot: int) -> None:
    """`refresh` pour toutes les clés qu'un lot a écrites (après son annulation)."""
    v = schema.valeur
    cles = conn.execute(
        select(v.c.indicateur, v.c.territoire, v.c.periode).where(v.c.lot == lot).distinct()
    ).all()
    refresh(
        conn,
        indicateurs={c[0] for c in cles},
        territoires={c[1] for c in cles},
        periodes={c[2] for c in cles},
    )
