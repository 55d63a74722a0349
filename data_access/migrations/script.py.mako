"""${message}

Révision ${up_revision}, après ${down_revision | comma,n} (créée le ${create_date}).

Pourquoi : (à écrire : ce que ce changement de schéma permet, et ce qu'il fait des lignes qui
existent déjà).

Règles (README, « Architecture ») : une révision ne change que le schéma et les lignes qu'il
touche ; elle passe sur SQLite (opérations dans `op.batch_alter_table`) et PostgreSQL ; elle est
testée sur une base faite par la version précédente (`tests/data_access/test_migrations.py`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    # Une base ne redescend pas : on revient en arrière en restaurant la sauvegarde faite avant
    # la mise à jour (README, « Mise en production »).
    raise NotImplementedError("retour arrière : restaurer la sauvegarde d'avant la mise à jour")
