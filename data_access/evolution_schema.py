"""Colonnes nouvelles d'une table existante : `pilotage init` les ajoute à une base déjà créée.

`metadata.create_all` crée les tables qui manquent, mais ne touche pas à une table qui existe :
une base créée par une version précédente garderait son ancienne forme, et la première lecture
d'une colonne nouvelle échouerait. Il n'y a pas encore de migrations versionnées (Alembic) :
ce module ajoute, table par table, les colonnes déclarées dans `schema` et absentes de la base,
sans toucher aux lignes. Une colonne ne s'ajoute ainsi que si les lignes existantes peuvent la
recevoir : elle accepte NULL ou a une valeur par défaut dans la base (`server_default`) ;
sinon c'est une migration à écrire, et l'ajout est refusé plutôt que deviné.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, Table, inspect
from sqlalchemy.schema import CreateColumn

from data_access import schema


class MigrationImpossible(RuntimeError):
    """Une colonne nouvelle ne peut pas être ajoutée telle quelle à une table qui a des lignes."""


def _ajout(conn: Connection, table: Table, colonne: Column[Any]) -> str:
    """`ALTER TABLE … ADD COLUMN …`, écrit par le dialecte de la base (nom cité, type, défaut,
    NOT NULL). Le texte vient du schéma déclaré, jamais d'une saisie : il n'y a rien à lier en
    paramètre (une instruction DDL n'en accepte pas)."""
    nom = conn.dialect.identifier_preparer.format_table(table)
    definition = CreateColumn(colonne).compile(dialect=conn.dialect)
    return f"ALTER TABLE {nom} ADD COLUMN {definition}"


def add_colonnes_manquantes(conn: Connection) -> list[str]:
    """Ajoute aux tables existantes les colonnes de `schema` qui leur manquent ; les rend
    (« cible.nature »…). L'appelant tient la transaction (PostgreSQL annule tout sur une erreur ;
    SQLite valide chaque ALTER TABLE : une relance de `pilotage init` reprend où elle s'est
    arrêtée, puisqu'elle ne rajoute que ce qui manque encore)."""
    inspecteur = inspect(conn)
    existantes = set(inspecteur.get_table_names())
    ajoutees: list[str] = []
    for table in schema.metadata.sorted_tables:
        if table.name not in existantes:
            continue
        presentes = {c["name"] for c in inspecteur.get_columns(table.name)}
        for colonne in table.columns:
            if colonne.name in presentes:
                continue
            if not colonne.nullable and colonne.server_default is None:
                raise MigrationImpossible(
                    f"colonne {table.name}.{colonne.name} sans valeur par défaut : une migration "
                    "écrite est nécessaire pour l'ajouter à une base existante"
                )
            conn.exec_driver_sql(_ajout(conn, table, colonne))
            ajoutees.append(f"{table.name}.{colonne.name}")
    return ajoutees
