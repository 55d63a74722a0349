"""Commentaires de la mission de pilotage : un par indicateur et par mois.

Le comité lit, à côté de chaque indicateur « en retard », ce qui l'explique et ce qui est fait : la
publication d'un mois les exige (voir `dashboard.tableau_de_bord.editions`). Un commentaire se
réécrit tant que le mois n'est pas publié ; ensuite, l'édition garde celui qu'elle a publié.
L'appelant tient la transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from data_access import schema
from data_access.periodes import Mois

LONGUEUR_MAX = 1000


class CommentaireInvalide(ValueError):
    """Commentaire refusé : le message dit pourquoi, en français."""


def read_commentaires(conn: Connection, *, mois: str) -> dict[str, dict[str, Any]]:
    """Les commentaires du mois, par indicateur : texte, auteur, modifie_le, demonstration."""
    c = schema.commentaire
    requete = select(c.c.indicateur, c.c.texte, c.c.auteur, c.c.modifie_le, c.c.demonstration)
    lignes = conn.execute(requete.where(c.c.mois == str(Mois.parse(mois)))).mappings()
    return {str(r["indicateur"]): dict(r) for r in lignes}


def write_commentaire(
    conn: Connection, *, mois: str, indicateur: str, texte: str, auteur: str,
    demonstration: bool = False,
) -> None:  # fmt: skip
    """Écrit (ou remplace) le commentaire ; un texte vide l'efface.

    Refuse un indicateur inconnu, un texte trop long ou un mois déjà publié (l'édition a figé
    ses commentaires : en changer un ici laisserait croire qu'il a été diffusé).
    """
    code = str(Mois.parse(mois))
    propre = texte.strip()
    if len(propre) > LONGUEUR_MAX:
        raise CommentaireInvalide(
            f"Commentaire de {indicateur} trop long : {len(propre)} caractères "
            f"(au plus {LONGUEUR_MAX})."
        )
    connu = conn.execute(
        select(schema.indicateur.c.code).where(schema.indicateur.c.code == indicateur)
    ).first()
    if connu is None:
        raise CommentaireInvalide(f"Indicateur « {indicateur} » inconnu du référentiel.")
    publie = conn.execute(
        select(schema.publication.c.mois).where(schema.publication.c.mois == code)
    ).first()
    if publie is not None:
        raise CommentaireInvalide(f"Le mois {code} est publié : ses commentaires ne changent plus.")
    c = schema.commentaire
    cle = (c.c.mois == code) & (c.c.indicateur == indicateur)
    if not propre:
        conn.execute(delete(c).where(cle))
        return
    valeurs = {"texte": propre, "auteur": auteur, "modifie_le": datetime.now(UTC),
               "demonstration": demonstration}  # fmt: skip
    if conn.execute(update(c).where(cle).values(**valeurs)).rowcount == 0:
        conn.execute(insert(c).values(mois=code, indicateur=indicateur, **valeurs))
