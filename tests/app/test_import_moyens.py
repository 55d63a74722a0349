"""Un fichier de moyens importé par la page Import (onglet « Moyens (ETP, budgets) ») ou par
`pilotage import-ressources` change le graphique ETP contre retours à l'emploi de la page
« Moyens et résultats » ; un fichier hostile ou un lecteur sont refusés sans rien changer.

AppTest ne sait pas déposer un fichier : la page est testée à partir du contenu déposé
(`import_moyens.render_fichier_moyens`), comme l'import des indicateurs (`test_import.py`).
Un module à part : sa base de démonstration (une par module) reçoit les imports.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cli
from tests.app.conftest import app_connectee, app_sur_page
from tests.bases import empreinte_base

pytestmark = pytest.mark.usefixtures("environnement")
ENTETE = "code;type;objectif;partenaire;territoire;annee;valeur;unite;texte;source;note\n"
RENFORT_NORD = ENTETE + (
    "ETP-NORD-2019-RENFORT;etp;OO2;Département;6701;2019;2;ETP;Renfort de 2 ETP au canton 6701 "
    "en 2019;Délibération du 4 mars 2019;\n"
)
SUD = ENTETE + "DEMO-ETP-SUD-2019;etp;OO2;Département;SUD;2019;7,5;ETP;7,5 ETP;Bilan **2019**;\n"


def _depot(contenu: str, role: str) -> None:
    """Script AppTest : ce que l'onglet fait d'un fichier déposé (tout est importé ici : AppTest
    exécute le texte de la fonction, sans les noms du module)."""
    from dashboard.auth import Utilisateur
    from dashboard.vues import import_moyens

    perimetre = "NORD" if role == "lecteur" else None
    import_moyens.render_fichier_moyens(
        "moyens_2019.csv", contenu.encode(), Utilisateur(role, role, role, perimetre)
    )


def _etp_2019(nom: str) -> float:
    """Les ETP de 2019 d'un territoire d'action dans le graphique de la page."""
    at = app_sur_page("admin", "moyens_resultats", {"annee": "2019"})
    for graphique in at.get("vega_lite_chart"):
        if "Retours à l'emploi" in json.dumps(json.loads(graphique.proto.spec), ensure_ascii=False):
            points = pd.concat(
                pa.ipc.open_stream(d.data.data).read_all().to_pandas()
                for d in graphique.proto.datasets
            )
            choisis = points[points["choisie"]].set_index("nom")
            return float(choisis.loc[nom, "etp"])
    raise AssertionError("pas de graphique ETP contre retours à l'emploi")


def _base(dossier: Path) -> dict[str, tuple[int, str]]:
    from data_access import engine

    eng = engine.create(f"sqlite:///{dossier / 'pilotage.db'}")
    with eng.connect() as conn:
        empreinte = empreinte_base(conn)
    eng.dispose()
    return empreinte


def test_l_onglet_moyens_de_la_page_import() -> None:
    at = app_connectee("pilotage")
    at.switch_page("../pages/import_donnees.py").run()
    assert not at.exception
    assert [t.label for t in at.tabs] == ["Importer", "Moyens (ETP, budgets)", "Historique"]
    assert [u.label for u in at.get("file_uploader")][1] == "Fichier de moyens (CSV)"


def test_un_fichier_importe_par_la_page_change_le_graphique() -> None:
    assert _etp_2019("Nord") == 4.0  # démonstration : 4 ETP au NORD en 2019
    at = AppTest.from_function(_depot, args=(RENFORT_NORD, "pilotage"), default_timeout=30).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric} == {
        "Moyens ajoutés": "1", "Moyens modifiés": "0", "Moyens identiques": "0"}  # fmt: skip
    assert at.dataframe[0].value.loc[0, "Territoire"] == "Bischwiller"  # le nom, pas « 6701 »
    at.button(key="moyens_confirmer").click().run()
    assert not at.exception
    assert _etp_2019("Nord") == 6.0  # le canton 6701 compte pour son territoire d'action


def test_un_fichier_importe_par_la_commande_change_le_graphique(tmp_path: Path) -> None:
    fichier = tmp_path / "moyens_sud.csv"
    fichier.write_text(SUD, encoding="utf-8")
    assert _etp_2019("Sud") == 3.5
    cli.main(["import-ressources", str(fichier), "--auteur", "test"])
    assert _etp_2019("Sud") == 7.5
    at = app_sur_page("admin", "moyens_resultats", {"annee": "2019"})
    (sources,) = [c.value for c in at.main.caption if c.value.startswith("Sources : ETP")]
    assert r"Bilan \*\*2019\*\*" in sources  # la source importée en texte brut, pas en gras


def test_un_fichier_hostile_est_refuse_par_la_page(environnement: Path) -> None:
    hostile = ENTETE + "X;etp;OO2;CD;NORD;2019;1;ETP;@SUM(A1:A9);Test;\n"
    avant = _base(environnement)
    at = AppTest.from_function(_depot, args=(hostile, "pilotage"), default_timeout=30).run()
    assert not at.exception
    # Ce que la personne lit : le texte importé est écrit en texte brut (`formats.texte_brut`
    # glisse un U+2060 invisible devant « @ » et « : » pour que Markdown n'en fasse rien).
    erreur = at.error[0].value.replace("\u2060", "")
    assert erreur.startswith("**Fichier refusé : 1 erreur(s).** Rien n'a été importé.")
    assert "- ligne 2, colonne texte : formule refusée (@SUM(A1:A9))" in erreur
    assert not [b for b in at.button if b.label == "Confirmer l'import des moyens"]
    assert _base(environnement) == avant


def test_un_lecteur_ne_peut_pas_importer_de_moyens_par_la_page(environnement: Path) -> None:
    avant = _base(environnement)
    contenu = RENFORT_NORD.replace("RENFORT;etp", "AUTRE;etp")
    at = AppTest.from_function(_depot, args=(contenu, "lecteur"), default_timeout=30).run()
    at.button(key="moyens_confirmer").click().run()
    assert not at.exception
    assert at.error[0].value == (
        "Fichier non importé. Droit refusé : le compte « lecteur » (lecture seule, périmètre "
        "NORD) ne peut pas importer des moyens (ETP, effectifs, budgets)."
    )
    assert _base(environnement) == avant
