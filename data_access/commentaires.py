"""Commentaires de la mission de pilotage : un par mois, indicateur et territoire.

Le comité lit, à côté de chaque indicateur « en retard », ce qui l'explique et ce qui est fait : la
publication d'un mois les exige (voir `dashboard.tableau_de_bord.editions`). Un retard s'explique
là où il a lieu : un commentaire appartient à un territoire qui a un tableau de bord (le
département ou un territoire d'action) et ne s'imprime que dans le tableau de ce territoire ; écrit
parce que le Nord est en retard, il ne doit pas se lire dans le tableau du Bas-Rhin à côté de « en
avance ». Un commentaire se réécrit tant que le mois n'est pas publié ; ensuite, l'édition garde
celui qu'elle a publié. L'appelant tient la transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, MetaData, Table, delete, insert, inspect, select, update

from data_access import droits, schema
from data_access.droits import Acteur, Droit
from data_access.periodes import Mois
from data_access.territoires import DEPARTEMENT

LONGUEUR_MAX = 1000
NIVEAUX_COMMENTES = ("departement", "territoire_action")
"""Les niveaux qui ont un tableau de bord, donc des commentaires."""


class CommentaireInvalide(ValueError):
    """Commentaire refusé : le message dit pourquoi, en français."""


def read_commentaires(conn: Connection, *, mois: str, territoire: str) -> dict[str, dict[str, Any]]:
    """Les commentaires du mois pour ce territoire, par indicateur : texte, auteur, modifie_le,
    demonstration. Ceux des autres territoires n'y sont jamais."""
    c = schema.commentaire
    requete = select(c.c.indicateur, c.c.texte, c.c.auteur, c.c.modifie_le, c.c.demonstration)
    requete = requete.where((c.c.mois == str(Mois.parse(mois))) & (c.c.territoire == territoire))
    return {str(r["indicateur"]): dict(r) for r in conn.execute(requete).mappings()}


def _verifier(conn: Connection, *, code: str, indicateur: str, territoire: str) -> None:
    """Refuse un indicateur inconnu, un territoire sans tableau de bord ou un mois publié."""
    connu = conn.execute(
        select(schema.indicateur.c.code).where(schema.indicateur.c.code == indicateur)
    ).first()
    if connu is None:
        raise CommentaireInvalide(f"Indicateur « {indicateur} » inconnu du référentiel.")
    t = schema.territoire
    niveau = conn.execute(select(t.c.niveau).where(t.c.code == territoire)).scalar_one_or_none()
    if niveau not in NIVEAUX_COMMENTES:
        raise CommentaireInvalide(
            f"Territoire « {territoire} » sans tableau de bord : un commentaire se rattache au "
            "département ou à un territoire d'action."
        )
    publie = conn.execute(
        select(schema.publication.c.mois).where(schema.publication.c.mois == code)
    ).first()
    if publie is not None:
        raise CommentaireInvalide(f"Le mois {code} est publié : ses commentaires ne changent plus.")


def write_commentaire(
    conn: Connection, *, mois: str, indicateur: str, territoire: str, texte: str, acteur: Acteur,
    demonstration: bool = False,
) -> None:  # fmt: skip
    """Écrit (ou remplace) le commentaire de l'indicateur dans ce territoire ; un texte vide
    l'efface.

    Refuse un indicateur inconnu, un territoire sans tableau de bord, un texte trop long ou un
    mois déjà publié (l'édition a figé ses commentaires : en changer un ici laisserait croire
    qu'il a été diffusé). `acteur` doit pouvoir commenter dans ce territoire (DroitRefuse
    sinon) ; son identifiant signe le commentaire.
    """
    droits.exiger(acteur, Droit.COMMENTER, conn=conn, lieux=[territoire])
    code = str(Mois.parse(mois))
    propre = texte.strip()
    if len(propre) > LONGUEUR_MAX:
        raise CommentaireInvalide(
            f"Commentaire de {indicateur} ({territoire}) trop long : {len(propre)} caractères "
            f"(au plus {LONGUEUR_MAX})."
        )
    _verifier(conn, code=code, indicateur=indicateur, territoire=territoire)
    c = schema.commentaire
    cle = (c.c.mois == code) & (c.c.indicateur == indicateur) & (c.c.territoire == territoire)
    if not propre:
        conn.execute(delete(c).where(cle))
        return
    valeurs = {"texte": propre, "auteur": acteur.identifiant, "modifie_le": datetime.now(UTC),
               "demonstration": demonstration}  # fmt: skip
    if conn.execute(update(c).where(cle).values(**valeurs)).rowcount == 0:
        conn.execute(
            insert(c).values(mois=code, indicateur=indicateur, territoire=territoire, **valeurs)
        )


# --- Migration d'une base d'avant le territoire -------------------------------------------

TABLE_SANS_TERRITOIRE = "commentaire_sans_territoire"
"""La table `commentaire` d'une base de la version 1 (clé mois × indicateur), mise de côté par
la révision 0002 (`data_access/migrations/versions/`) le temps de recopier ses lignes. La copie
ne peut pas se faire dans la révision : elle demande le référentiel rechargé et la règle de la
publication. Une copie interrompue reprend au `pilotage init` suivant."""

RetardsDuMois = Callable[[Connection, str], Mapping[str, Sequence[str]]]
"""Pour un mois (AAAA-MM), les territoires où chaque indicateur est en retard. Fourni par
l'appelant (`dashboard.tableau_de_bord.editions.retards_du_mois`) : c'est la règle de la
publication, que la couche de données ne calcule pas."""


def migrate_sans_territoire(conn: Connection, retards: RetardsDuMois | None) -> int:
    """Recopie chaque commentaire mis de côté dans chaque territoire où son indicateur était en
    retard ce mois-là (selon `retards`), puis efface la table mise de côté ; rend le nombre de
    commentaires écrits.

    Là où l'indicateur n'était en retard nulle part (retard résorbé par une révision, commentaire
    écrit d'avance), ou sans `retards`, le commentaire va au département : son texte n'est
    jamais perdu, et le tableau du département est celui qui parle de tout le Bas-Rhin.
    """
    if not inspect(conn).has_table(TABLE_SANS_TERRITOIRE):
        return 0
    ancienne = Table(TABLE_SANS_TERRITOIRE, MetaData(), autoload_with=conn)
    colonnes = ("mois", "indicateur", "texte", "auteur", "modifie_le", "demonstration")
    lignes = conn.execute(select(*(ancienne.c[nom] for nom in colonnes))).mappings().all()
    juges: dict[str, Mapping[str, Sequence[str]]] = {}
    nouvelles = []
    for ligne in lignes:
        mois = str(ligne["mois"])
        if mois not in juges:
            juges[mois] = retards(conn, mois) if retards is not None else {}
        for territoire in juges[mois].get(str(ligne["indicateur"])) or (DEPARTEMENT,):
            nouvelles.append({**ligne, "territoire": territoire})
    if nouvelles:
        conn.execute(insert(schema.commentaire), nouvelles)
    ancienne.drop(conn)
    return len(nouvelles)
