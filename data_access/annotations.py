"""Événements datés tracés sur les courbes : nouvelle convention, changement de définition,
fermeture d'un service, incident de données.

Un événement concerne un indicateur, plusieurs, ou tous, et un territoire (ou partout). Il
s'applique à la vue d'un territoire V quand son territoire est vide (partout), est V, ou est un
ancêtre de V : un événement du territoire NORD se voit sur NORD et sur ses cantons, celui d'un
canton sur ce canton seulement, et la vue du département ne montre que les événements de
partout ou du département. L'appelant tient la transaction.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, delete, exists, insert, or_, select

from config.settings import DOSSIER_CONFIG
from data_access import droits, schema
from data_access.droits import Acteur, Droit
from data_access.periodes import Mois, PeriodeInvalide
from data_access.territoires import DEPARTEMENT

TYPES = {
    "convention": "Nouvelle convention",
    "definition": "Changement de définition",
    "fermeture": "Fermeture d'un service",
    "incident": "Incident de données",
}
LIBELLE_MAX = 200
TOUS = "tous les indicateurs"
PARTOUT = "Partout"
FICHIER_DEMO = DOSSIER_CONFIG / "demo" / "annotations.toml"
AUTEUR_DEMO = "Données de démonstration"
MARQUE_DEMO = "(démonstration)"
_PREFIXES_NIVEAU = {"territoire_action": "Territoire ", "canton": "Canton "}

COLONNES_ANNOTATIONS = {
    "id": "int64",
    "mois": "string",  # AAAA-MM
    "type": "string",  # code de TYPES
    "libelle_type": "string",  # « Changement de définition »…
    "libelle": "string",
    "territoire": "string",  # code, <NA> : partout
    "libelle_territoire": "string",  # « Territoire Nord », « Canton Haguenau », « Partout »
    "tous_indicateurs": "bool",
    "indicateurs": "string",  # « tous les indicateurs » ou les codes séparés par « , »
    "auteur": "string",
    "cree_le": "datetime64[us, UTC]",
    "demonstration": "bool",
}


class AnnotationInvalide(ValueError):
    """Un événement refusé : le message dit pourquoi, en français."""


def _valider(
    conn: Connection,
    *,
    mois: str,
    type_: str,
    libelle: str,
    indicateurs: Sequence[str] | None,
    territoire: str | None,
) -> tuple[str, str, list[str] | None]:
    """Le mois normalisé, le libellé nettoyé et les codes d'indicateurs (None : tous)."""
    try:
        code_mois = str(Mois.parse(mois))
    except PeriodeInvalide as exc:
        raise AnnotationInvalide(str(exc)) from exc
    if type_ not in TYPES:
        permis = ", ".join(TYPES)
        raise AnnotationInvalide(f"type d'événement inconnu : « {type_} » (permis : {permis})")
    texte = libelle.strip()
    if not texte:
        raise AnnotationInvalide("le libellé de l'événement est vide")
    if len(texte) > LIBELLE_MAX:
        raise AnnotationInvalide(f"le libellé fait {len(texte)} caractères ({LIBELLE_MAX} au plus)")
    codes = None if indicateurs is None else list(dict.fromkeys(indicateurs))
    if codes is not None:
        _verifier_indicateurs(conn, codes)
    if territoire is not None:
        _verifier_territoire(conn, territoire)
    return code_mois, texte, codes


def _verifier_indicateurs(conn: Connection, codes: list[str]) -> None:
    if not codes:
        raise AnnotationInvalide("choisissez au moins un indicateur (ou « tous »)")
    i = schema.indicateur
    connus = set(conn.execute(select(i.c.code).where(i.c.code.in_(codes))).scalars())
    inconnus = [c for c in codes if c not in connus]
    if inconnus:
        raise AnnotationInvalide(f"indicateur(s) inconnu(s) : {', '.join(inconnus)}")


def _verifier_territoire(conn: Connection, territoire: str) -> None:
    t = schema.territoire
    niveau = conn.execute(select(t.c.niveau).where(t.c.code == territoire)).scalar_one_or_none()
    if niveau is None or niveau == "commune":
        raise AnnotationInvalide(
            f"territoire inconnu : « {territoire} » (département, territoire d'action ou canton)"
        )


def add_annotation(
    conn: Connection,
    *,
    mois: str,
    type: str,
    libelle: str,
    indicateurs: Sequence[str] | None,
    territoire: str | None,
    acteur: Acteur,
    demonstration: bool = False,
) -> int:
    """Enregistre un événement et rend son identifiant ; lève AnnotationInvalide.

    `indicateurs` None : l'événement concerne tous les indicateurs, y compris ceux ajoutés
    plus tard. `territoire` None : partout (le département). `acteur` doit pouvoir annoter ce
    territoire (DroitRefuse sinon) ; son identifiant signe l'événement.
    """
    droits.exiger(acteur, Droit.ANNOTER, conn=conn, lieux=[territoire or DEPARTEMENT])
    code_mois, texte, codes = _valider(conn, mois=mois, type_=type, libelle=libelle,
                                       indicateurs=indicateurs, territoire=territoire)  # fmt: skip
    a = schema.annotation
    resultat = conn.execute(
        insert(a).values(mois=code_mois, type=type, libelle=texte, territoire=territoire,
                         tous_indicateurs=codes is None, auteur=acteur.identifiant,
                         cree_le=datetime.now(UTC), demonstration=demonstration)
    )  # fmt: skip
    cle = resultat.inserted_primary_key
    assert cle is not None  # None seulement pour une insertion sans ligne
    nouveau = int(cle[0])
    if codes:
        conn.execute(
            insert(schema.annotation_indicateur),
            [{"annotation": nouveau, "indicateur": c} for c in codes],
        )
    return nouveau


def delete_annotation(conn: Connection, id: int, *, acteur: Acteur) -> None:
    """Supprime un événement et ses liens aux indicateurs ; lève AnnotationInvalide s'il
    n'existe pas (déjà supprimé par quelqu'un d'autre, par exemple), DroitRefuse si `acteur`
    ne peut pas annoter son territoire."""
    droits.exiger(acteur, Droit.ANNOTER)
    a = schema.annotation
    trouve = conn.execute(select(a.c.territoire).where(a.c.id == id)).first()
    if trouve is None:
        raise AnnotationInvalide(f"événement introuvable : n° {id} (déjà supprimé ?)")
    droits.exiger(acteur, Droit.ANNOTER, conn=conn, lieux=[trouve.territoire or DEPARTEMENT])
    # La cascade de la clé étrangère suffirait ; explicite, la suppression ne dépend pas d'elle.
    ai = schema.annotation_indicateur
    conn.execute(delete(ai).where(ai.c.annotation == id))
    conn.execute(delete(a).where(a.c.id == id))


def _vues(conn: Connection, territoire: str | Sequence[str]) -> set[str]:
    """Les territoires dont les événements s'appliquent : chaque vue et ses ancêtres."""
    t = schema.territoire
    parents = dict(conn.execute(select(t.c.code, t.c.parent).where(t.c.niveau != "commune")).all())
    departs = [territoire] if isinstance(territoire, str) else list(territoire)
    vues: set[str] = set()
    for depart in departs:
        courant: str | None = depart
        while courant is not None and courant not in vues:
            vues.add(courant)
            courant = parents.get(courant)
    return vues


def read_annotations(
    conn: Connection,
    *,
    indicateur: str | None = None,
    territoire: str | Sequence[str] | None = None,
    debut: str | None = None,
    fin: str | None = None,
) -> pd.DataFrame:
    """Les événements par mois croissant (colonnes `COLONNES_ANNOTATIONS`).

    `indicateur` : ceux qui le concernent (lui nommément, ou tous). `territoire` : ceux qui
    s'appliquent à la vue de ce territoire (voir le module) ; plusieurs codes (les cantons
    d'une zone de la carte) : à l'un d'eux au moins. `debut`, `fin` : mois AAAA-MM inclus.
    """
    a, ai, t = schema.annotation, schema.annotation_indicateur, schema.territoire
    requete = (
        select(a, t.c.libelle.label("nom_territoire"), t.c.niveau)
        .select_from(a.outerjoin(t, a.c.territoire == t.c.code))
        .order_by(a.c.mois, a.c.id)
    )
    if indicateur is not None:
        nommement = exists().where(ai.c.annotation == a.c.id, ai.c.indicateur == indicateur)
        requete = requete.where(or_(a.c.tous_indicateurs, nommement))
    if territoire is not None:
        vues = sorted(_vues(conn, territoire))
        requete = requete.where(or_(a.c.territoire.is_(None), a.c.territoire.in_(vues)))
    if debut is not None:
        requete = requete.where(a.c.mois >= str(Mois.parse(debut)))
    if fin is not None:
        requete = requete.where(a.c.mois <= str(Mois.parse(fin)))
    lignes = conn.execute(requete).all()
    codes = _codes_indicateurs(conn, [r.id for r in lignes if not r.tous_indicateurs])
    cadre = pd.DataFrame(
        [(r.id, r.mois, r.type, TYPES.get(r.type, r.type), r.libelle, r.territoire,
          _libelle_territoire(r.nom_territoire, r.niveau), bool(r.tous_indicateurs),
          TOUS if r.tous_indicateurs else ", ".join(codes.get(r.id, [])), r.auteur,
          _utc(r.cree_le), bool(r.demonstration)) for r in lignes],
        columns=list(COLONNES_ANNOTATIONS),
    )  # fmt: skip
    cadre["cree_le"] = pd.to_datetime(cadre["cree_le"], utc=True)
    return cadre.astype(COLONNES_ANNOTATIONS)


def _codes_indicateurs(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    if not ids:
        return {}
    ai = schema.annotation_indicateur
    requete = (
        select(ai.c.annotation, ai.c.indicateur)
        .where(ai.c.annotation.in_(ids))
        .order_by(ai.c.annotation, ai.c.indicateur)
    )
    codes: dict[int, list[str]] = {}
    for annotation, indicateur in conn.execute(requete):
        codes.setdefault(int(annotation), []).append(str(indicateur))
    return codes


def _libelle_territoire(nom: str | None, niveau: str | None) -> str:
    if nom is None:
        return PARTOUT
    return f"{_PREFIXES_NIVEAU.get(niveau or '', '')}{nom}"


def _utc(quand: datetime) -> datetime:
    """SQLite rend des dates sans fuseau : elles ont été écrites en UTC."""
    return quand if quand.tzinfo else quand.replace(tzinfo=UTC)


def add_annotations_demo(conn: Connection, *, fichier: Path = FICHIER_DEMO) -> int:
    """Remplace les événements de démonstration par ceux de `config/demo/annotations.toml` ;
    rend leur nombre. Écrits par `pilotage demo`, administrateur local, sous le nom
    « Données de démonstration ».

    Marqués `demonstration` et, dans leur libellé même, « (démonstration) » : on ne les prend
    jamais pour des faits. Relancer `pilotage demo` ne les double pas.
    """
    with fichier.open("rb") as f:
        evenements = tomllib.load(f).get("evenement", [])
    a, acteur = schema.annotation, droits.administrateur_local(AUTEUR_DEMO)
    for ancien in conn.execute(select(a.c.id).where(a.c.demonstration)).scalars().all():
        delete_annotation(conn, int(ancien), acteur=acteur)
    for evenement in evenements:
        libelle = str(evenement["libelle"]).strip()
        if MARQUE_DEMO not in libelle:
            libelle = f"{libelle} {MARQUE_DEMO}"
        indicateurs = evenement.get("indicateurs")
        add_annotation(
            conn, mois=str(evenement["mois"]), type=str(evenement["type"]), libelle=libelle,
            indicateurs=None if indicateurs is None else [str(c) for c in indicateurs],
            territoire=evenement.get("territoire"), acteur=acteur, demonstration=True,
        )  # fmt: skip
    return len(evenements)
