"""Environnement d'Alembic : lancé par `data_access.migrations` à chaque montée ou génération.

Il n'ouvre jamais de connexion : `data_access.migrations` lui passe la sienne
(`config.attributes["connexion"]`), déjà réglée pour la base (SQLite : transactions explicites,
clés étrangères suspendues). Chaque révision a sa transaction (`transaction_per_migration`) :
une révision qui échoue est annulée entière, les précédentes restent acquises. Le mode batch
(`render_as_batch`) fait écrire à la génération des modifications de table que SQLite sait
appliquer (recopie de la table quand il ne sait pas modifier une colonne).
"""

from __future__ import annotations

from alembic import context

from data_access.migrations import options_contexte

context.configure(**options_contexte(context.config))
with context.begin_transaction():
    context.run_migrations()
