"""Refus d'un classeur de 400 000 lignes : temps et mémoire de pointe, en ligne de commande et
par la lecture que fait la page Import.

Usage : `.venv/bin/python bench/import_hostile.py [--lignes N]`.
Objectif (ticket 19) : refusé en 5 s au plus et 200 Mo au plus. Le classeur (~236 Ko, 61 Mo une
fois décompressé) est fabriqué par `tests/fichiers_import/classeurs.py` dans un dossier
temporaire, jamais versionné. Chaque mesure est celle d'un processus neuf (`os.wait4` : temps
écoulé et mémoire résidente de pointe du processus, interpréteur et bibliothèques compris),
comme un `pilotage import` lancé à la main ou un serveur qui reçoit le fichier. Le script
imprime ; il n'échoue pas sur un temps (les tests ne chronomètrent rien).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE))  # le classeur vient du corpus des tests : une seule fabrique

from tests.fichiers_import import classeurs  # noqa: E402

OBJECTIF_S = 5.0
OBJECTIF_MO = 200.0
# Ce que fait la page Import d'un fichier déposé (dashboard/donnees/import_donnees.apercu).
PAGE = """
import sys
from pathlib import Path
from data_access import engine, imports
from data_access.fichiers_import import ImportRefuse
chemin = Path(sys.argv[1])
eng = engine.create(sys.argv[2])
with eng.connect() as conn:
    try:
        imports.prepare_import(conn, nom=chemin.name, contenu=chemin.read_bytes(), correction=False)
    except ImportRefuse as refus:
        print(refus.erreurs[0], file=sys.stderr)
        sys.exit(1)
"""


def mesurer(commande: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Temps écoulé (s), mémoire de pointe (Mo), code de sortie, sortie d'erreur d'un processus."""
    debut = time.perf_counter()
    with tempfile.TemporaryFile() as erreurs:
        processus = subprocess.Popen(commande, env=env, stdout=subprocess.DEVNULL, stderr=erreurs)
        _, statut, usage = os.wait4(processus.pid, 0)
        duree = time.perf_counter() - debut
        processus.returncode = os.waitstatus_to_exitcode(statut)
        erreurs.seek(0)
        texte = erreurs.read().decode("utf-8", "replace")
    return duree, usage.ru_maxrss / 1024, processus.returncode, texte


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lignes", type=int, default=400_000)
    args = parser.parse_args()
    pilotage = str(Path(sys.executable).parent / "pilotage")
    with tempfile.TemporaryDirectory() as dossier:
        chemin = Path(dossier) / "quatre_cent_mille.xlsx"
        debut = time.perf_counter()
        chemin.write_bytes(classeurs._classeur_brut(repetitions=args.lignes))
        print(f"classeur : {args.lignes} lignes, {chemin.stat().st_size / 1024:.0f} Ko "
              f"(fabriqué en {time.perf_counter() - debut:.1f} s)")  # fmt: skip
        url = f"sqlite:///{Path(dossier) / 'bench.db'}"
        env = {**os.environ, "PILOTAGE_DATABASE_URL": url, "PILOTAGE_DATA_DIR": dossier}
        subprocess.run([pilotage, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
        for nom, commande in (
            ("pilotage import", [pilotage, "import", str(chemin)]),
            ("page Import (aperçu)", [sys.executable, "-c", PAGE, str(chemin), url]),
        ):
            duree, pic, code, erreurs = mesurer(commande, env)
            ok = duree <= OBJECTIF_S and pic <= OBJECTIF_MO and code == 1
            print(f"{nom:22} : {duree:5.2f} s, mémoire de pointe {pic:5.0f} Mo, code {code}  "
                  f"objectif ≤ {OBJECTIF_S:.0f} s et ≤ {OBJECTIF_MO:.0f} Mo, refusé "
                  f"{'✓' if ok else '✗'}")  # fmt: skip
            print(f"  {erreurs.splitlines()[0] if erreurs else '(aucun message)'}")


if __name__ == "__main__":
    main()
