"""table session_connexion (sessions de connexion en base)

Révision 0003, après 0002 (créée le 2026-12-07 22:49:30.699327).

Pourquoi : la session de connexion vit en base (`data_access.sessions`, ticket 19) : le cookie
signé ne porte qu'un jeton de session, dont la table garde l'empreinte SHA-256 (`id`), le compte,
l'empreinte du mot de passe de la connexion, la création, la dernière activité et la révocation
(date et motif). La déconnexion, `pilotage users passwd`, `remove` et `disable` révoquent ; tous
les processus lisent la même table. Table nouvelle, vide : aucune ligne existante n'est touchée ;
les cookies d'avant, sans jeton de session, ne rouvrent plus rien (il faut se reconnecter une
fois).

Règles (README, « Architecture ») : une révision ne change que le schéma et les lignes qu'il
touche ; elle passe sur SQLite (opérations dans `op.batch_alter_table`) et PostgreSQL ; elle est
testée sur une base faite par la version précédente (`tests/data_access/test_migrations.py`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_connexion",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("identifiant", sa.String(length=64), nullable=False),
        sa.Column("empreinte_mdp", sa.String(length=64), nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("vue_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoquee_le", sa.DateTime(timezone=True), nullable=True),
        sa.Column("motif", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_connexion")),
    )
    with op.batch_alter_table("session_connexion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_connexion__identifiant"), ["identifiant"], unique=False
        )


def downgrade() -> None:
    # Une base ne redescend pas : on revient en arrière en restaurant la sauvegarde faite avant
    # la mise à jour (README, « Mise en production »).
    raise NotImplementedError("retour arrière : restaurer la sauvegarde d'avant la mise à jour")
