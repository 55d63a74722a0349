"""Une saisie s'affiche en texte brut : le nom d'un fichier importé écrit en Markdown ne devient
ni un lien ni une image dans l'historique des imports (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import formats
from data_access import engine, imports
from data_access.droits import administrateur_local
from tests.app.conftest import app_connectee

pytestmark = pytest.mark.usefixtures("environnement")
CORPUS = Path(__file__).resolve().parents[1] / "fichiers_import"
# Sans « / » : le nom gardé est celui du fichier, sans dossier.
NOM = "[cliquez](https:exemple.invalid) ![x](p.png) **gras**.csv"


def test_un_nom_de_fichier_en_markdown_reste_du_texte_dans_l_historique(
    environnement: Path,
) -> None:
    eng = engine.create(f"sqlite:///{environnement / 'pilotage.db'}")
    with eng.begin() as conn:
        lot = imports.commit_import(
            conn,
            nom=NOM,
            contenu=(CORPUS / "bon.csv").read_bytes(),
            acteur=administrateur_local("**pilotage**"),
        ).lot
    eng.dispose()
    at = app_connectee("pilotage")
    at.switch_page("../pages/import_donnees.py").run()
    assert not at.exception
    (ligne,) = [m.value for m in at.markdown if m.value.startswith(f"Lot {lot} · ")]
    assert ligne.startswith(
        f"Lot {lot} · \\[cliquez\\](https:{formats.GLUON}exemple.invalid) !\\[x\\](p.png) "
        "\\*\\*gras\\*\\*.csv · "
    )
    assert ligne.endswith(" · \\*\\*pilotage\\*\\*")
    assert formats.texte_brut(NOM) in ligne
