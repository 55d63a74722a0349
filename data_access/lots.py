"""Lots d'import : chaque valeur entre par un lot (fichier, empreinte, auteur, date, comptes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, insert, select, update

from data_access import schema


@dataclass(frozen=True)
class Comptes:
    """Ce qu'un lot a changé : lignes ajoutées, modifiées (nouvelle version), identiques."""

    ajoutees: int = 0
    modifiees: int = 0
    identiques: int = 0


def create_lot(
    conn: Connection,
    *,
    libelle: str,
    type_: str,
    auteur: str,
    fichier: str = "",
    sha256: str = "",
    demonstration: bool = False,
) -> int:
    """Ouvre un lot et renvoie son identifiant ; l'appelant tient la transaction."""
    resultat = conn.execute(
        insert(schema.lot_import).values(
            libelle=libelle,
            type=type_,
            fichier=fichier,
            sha256=sha256,
            auteur=auteur,
            cree_le=datetime.now(UTC),
            statut="valide",
            demonstration=demonstration,
        )
    )
    cle = resultat.inserted_primary_key
    assert cle is not None  # None seulement pour une insertion sans ligne
    return int(cle[0])


def close_lot(conn: Connection, *, lot: int, comptes: Comptes) -> None:
    """Enregistre les comptes du lot une fois ses valeurs écrites."""
    conn.execute(
        update(schema.lot_import)
        .where(schema.lot_import.c.id == lot)
        .values(
            lignes_ajoutees=comptes.ajoutees,
            lignes_modifiees=comptes.modifiees,
            lignes_identiques=comptes.identiques,
        )
    )


def write_journal(
    conn: Connection, *, qui: str, action: str, objet: str = "", detail: str = ""
) -> None:
    """Trace d'audit : qui a fait quoi, quand."""
    conn.execute(
        insert(schema.journal).values(
            quand=datetime.now(UTC), qui=qui, action=action, objet=objet, detail=detail
        )
    )


def read_etat_donnees(conn: Connection) -> tuple[str | None, bool]:
    """Dernier mois couvert par une valeur en vigueur, et présence de données de démonstration.

    Sert l'en-tête de chaque page : « Données au … » et le bandeau « Données de démonstration ».
    """
    v, lot = schema.valeur, schema.lot_import
    dernier = conn.execute(select(func.max(v.c.fin)).where(v.c.courante)).scalar()
    demo = conn.execute(
        select(v.c.id)
        .join(lot, lot.c.id == v.c.lot)
        .where(v.c.courante, lot.c.demonstration)
        .limit(1)
    ).first()
    return dernier, demo is not None


def read_etendue(conn: Connection) -> tuple[str | None, str | None]:
    """Premier et dernier mois couverts par les valeurs en vigueur (None, None sans données)."""
    v = schema.valeur
    debut, fin = conn.execute(
        select(func.min(v.c.debut), func.max(v.c.fin)).where(v.c.courante)
    ).one()
    return debut, fin
