"""`python -m data_access.migrations nouvelle "message"` : la révision suivante, prête à relire.

Le test travaille sur une copie des révisions (le paquet n'est pas touché) et une table ajoutée
au schéma déclaré le temps du test : la révision écrite porte le numéro suivant, un nom de
fichier sans accents, la création de la table ; une base montée avec elle a le schéma déclaré.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, String, Table, create_engine, inspect

from data_access import migrations, schema
from data_access.migrations.__main__ import main


@pytest.fixture
def table_sans_revision() -> Iterator[Table]:
    table = Table("essai_seance", schema.metadata, Column("id", String(64), primary_key=True))
    yield table
    schema.metadata.remove(table)


def test_nouvelle_ecrit_la_revision_suivante(
    table_sans_revision: Table,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    copie = tmp_path / "migrations"
    shutil.copytree(migrations.REPERTOIRE, copie, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrations, "REPERTOIRE", copie)
    tete = migrations.tete()
    numero = f"{int(tete) + 1:04d}"

    main(["nouvelle", "Table d'essai des séances"])

    fichier = copie / "versions" / f"{numero}_table_d_essai_des_seances.py"
    assert capsys.readouterr().out.startswith(f"Révision écrite : {fichier}\n")
    texte = fichier.read_text(encoding="utf-8")
    assert f'revision = "{numero}"\ndown_revision = "{tete}"\n' in texte
    assert 'op.create_table(\n        "essai_seance",' in texte
    assert "Pourquoi : (à écrire" in texte
    moteur = create_engine(f"sqlite:///{tmp_path / 'base.db'}")
    rapport = migrations.upgrade(moteur)
    assert rapport.appliquees[-1].revision == numero
    assert inspect(moteur).has_table(table_sans_revision.name)
    with moteur.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), schema.metadata) == []
    moteur.dispose()
