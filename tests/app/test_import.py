"""Page « Import » (AppTest, sans navigateur) : rôles, aperçu, confirmation, historique, annulation.

AppTest ne sait pas déposer un fichier dans `st.file_uploader` : la page est testée à partir du
contenu déposé (`vue_import.render_fichier`), le dépôt lui-même l'est en bout en bout
(`tests/e2e/test_import.py`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.vues import import_donnees as vue_import
from data_access import engine, imports, lots, series
from data_access.fichiers_import import ErreurImport
from tests.app.conftest import app_connectee

pytestmark = pytest.mark.usefixtures("environnement")
CORPUS = Path(__file__).resolve().parents[1] / "fichiers_import"
PAGE = "../pages/import_donnees.py"


def _depot(nom: str, correction: bool) -> None:
    """Script AppTest : ce que la page fait d'un fichier déposé, pour la mission de pilotage.

    AppTest exécute le texte de la fonction, sans les noms du module : tout est importé ici.
    """
    from dashboard.auth import Utilisateur
    from dashboard.vues import import_donnees as vue_import

    contenu = (vue_import.FORMAT.parents[1] / "tests" / "fichiers_import" / nom).read_bytes()
    vue_import.render_message()
    vue_import.render_fichier(
        nom, contenu, correction, Utilisateur("pilotage", "P", "pilotage", None)
    )


def _valeur(dossier: Path, canton: str) -> float:
    eng = engine.create(f"sqlite:///{dossier / 'pilotage.db'}")
    with eng.connect() as conn:
        cadre = series.read_par_canton(conn, indicateur="OO2-S.1", periode="2019-T3")
    eng.dispose()
    return float(cadre.loc[cadre["canton"] == canton, "valeur"].iloc[0])


def test_un_lecteur_ne_peut_pas_ouvrir_la_page_import() -> None:
    at = app_connectee("elu-nord")
    with pytest.raises(ValueError):
        at.switch_page(PAGE).run()


@pytest.mark.parametrize("identifiant", ["pilotage", "admin"])
def test_la_page_a_ses_deux_onglets_le_depot_et_l_historique(identifiant: str) -> None:
    at = app_connectee(identifiant)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.header[0].value == "Import des indicateurs"
    assert [t.label for t in at.tabs] == ["Importer", "Moyens (ETP, budgets)", "Historique"]
    assert at.checkbox(key="import_correction").label == "Correction d'un mois publié"
    assert len(at.get("file_uploader")) == 2  # indicateurs ; moyens (test_import_moyens.py)
    lots = at.dataframe[0].value
    assert lots.loc[0, "Fichier"] == "Données de démonstration"
    assert lots.loc[0, "Annulation"] == "pas un import d'indicateurs"
    assert "Aucun lot ne peut être annulé" in " ".join(c.value for c in at.main.caption)


def test_un_fichier_refuse_montre_ses_erreurs_en_francais() -> None:
    at = AppTest.from_function(_depot, args=("plusieurs_erreurs.csv", False), default_timeout=30)
    at.run()
    assert not at.exception
    erreur = at.error[0].value
    assert erreur.startswith("**Fichier refusé : 5 erreur(s).** Rien n'a été importé.")
    assert "- ligne 4, colonne periode : période 2016-T4 antérieure au début du plan" in erreur
    tableau = at.dataframe[0].value
    assert list(tableau.columns) == ["Ligne", "Colonne", "Erreur"]
    assert tableau["Ligne"].tolist() == ["3", "3", "3", "4", "4"]
    assert not [b for b in at.button if b.label == "Confirmer l'import"]


def test_apercu_confirmation_puis_annulation_depuis_l_historique(environnement: Path) -> None:
    at = AppTest.from_function(_depot, args=("bon.csv", False), default_timeout=30).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric} == {
        "Lignes ajoutées": "1", "Lignes modifiées": "2", "Lignes identiques": "0"}  # fmt: skip
    modifiees = at.dataframe[0].value
    ligne = modifiees[modifiees["Période"] == "2019-T3"].iloc[0]
    assert (ligne["Ancienne valeur"], ligne["Nouvelle valeur"]) == ("26", "777")
    [confirmer] = [b for b in at.button if b.label == "Confirmer l'import"]
    confirmer.click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Import enregistré (lot 2) : 1 ligne(s) ajoutée(s), "
                                          "2 modifiée(s)")  # fmt: skip
    assert _valeur(environnement, "6705") == 777.0

    page = app_connectee("pilotage")
    page.switch_page(PAGE).run()
    assert page.dataframe[0].value.loc[0, "Annulation"] == "possible"
    page.button(key="import_annuler_2").click().run()
    assert "Annuler le lot 2 ?" in page.warning[-1].value
    page.button(key="import_confirmer_annulation_2").click().run()
    assert not page.exception
    assert page.success[0].value == (
        "Lot 2 annulé : 3 valeur(s) retirée(s), 2 version(s) précédente(s) rétablie(s)."
    )
    assert page.dataframe[0].value.loc[0, "Statut"] == "annulé"
    assert page.dataframe[1].value.loc[0, "Action"] == "annulation"
    assert _valeur(environnement, "6705") == 26.0


def test_tableau_et_resume_des_erreurs() -> None:
    erreurs = [ErreurImport("f.csv", n, "valeur", f"erreur {n}") for n in range(2, 15)]
    erreurs.insert(0, ErreurImport("f.csv", None, None, "fichier entier"))
    tableau = vue_import.build_tableau_erreurs(erreurs)
    assert tableau.iloc[0].tolist() == ["—", "—", "fichier entier"]
    resume = vue_import.build_resume_erreurs(erreurs).splitlines()
    assert resume[:2] == ["- fichier entier", "- ligne 2, colonne valeur : erreur 2"]
    assert resume[-1] == "- … et 4 autre(s) : voir le tableau ci-dessous"


def test_messages_d_import_et_d_annulation(environnement: Path) -> None:
    eng = engine.create(f"sqlite:///{environnement / 'pilotage.db'}")
    with eng.connect() as conn:
        apercu = imports.prepare_import(
            conn, nom="bon.csv", contenu=(CORPUS / "bon.csv").read_bytes()
        )
    eng.dispose()
    ajoutees = vue_import.build_tableau_lignes(apercu, "ajoutee")
    assert ajoutees.to_dict("records") == [{
        "Ligne": 3, "Indicateur": "OO2-S.1", "Territoire": "6705", "Période": "2020-T1",
        "Valeur": "1\u202f250", "Statut": "définitif",
    }]  # fmt: skip
    sans_effet = imports.ResultatImport(None, lots.Comptes(identiques=3), apercu)
    assert vue_import.message_import(sans_effet) == (
        "Aucune modification : les 3 ligne(s) du fichier sont identiques aux valeurs en "
        "vigueur. Aucun lot n'a été créé."
    )
    assert vue_import.message_annulation(imports.Annulation(7, 3, 1)) == (
        "Lot 7 annulé : 3 valeur(s) retirée(s), 1 version(s) précédente(s) rétablie(s)."
    )


def test_l_aide_de_la_page_reprend_le_document_de_format() -> None:
    aide = vue_import.build_aide_format(vue_import.FORMAT.read_text(encoding="utf-8"))
    assert not aide.startswith("# ") and "\n#### Colonnes\n" in aide
    assert "\n##### Chaque ligne\n" in aide and "`indicateur;territoire" not in aide[:10]


def _depot_chemin(chemin: str) -> None:
    """Script AppTest : un fichier déposé lu depuis un chemin (classeur fabriqué par le test)."""
    from pathlib import Path

    from dashboard.auth import Utilisateur
    from dashboard.vues import import_donnees as vue_import

    fichier = Path(chemin)
    vue_import.render_fichier(
        fichier.name, fichier.read_bytes(), False, Utilisateur("pilotage", "P", "pilotage", None)
    )


def test_la_page_refuse_le_classeur_de_400_000_lignes(tmp_path: Path) -> None:
    from tests.fichiers_import import classeurs

    chemin = tmp_path / "quatre_cent_mille.xlsx"
    chemin.write_bytes(classeurs.quatre_cent_mille_lignes())
    at = AppTest.from_function(_depot_chemin, args=(str(chemin),), default_timeout=30).run()
    assert not at.exception
    # Le message est passé par formats.texte_brut (il peut citer le fichier) : « _ » échappé dans
    # le Markdown, « lignes_max » à l'écran.
    assert at.error[0].value.endswith(
        "- ligne 200001 : fichier trop long : plus de 200\u00a0000 lignes (réglage lignes\\_max de "
        "config/import.toml) ; découpez-le en plusieurs fichiers"
    )
    assert not [b for b in at.button if b.label == "Confirmer l'import"]


def test_une_ligne_non_fournie_est_montree_dans_l_apercu_et_ignoree() -> None:
    at = AppTest.from_function(_depot, args=("valeur_manquante.csv", False), default_timeout=30)
    at.run()
    assert not at.exception and not at.error
    assert at.expander[0].label == "Lignes non fournies (valeur vide, ignorées) : 1"
    assert at.dataframe[0].value.to_dict("records") == [
        {"Ligne": 2, "Indicateur": "OO2-S.1", "Territoire": "6705", "Période": "2019-T3"}
    ]
    assert at.info[-1].value == (
        "Aucune modification : aucune ligne du fichier n'a de valeur (lignes non fournies). "
        "Aucun lot n'a été créé."
    )
    assert not [b for b in at.button if b.label == "Confirmer l'import"]
