"""Migrations versionnées (Alembic), sur SQLite et PostgreSQL.

- Les révisions donnent exactement le schéma déclaré dans `data_access/schema.py` (comparaison
  d'Alembic vide) : aucun changement de schéma sans révision.
- Une base faite par la version 2 (le code du commit `COMMIT_VERSION_2`, tiré du dépôt par
  `git archive` et lancé tel quel : `pilotage demo`, ses éditions publiées, ses comptes, des
  échecs de connexion), montée par `pilotage init`, garde chaque ligne de chaque table :
  nombre de lignes et empreinte du contenu, lus en SQL avant et après.
- Une révision qui échoue est annulée entière ; les précédentes restent acquises.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, inspect, text

from dashboard import cli
from data_access import engine, migrations, schema

RACINE = Path(__file__).resolve().parents[2]
COMMIT_VERSION_2 = "7a4f264fa0f06d3ed017c09bc23873e1805e57e5"
"""Le dernier commit d'avant Alembic (schéma de la version 2)."""
COMMIT_VERSION_1 = "eae6abd76c9bb41836510d1a61aaef4cb34a9a71"
"""Le dernier commit du schéma de la version 1 (commentaires sans territoire, cibles sans
nature)."""

# Lancé avec le code d'une version : sa démonstration (valeurs, événements, douze éditions
# publiées avec leurs commentaires, comptes de démonstration), puis trois échecs de connexion.
DEMO = """
import sys
from pathlib import Path

import dashboard
assert Path(dashboard.__file__).resolve().is_relative_to(Path(sys.argv[1]).resolve())
from config.settings import read_settings
from dashboard import cli
from data_access import connexions, engine

cli.main(["demo"])
eng = engine.create(read_settings().database_url)
with eng.begin() as conn:
    for _ in range(3):
        connexions.record_echec(conn, identifiant="elu-nord")
"""


def _code_de_la_version(commit: str, dossier: Path) -> None:
    """Le dépôt tel qu'il était à `commit`, extrait dans `dossier` (sans toucher au dépôt)."""
    archive = subprocess.run(
        ["git", "-C", str(RACINE), "archive", "--format=tar", commit], capture_output=True
    )
    if archive.returncode != 0:
        pytest.fail(
            f"le commit {commit} manque au dépôt (clone superficiel ? « git fetch --unshallow ») : "
            + archive.stderr.decode(errors="replace"),
            pytrace=False,
        )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dossier, filter="data")


def _base_de_la_version(commit: str, url: str, dossier: Path) -> Path:
    """Fait la base de démonstration avec le code du commit ; rend son dossier de données."""
    _code_de_la_version(commit, dossier)
    donnees = dossier / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PILOTAGE_")}
    env |= {"PYTHONPATH": str(dossier), "PILOTAGE_DATABASE_URL": url,
            "PILOTAGE_DATA_DIR": str(donnees)}  # fmt: skip
    fait = subprocess.run(
        [sys.executable, "-c", DEMO, str(dossier)],
        cwd=dossier, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert fait.returncode == 0, fait.stdout + fait.stderr
    assert "éditions de démonstration publiées : 12" in fait.stdout
    return donnees


def _empreintes(eng: Engine) -> dict[str, tuple[int, str]]:
    """Par table de la base (hors `alembic_version`) : nombre de lignes et empreinte de tout son
    contenu. Les lignes sont écrites en texte par la base elle-même (chaque colonne convertie,
    NULL marqué), dans l'ordre de la clé primaire, puis hachées."""
    resultat: dict[str, tuple[int, str]] = {}
    with eng.connect() as conn:
        inspecteur = inspect(conn)
        q = conn.dialect.identifier_preparer.quote
        pg = conn.dialect.name == "postgresql"
        for table in sorted(inspecteur.get_table_names()):
            if table == "alembic_version":
                continue
            colonnes = [c["name"] for c in inspecteur.get_columns(table)]
            cle = inspecteur.get_pk_constraint(table)["constrained_columns"] or colonnes
            ligne = " || '|' || ".join(
                f"COALESCE(CAST({q(c)} AS TEXT), '<NULL>')" for c in sorted(colonnes)
            )
            ordre = ", ".join(q(c) for c in cle)
            if pg:
                agregat = f"string_agg({ligne}, chr(10) ORDER BY {ordre})"
                sql = f"SELECT COUNT(*), {agregat} FROM {q(table)}"
            else:
                sql = (f"SELECT COUNT(*), group_concat(l, char(10)) FROM "
                       f"(SELECT {ligne} AS l FROM {q(table)} ORDER BY {ordre})")  # fmt: skip
            nombre, contenu = conn.execute(text(sql)).one()
            resultat[table] = (int(nombre), hashlib.sha256((contenu or "").encode()).hexdigest())
    return resultat


def _ecarts_au_schema(eng: Engine) -> list[object]:
    """Ce qui sépare la base du schéma déclaré, selon Alembic (vide : identiques)."""
    with eng.connect() as conn:
        contexte = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(contexte, schema.metadata))


def test_une_base_neuve_est_creee_par_les_revisions_au_schema_declare(
    url_vide: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PILOTAGE_DATABASE_URL", url_vide)
    cli.main(["init"])
    sortie = capsys.readouterr().out
    assert (
        f"Révisions appliquées ({int(migrations.tete())}), chacune dans sa transaction :\n"
        in sortie
    )
    assert "  0001 : Schéma de la version 1 : la révision de base.\n" in sortie
    assert f"Schéma à jour : révision {migrations.tete()}.\n" in sortie
    eng = engine.create(url_vide)
    assert _ecarts_au_schema(eng) == []
    with eng.connect() as conn:
        assert migrations.revision_actuelle(conn) == migrations.tete()

    cli.main(["init"])
    assert capsys.readouterr().out.startswith(
        f"Schéma à jour (révision {migrations.tete()}) : aucune révision à appliquer.\n"
    )
    eng.dispose()


def test_create_all_et_les_revisions_donnent_le_meme_schema(url_vide: str) -> None:
    """Les deux chemins comparés au même schéma déclaré, et entre eux table par table."""
    eng = engine.create(url_vide)
    migrations.upgrade(eng)
    with eng.connect() as conn:
        par_revisions = _description(conn)
    with eng.begin() as conn:
        for table in (
            "alembic_version",
            *(t.name for t in reversed(schema.metadata.sorted_tables)),
        ):
            conn.execute(text(f'DROP TABLE "{table}"'))
    with eng.begin() as conn:
        schema.metadata.create_all(conn)
    assert _ecarts_au_schema(eng) == []
    with eng.connect() as conn:
        assert _description(conn) == par_revisions
    eng.dispose()


def _description(conn: Connection) -> dict[str, object]:
    """Tables, colonnes (type, NULL, défaut), clés, index et contraintes, lus dans la base."""
    inspecteur = inspect(conn)
    return {
        table: (
            sorted(
                (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                for c in inspecteur.get_columns(table)
            ),
            inspecteur.get_pk_constraint(table),
            sorted(
                (f["name"], f["constrained_columns"], f["referred_table"])
                for f in inspecteur.get_foreign_keys(table)
            ),
            sorted(
                (i["name"], i["column_names"], i["unique"]) for i in inspecteur.get_indexes(table)
            ),
            sorted(
                (u["name"], u["column_names"]) for u in inspecteur.get_unique_constraints(table)
            ),
        )  # fmt: skip
        for table in sorted(inspecteur.get_table_names())
        if table != "alembic_version"
    }


def test_une_base_de_la_version_2_monte_a_la_tete_sans_perdre_une_ligne(
    url_vide: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    donnees = _base_de_la_version(COMMIT_VERSION_2, url_vide, tmp_path / "version_2")
    comptes = (donnees / "utilisateurs.yaml").read_bytes()
    eng = engine.create(url_vide)
    assert not inspect(eng).has_table("alembic_version")
    avant = _empreintes(eng)
    lignes = {table: n for table, (n, _) in avant.items()}
    assert lignes["valeur"] > 7000 and lignes["edition"] == 12 * 5 and lignes["publication"] == 12
    assert lignes["commentaire"] > 0 and lignes["annotation"] == 5
    assert lignes["echec_connexion"] == 3

    monkeypatch.setenv("PILOTAGE_DATABASE_URL", url_vide)
    monkeypatch.setenv("PILOTAGE_DATA_DIR", str(donnees))
    cli.main(["init"])

    sortie = capsys.readouterr().out
    assert (
        "Base créée avant les migrations versionnées : son schéma est celui de la révision "
        "0002, elle y est marquée.\n"
    ) in sortie
    apres = _empreintes(eng)
    assert {table: apres[table] for table in avant} == avant
    with eng.connect() as conn:
        assert migrations.revision_actuelle(conn) == migrations.tete()
    assert _ecarts_au_schema(eng) == []
    assert (donnees / "utilisateurs.yaml").read_bytes() == comptes
    eng.dispose()


TABLES_DE_DONNEES = (
    "lot_import", "valeur", "somme_cantons", "journal", "echec_connexion",
    "publication", "edition", "annotation", "annotation_indicateur", "meta",
)  # fmt: skip
"""Les tables que le rechargement du référentiel ne réécrit pas : une montée les garde telles
quelles. Les autres suivent `config/`, qui a changé depuis la version 1."""


def _commentaires(eng: Engine, table: str) -> set[tuple[object, ...]]:
    with eng.connect() as conn:
        lignes = conn.execute(
            text(f"SELECT mois, indicateur, texte, auteur, demonstration FROM {table}")
        ).all()
    return {(m, i, t, a, bool(d)) for m, i, t, a, d in lignes}


def test_une_base_de_la_version_1_monte_a_la_tete_sans_perdre_une_ligne(
    url_vide: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    donnees = _base_de_la_version(COMMIT_VERSION_1, url_vide, tmp_path / "version_1")
    eng = engine.create(url_vide)
    assert "territoire" not in {c["name"] for c in inspect(eng).get_columns("commentaire")}
    avant = _empreintes(eng)
    commentaires = _commentaires(eng, "commentaire")
    assert len(commentaires) > 12 and avant["edition"][0] == 12 * 5

    monkeypatch.setenv("PILOTAGE_DATABASE_URL", url_vide)
    monkeypatch.setenv("PILOTAGE_DATA_DIR", str(donnees))
    cli.main(["init"])

    sortie = capsys.readouterr().out
    assert (
        f"Révisions appliquées ({int(migrations.tete())}), chacune dans sa transaction :\n"
        in sortie
    )
    assert (
        "  0002 : Cibles avec nature et règle ; commentaires par territoire (version 2).\n"
        in sortie
    )
    apres = _empreintes(eng)
    assert {t: apres[t] for t in TABLES_DE_DONNEES} == {t: avant[t] for t in TABLES_DE_DONNEES}
    # Chaque commentaire gardé, rattaché à un territoire au moins (son retard, ou le département).
    assert _commentaires(eng, "commentaire") == commentaires
    assert apres["commentaire"][0] >= len(commentaires)
    assert not inspect(eng).has_table("commentaire_sans_territoire")
    assert _ecarts_au_schema(eng) == []
    eng.dispose()


ECHOUE = '''"""Révision d'essai qui échoue après avoir créé une table."""

import sqlalchemy as sa
from alembic import op

revision = "{numero}"
down_revision = "{tete}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("essai", sa.Column("id", sa.Integer(), primary_key=True))
    raise RuntimeError("échec voulu")


def downgrade() -> None:
    pass
'''


def test_une_revision_qui_echoue_est_annulee_et_les_precedentes_restent(
    url_vide: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    copie = tmp_path / "migrations"
    shutil.copytree(migrations.REPERTOIRE, copie, ignore=shutil.ignore_patterns("__pycache__"))
    tete = migrations.tete()
    numero = f"{int(tete) + 1:04d}"
    (copie / "versions" / f"{numero}_essai.py").write_text(ECHOUE.format(numero=numero, tete=tete))
    monkeypatch.setattr(migrations, "REPERTOIRE", copie)
    eng = engine.create(url_vide)
    with pytest.raises(RuntimeError, match="échec voulu"):
        migrations.upgrade(eng)
    with eng.connect() as conn:
        assert migrations.revision_actuelle(conn) == tete
    assert not inspect(eng).has_table("essai")
    assert inspect(eng).has_table("valeur")

    monkeypatch.setenv("PILOTAGE_DATABASE_URL", url_vide)
    with pytest.raises(SystemExit) as sortie:
        cli.main(["init"])
    assert sortie.value.code == 1
    assert capsys.readouterr().err == (
        "pilotage : mise à jour du schéma arrêtée (échec voulu) : la révision fautive est "
        f"annulée, la base est restée à la révision {tete}. Corrigez la cause, puis relancez "
        "« pilotage init ».\n"
    )
    with eng.connect() as conn:
        assert migrations.revision_actuelle(conn) == tete
    eng.dispose()
