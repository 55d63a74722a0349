"""Migrations versionnées du schéma, avec Alembic (l'outil de migration de SQLAlchemy).

Chaque changement de schéma est une révision de `versions/`, numérotée dans l'ordre (0001,
0002…) ; la base retient la sienne (table `alembic_version`), et `pilotage init` applique celles
qui lui manquent, une transaction par révision, en disant lesquelles. Une base neuve est créée
par les révisions elles-mêmes (pas par `metadata.create_all` suivi d'un marquage) : il n'y a
qu'un chemin pour faire un schéma, celui que suivent aussi les bases en production, et chaque
base de test le parcourt. `tests/data_access/test_migrations.py` vérifie qu'il aboutit au schéma
déclaré dans `data_access.schema` (aucune modification de schéma sans révision).

Une base créée avant Alembic (sans `alembic_version`) est reconnue à son schéma : celle de la
version 2 (cibles avec nature et règle, commentaires par territoire) est marquée à la révision
0002 ; celle de la version 1, ou une base laissée à mi-chemin par l'ancienne migration à la
main, repasse par la révision de base (qui ne crée que les tables qui lui manquent) puis par
0002 (qui ne fait que ce qui manque).

Nouvelle révision : `python -m data_access.migrations nouvelle "message"` (voir `__main__`).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext, MigrationInfo
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, create_engine, event, inspect

from data_access import schema

REPERTOIRE = Path(__file__).resolve().parent
REVISION_VERSION_2 = "0002"
"""Le schéma de la dernière version d'avant Alembic (`SCHEMA_VERSION = 2`)."""


class MigrationImpossible(RuntimeError):
    """La base ne peut pas être montée ici ; le message dit quoi faire, en français."""


@dataclass(frozen=True)
class RevisionAppliquee:
    """Une révision passée sur la base : son numéro et sa première ligne."""

    revision: str
    message: str


@dataclass(frozen=True)
class Rapport:
    """Ce qu'une montée a fait : la révision reconnue d'une base d'avant Alembic (sinon None),
    les révisions appliquées dans l'ordre, la révision où la base se trouve ensuite."""

    reconnue: str | None
    appliquees: tuple[RevisionAppliquee, ...]
    revision: str | None


def config(connexion: Connection | None = None, metadata: MetaData | None = None) -> Config:
    """La configuration d'Alembic du projet, écrite ici plutôt que dans un `alembic.ini` : les
    révisions voyagent avec le paquet installé, et la base est toujours celle de l'appelant."""
    # `quiet` : Alembic n'écrit rien à l'écran (ses messages sont en anglais) ; ce qui a été
    # fait, l'appelant le dit en français.
    cfg = Config(cmd_opts=argparse.Namespace(quiet=True))
    cfg.set_main_option("script_location", str(REPERTOIRE))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    cfg.set_main_option("truncate_slug_length", "40")
    cfg.attributes["connexion"] = connexion
    cfg.attributes["metadata"] = metadata if metadata is not None else schema.metadata
    cfg.attributes["appliquees"] = []
    return cfg


def scripts() -> ScriptDirectory:
    """Les révisions du paquet."""
    return ScriptDirectory.from_config(config())


def tete() -> str:
    """La dernière révision (une seule tête : les révisions forment une suite, pas un arbre)."""
    tetes = scripts().get_heads()
    if len(tetes) != 1:
        raise MigrationImpossible(f"plusieurs révisions de tête ({', '.join(tetes)}) : fusionnez")
    return tetes[0]


def options_contexte(cfg: Config) -> dict[str, Any]:
    """Les options de `context.configure` (lues par `env.py`)."""
    connexion = cfg.attributes.get("connexion")
    if connexion is None:
        raise MigrationImpossible(
            "les migrations se lancent par « pilotage init » (ou « python -m "
            "data_access.migrations »), qui leur donne la base du réglage PILOTAGE_DATABASE_URL"
        )
    appliquees: list[RevisionAppliquee] = cfg.attributes["appliquees"]

    def noter(*, ctx: MigrationContext, step: MigrationInfo, **_: Any) -> None:
        """Appelé dans la transaction de chaque révision, après elle : sur SQLite, les clés
        étrangères suspendues pendant la révision sont vérifiées avant qu'elle soit validée."""
        if ctx.dialect.name == "sqlite":
            _verifier_cles_etrangeres(connexion, str(step.up_revision_id))
        appliquees.append(
            RevisionAppliquee(str(step.up_revision_id), getattr(step.up_revision, "doc", ""))
        )

    return {
        "connection": connexion,
        "target_metadata": cfg.attributes["metadata"],
        "render_as_batch": True,
        "transaction_per_migration": True,
        "compare_type": True,
        "on_version_apply": noter,
    }


def _verifier_cles_etrangeres(conn: Connection, revision: str) -> None:
    """Refuse une révision qui laisserait une ligne pointer vers rien (SQLite ne le vérifie
    pas de lui-même quand les clés étrangères sont suspendues)."""
    orphelines = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    if orphelines:
        tables = sorted({str(ligne[0]) for ligne in orphelines})
        raise MigrationImpossible(
            f"la révision {revision} laisse {len(orphelines)} ligne(s) sans leur référence "
            f"(tables {', '.join(tables)}) : elle est annulée"
        )


def revision_actuelle(conn: Connection) -> str | None:
    """La révision de la base (None : base neuve, ou d'avant Alembic)."""
    return MigrationContext.configure(conn).get_current_revision()


def _colonnes(conn: Connection, table: str) -> set[str]:
    inspecteur = inspect(conn)
    if not inspecteur.has_table(table):
        return set()
    return {c["name"] for c in inspecteur.get_columns(table)}


def reconnaitre(conn: Connection) -> str | None:
    """Marque une base d'avant Alembic à la révision de son schéma ; rend cette révision.

    Rien à faire pour une base qui a déjà sa révision, ni pour une base neuve. Une base de la
    version 2 complète (ses deux changements faits) est marquée 0002 ; une autre (version 1, ou
    migration à la main interrompue) n'est pas marquée : la révision de base puis 0002 ne font
    que ce qui lui manque.
    """
    inspecteur = inspect(conn)
    if inspecteur.has_table("alembic_version"):
        return None
    if not set(inspecteur.get_table_names()) & set(schema.metadata.tables):
        return None
    version_2 = {"nature", "regle"} <= _colonnes(conn, "cible") and "territoire" in _colonnes(
        conn, "commentaire"
    )
    if not version_2:
        return None
    MigrationContext.configure(conn).stamp(scripts(), REVISION_VERSION_2)
    return REVISION_VERSION_2


def _base_neuve(conn: Connection) -> bool:
    return not set(inspect(conn).get_table_names()) & set(schema.metadata.tables)


def _monter(conn: Connection) -> tuple[RevisionAppliquee, ...]:
    """Applique avec `conn` les révisions qui manquent ; les rend dans l'ordre."""
    cfg = config(conn)
    command.upgrade(cfg, "head")
    return tuple(cfg.attributes["appliquees"])


def _moteur_de_migration(eng: Engine) -> Engine:
    """Le moteur des migrations : celui de l'application pour PostgreSQL (DDL transactionnel) ;
    pour SQLite, un moteur à part où SQLAlchemy ouvre lui-même chaque transaction (le pilote
    sqlite3 n'en ouvre pas avant un CREATE ou un ALTER, qui seraient validés un à un) et où les
    clés étrangères sont suspendues : le mode batch recrée une table en la recopiant, et
    supprimer l'ancienne supprimerait en cascade les lignes qui la citent. Elles sont vérifiées
    à la fin de chaque révision (`_verifier_cles_etrangeres`)."""
    if eng.dialect.name != "sqlite":
        return eng
    moteur = create_engine(eng.url)

    @event.listens_for(moteur, "connect")
    def _connexion(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        curseur = dbapi_connection.cursor()
        curseur.execute("PRAGMA foreign_keys=OFF")
        curseur.execute("PRAGMA busy_timeout=5000")
        curseur.close()

    @event.listens_for(moteur, "begin")
    def _debut(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return moteur


def upgrade(eng: Engine) -> Rapport:
    """Monte la base à la dernière révision, une transaction par révision : ce que fait
    `pilotage init` avant de recharger le référentiel. Une révision qui échoue est annulée
    (les précédentes restent) ; une relance reprend à la suivante."""
    moteur = _moteur_de_migration(eng)
    try:
        with moteur.begin() as conn:
            reconnue = reconnaitre(conn)
        with moteur.connect() as conn:
            appliquees = _monter(conn)
            conn.commit()
        with moteur.connect() as conn:
            revision = revision_actuelle(conn)
    finally:
        if moteur is not eng:
            moteur.dispose()
    return Rapport(reconnue=reconnue, appliquees=appliquees, revision=revision)


def upgrade_dans(conn: Connection) -> tuple[RevisionAppliquee, ...]:
    """Dans la transaction de l'appelant : crée le schéma d'une base neuve par les révisions,
    reconnaît une base d'avant Alembic, ne fait rien à une base à jour (`referentiel.init`).

    Une base existante en retard sur les révisions est refusée : sa montée se fait par
    `pilotage init` (`upgrade`), une transaction par révision et, sur SQLite, les clés
    étrangères suspendues le temps qu'une table soit recopiée.
    """
    neuve = _base_neuve(conn)
    reconnaitre(conn)
    if not neuve and revision_actuelle(conn) != tete():
        raise MigrationImpossible(
            "la base date d'une version antérieure : lancez « pilotage init », qui la met à jour"
        )
    if neuve:
        return _monter(conn)
    return ()
