"""Schéma de la version 1 : la révision de base.

Révision 0001, la première. Le schéma que créait Pilotage avant le ticket 18 (`SCHEMA_VERSION =
1`, commit eae6abd) : écrit ici une fois pour toutes, il ne suit plus `data_access/schema.py`.
Chaque table et chaque index est créé « s'il n'existe pas » : une base neuve les reçoit tous ;
une base faite par une version d'avant Alembic, que `migrations.reconnaitre` ne sait pas marquer
(version 1, ou migration à la main interrompue), ne reçoit que ceux qui lui manquent, comme le
faisait `metadata.create_all`, sans qu'aucune ligne ne bouge. Les noms de contraintes sont ceux de
la convention de nommage de `schema.metadata`, écrits en toutes lettres.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ecart",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.Column("ou", sa.Text(), nullable=False),
        sa.Column("gravite", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_ecart")),
        if_not_exists=True,
    )
    op.create_table(
        "echec_connexion",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("identifiant", sa.String(length=64), nullable=False),
        sa.Column("quand", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_echec_connexion")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_echec_connexion__identifiant_quand"),
        "echec_connexion",
        ["identifiant", "quand"],
        unique=False,
        if_not_exists=True,
    )

    op.create_table(
        "journal",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("quand", sa.DateTime(timezone=True), nullable=False),
        sa.Column("qui", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("objet", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal")),
        if_not_exists=True,
    )
    op.create_table(
        "lot_import",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("libelle", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("fichier", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("auteur", sa.Text(), nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lignes_ajoutees", sa.Integer(), nullable=False),
        sa.Column("lignes_modifiees", sa.Integer(), nullable=False),
        sa.Column("lignes_identiques", sa.Integer(), nullable=False),
        sa.Column("statut", sa.String(length=16), nullable=False),
        sa.Column("demonstration", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lot_import")),
        if_not_exists=True,
    )
    op.create_table(
        "meta",
        sa.Column("cle", sa.String(length=64), nullable=False),
        sa.Column("valeur", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("cle", name=op.f("pk_meta")),
        if_not_exists=True,
    )
    op.create_table(
        "norme",
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("libelle", sa.Text(), nullable=False),
        sa.Column("valeur", sa.Float(), nullable=True),
        sa.Column("unite", sa.Text(), nullable=False),
        sa.Column("territoire", sa.Text(), nullable=False),
        sa.Column("texte", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_norme")),
        if_not_exists=True,
    )
    op.create_table(
        "plan",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("libelle", sa.Text(), nullable=False),
        sa.Column("debut", sa.String(length=7), nullable=False),
        sa.Column("fin", sa.String(length=7), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_plan")),
        if_not_exists=True,
    )
    op.create_table(
        "publication",
        sa.Column("mois", sa.String(length=7), nullable=False),
        sa.Column("publie_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("publie_par", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("mois", name=op.f("pk_publication")),
        if_not_exists=True,
    )
    op.create_table(
        "repere",
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("libelle", sa.Text(), nullable=False),
        sa.Column("territoire", sa.Text(), nullable=False),
        sa.Column("periode", sa.Text(), nullable=False),
        sa.Column("valeur", sa.Float(), nullable=True),
        sa.Column("unite", sa.Text(), nullable=False),
        sa.Column("texte", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("nature", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_repere")),
        if_not_exists=True,
    )
    op.create_table(
        "somme_cantons",
        sa.Column("lieu", sa.String(length=16), nullable=False),
        sa.Column("indicateur", sa.String(length=32), nullable=False),
        sa.Column("periode", sa.String(length=7), nullable=False),
        sa.Column("debut", sa.String(length=7), nullable=False),
        sa.Column("fin", sa.String(length=7), nullable=False),
        sa.Column("somme_valeur", sa.Float(), nullable=True),
        sa.Column("somme_numerateur", sa.Float(), nullable=True),
        sa.Column("somme_denominateur", sa.Float(), nullable=True),
        sa.Column("statut", sa.String(length=12), nullable=False),
        sa.Column("nb_cantons", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("lieu", "indicateur", "periode", name=op.f("pk_somme_cantons")),
        if_not_exists=True,
    )
    op.create_table(
        "zone_carte",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("libelle", sa.Text(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("geometrie", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_zone_carte")),
        if_not_exists=True,
    )
    op.create_table(
        "objectif",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("plan", sa.String(length=32), nullable=False),
        sa.Column("parent", sa.String(length=32), nullable=True),
        sa.Column("niveau", sa.String(length=16), nullable=False),
        sa.Column("libelle", sa.Text(), nullable=False),
        sa.Column("rang", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent"], ["objectif.code"], name=op.f("fk_objectif__parent__objectif")
        ),
        sa.ForeignKeyConstraint(["plan"], ["plan.code"], name=op.f("fk_objectif__plan__plan")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_objectif")),
        if_not_exists=True,
    )
    op.create_table(
        "territoire",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("libelle", sa.Text(), nullable=False),
        sa.Column("niveau", sa.String(length=20), nullable=False),
        sa.Column("parent", sa.String(length=16), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("zone_carte", sa.String(length=32), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent"], ["territoire.code"], name=op.f("fk_territoire__parent__territoire")
        ),
        sa.ForeignKeyConstraint(
            ["zone_carte"], ["zone_carte.code"], name=op.f("fk_territoire__zone_carte__zone_carte")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_territoire")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_territoire__parent"), "territoire", ["parent"], unique=False, if_not_exists=True
    )

    op.create_table(
        "action",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("objectif", sa.String(length=32), nullable=False),
        sa.Column("libelle", sa.Text(), nullable=False),
        sa.Column("leviers", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["objectif"], ["objectif.code"], name=op.f("fk_action__objectif__objectif")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_action")),
        if_not_exists=True,
    )
    op.create_table(
        "annotation",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("mois", sa.String(length=7), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("libelle", sa.Text(), nullable=False),
        sa.Column("territoire", sa.String(length=16), nullable=True),
        sa.Column("tous_indicateurs", sa.Boolean(), nullable=False),
        sa.Column("auteur", sa.Text(), nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("demonstration", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["territoire"], ["territoire.code"], name=op.f("fk_annotation__territoire__territoire")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotation")),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_annotation__mois"), "annotation", ["mois"], unique=False, if_not_exists=True
    )

    op.create_table(
        "edition",
        sa.Column("mois", sa.String(length=7), nullable=False),
        sa.Column("territoire", sa.String(length=16), nullable=False),
        sa.Column("contenu", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mois"], ["publication.mois"], name=op.f("fk_edition__mois__publication")
        ),
        sa.ForeignKeyConstraint(
            ["territoire"], ["territoire.code"], name=op.f("fk_edition__territoire__territoire")
        ),
        sa.PrimaryKeyConstraint("mois", "territoire", name=op.f("pk_edition")),
        if_not_exists=True,
    )
    op.create_table(
        "ressource",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("type", sa.String(length=12), nullable=False),
        sa.Column("objectif", sa.Text(), nullable=False),
        sa.Column("partenaire", sa.Text(), nullable=False),
        sa.Column("territoire", sa.String(length=16), nullable=False),
        sa.Column("annee", sa.Integer(), nullable=True),
        sa.Column("valeur", sa.Float(), nullable=True),
        sa.Column("unite", sa.Text(), nullable=False),
        sa.Column("texte", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("lot", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["lot"], ["lot_import.id"], name=op.f("fk_ressource__lot__lot_import")
        ),
        sa.ForeignKeyConstraint(
            ["territoire"], ["territoire.code"], name=op.f("fk_ressource__territoire__territoire")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ressource")),
        sa.UniqueConstraint("code", name=op.f("uq_ressource__code")),
        if_not_exists=True,
    )
    op.create_table(
        "indicateur",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("plan", sa.String(length=32), nullable=False),
        sa.Column("objectif", sa.String(length=32), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=True),
        sa.Column("libelle", sa.Text(), nullable=False),
        sa.Column("niveau", sa.String(length=16), nullable=False),
        sa.Column("nature", sa.String(length=16), nullable=False),
        sa.Column("unite", sa.String(length=32), nullable=False),
        sa.Column("periodicite", sa.String(length=16), nullable=True),
        sa.Column("polarite", sa.String(length=8), nullable=False),
        sa.Column("prioritaire", sa.Boolean(), nullable=False),
        sa.Column("echelle", sa.String(length=16), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("rang", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action"], ["action.code"], name=op.f("fk_indicateur__action__action")
        ),
        sa.ForeignKeyConstraint(
            ["objectif"], ["objectif.code"], name=op.f("fk_indicateur__objectif__objectif")
        ),
        sa.ForeignKeyConstraint(["plan"], ["plan.code"], name=op.f("fk_indicateur__plan__plan")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_indicateur")),
        if_not_exists=True,
    )
    op.create_table(
        "annotation_indicateur",
        sa.Column("annotation", sa.Integer(), nullable=False),
        sa.Column("indicateur", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["annotation"],
            ["annotation.id"],
            name=op.f("fk_annotation_indicateur__annotation__annotation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["indicateur"],
            ["indicateur.code"],
            name=op.f("fk_annotation_indicateur__indicateur__indicateur"),
        ),
        sa.PrimaryKeyConstraint("annotation", "indicateur", name=op.f("pk_annotation_indicateur")),
        if_not_exists=True,
    )
    op.create_table(
        "cible",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("indicateur", sa.String(length=32), nullable=False),
        sa.Column("territoire", sa.String(length=16), nullable=False),
        sa.Column("periode", sa.String(length=9), nullable=False),
        sa.Column("debut", sa.String(length=7), nullable=False),
        sa.Column("fin", sa.String(length=7), nullable=False),
        sa.Column("valeur", sa.Float(), nullable=False),
        sa.Column("valeur_reference", sa.Float(), nullable=True),
        sa.Column("unite", sa.Text(), nullable=False),
        sa.Column("libelle", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("derive", sa.Boolean(), nullable=False),
        sa.Column("lien", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicateur"], ["indicateur.code"], name=op.f("fk_cible__indicateur__indicateur")
        ),
        sa.ForeignKeyConstraint(
            ["territoire"], ["territoire.code"], name=op.f("fk_cible__territoire__territoire")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cible")),
        sa.UniqueConstraint(
            "indicateur",
            "territoire",
            "periode",
            "source",
            name=op.f("uq_cible__indicateur_territoire_periode_source"),
        ),
        if_not_exists=True,
    )
    op.create_table(
        "commentaire",
        sa.Column("mois", sa.String(length=7), nullable=False),
        sa.Column("indicateur", sa.String(length=32), nullable=False),
        sa.Column("texte", sa.Text(), nullable=False),
        sa.Column("auteur", sa.Text(), nullable=False),
        sa.Column("modifie_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("demonstration", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicateur"], ["indicateur.code"], name=op.f("fk_commentaire__indicateur__indicateur")
        ),
        sa.PrimaryKeyConstraint("mois", "indicateur", name=op.f("pk_commentaire")),
        if_not_exists=True,
    )
    op.create_table(
        "valeur",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("indicateur", sa.String(length=32), nullable=False),
        sa.Column("territoire", sa.String(length=16), nullable=False),
        sa.Column("periode", sa.String(length=7), nullable=False),
        sa.Column("debut", sa.String(length=7), nullable=False),
        sa.Column("fin", sa.String(length=7), nullable=False),
        sa.Column("valeur", sa.Float(), nullable=True),
        sa.Column("numerateur", sa.Float(), nullable=True),
        sa.Column("denominateur", sa.Float(), nullable=True),
        sa.Column("statut", sa.String(length=12), nullable=False),
        sa.Column("lot", sa.Integer(), nullable=False),
        sa.Column("courante", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicateur"], ["indicateur.code"], name=op.f("fk_valeur__indicateur__indicateur")
        ),
        sa.ForeignKeyConstraint(
            ["lot"], ["lot_import.id"], name=op.f("fk_valeur__lot__lot_import")
        ),
        sa.ForeignKeyConstraint(
            ["territoire"], ["territoire.code"], name=op.f("fk_valeur__territoire__territoire")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_valeur")),
        if_not_exists=True,
    )
    op.create_index(op.f("ix_valeur__debut"), "valeur", ["debut"], unique=False, if_not_exists=True)
    op.create_index(op.f("ix_valeur__fin"), "valeur", ["fin"], unique=False, if_not_exists=True)
    op.create_index(
        op.f("ix_valeur__indicateur_periode_courante"),
        "valeur",
        ["indicateur", "periode", "courante"],
        unique=False,
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_valeur__indicateur_territoire_courante"),
        "valeur",
        ["indicateur", "territoire", "courante"],
        unique=False,
        if_not_exists=True,
    )
    op.create_index(op.f("ix_valeur__lot"), "valeur", ["lot"], unique=False, if_not_exists=True)


def downgrade() -> None:
    # Une base ne redescend pas : on revient en arrière en restaurant la sauvegarde faite avant
    # la mise à jour (README, « Mise en production »).
    raise NotImplementedError("retour arrière : restaurer la sauvegarde d'avant la mise à jour")
