"""`python -m data_access.migrations` : écrire une révision, lister les révisions.

Pour un développeur, pas pour l'exploitation (qui n'a que `pilotage init`) :

- `nouvelle "message"` : écrit la révision suivante (numéro suivant, fichier sans accents) en
  comparant `data_access/schema.py` à une base SQLite temporaire montée à la dernière révision
  (autogénération d'Alembic, opérations rendues en mode batch pour SQLite), puis la passe à
  ruff. Elle reste à relire : Alembic ne voit ni un renommage (il écrit une suppression et un
  ajout) ni ce qu'il faut faire des lignes existantes.
- `historique` : les révisions, de la première à la dernière.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from data_access import migrations


def _ascii(texte: str) -> str:
    """`0003_table_des_séances` → `0003_table_des_seances` : un nom de fichier sans accents."""
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_]+", "_", sans_accents).strip("_")


def nouvelle(message: str) -> Path:
    """Écrit la révision suivante de la tête ; rend son chemin."""
    numero = f"{int(migrations.tete()) + 1:04d}"
    with tempfile.TemporaryDirectory() as dossier:
        moteur = create_engine(f"sqlite:///{Path(dossier) / 'tete.db'}")
        try:
            migrations.upgrade(moteur)
            with moteur.connect() as conn:
                script = command.revision(
                    migrations.config(conn), message=message, autogenerate=True, rev_id=numero
                )
        finally:
            moteur.dispose()
    if script is None or isinstance(script, list):
        raise migrations.MigrationImpossible("Alembic n'a pas écrit de révision")
    chemin = Path(script.path)
    propre = chemin.with_name(_ascii(chemin.stem) + ".py")
    chemin.rename(propre)
    for ruff in (["check", "--fix", "--quiet"], ["format", "--quiet"]):
        subprocess.run([sys.executable, "-m", "ruff", *ruff, str(propre)], check=False)
    return propre


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m data_access.migrations", description="Révisions du schéma (Alembic)."
    )
    sous = parser.add_subparsers(dest="commande", required=True, metavar="COMMANDE")
    p_nouvelle = sous.add_parser("nouvelle", help="écrit la révision suivante (autogénérée)")
    p_nouvelle.add_argument("message", help="ce que fait la révision, en une ligne")
    sous.add_parser("historique", help="liste les révisions dans l'ordre")
    args = parser.parse_args(argv)
    if args.commande == "historique":
        for script in reversed(list(migrations.scripts().walk_revisions())):
            print(f"{script.revision} : {script.doc}")
        return
    chemin = nouvelle(args.message)
    print(
        f"Révision écrite : {chemin}\n"
        "À faire : la relire (renommages, lignes existantes, valeurs par défaut), écrire son "
        "« Pourquoi », puis lancer tests/data_access/test_migrations.py."
    )


if __name__ == "__main__":
    main()
