"""Table ressource_precedente : état d'avant des moyens qu'un import touche

Révision 0004, après 0003 (créée le 2026-12-07 23:38:28.853117).

Pourquoi : un import de moyens (page Import, `pilotage import-ressources`) met une ressource à jour
en place ; pour que l'annulation de son lot la rende à l'identique, il garde l'état d'avant de
chaque ligne qu'il touche. Table neuve : aucune ligne existante n'est touchée.

Règles (README, « Architecture ») : une révision ne change que le schéma et les lignes qu'il
touche ; elle passe sur SQLite (opérations dans `op.batch_alter_table`) et PostgreSQL ; elle est
testée sur une base faite par la version précédente (`tests/data_access/test_migrations.py`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ressource_precedente",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("lot", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("etat", sa.String(length=12), nullable=False),
        sa.Column("type", sa.String(length=12), nullable=True),
        sa.Column("objectif", sa.Text(), nullable=True),
        sa.Column("partenaire", sa.Text(), nullable=True),
        sa.Column("territoire", sa.Text(), nullable=True),
        sa.Column("annee", sa.Integer(), nullable=True),
        sa.Column("valeur", sa.Float(), nullable=True),
        sa.Column("unite", sa.Text(), nullable=True),
        sa.Column("texte", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("lot_precedent", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["lot"], ["lot_import.id"], name=op.f("fk_ressource_precedente__lot__lot_import")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ressource_precedente")),
    )
    with op.batch_alter_table("ressource_precedente", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ressource_precedente__lot"), ["lot"], unique=False)


def downgrade() -> None:
    # Une base ne redescend pas : on revient en arrière en restaurant la sauvegarde faite avant
    # la mise à jour (README, « Mise en production »).
    raise NotImplementedError("retour arrière : restaurer la sauvegarde d'avant la mise à jour")
