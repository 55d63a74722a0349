"""« Moyens et résultats » dans Chromium, hors ligne : graphiques dessinés, tableaux des documents
repliés, le sélecteur d'année qui change les chiffres et l'URL ; un fichier de moyens importé par
la page Import change le graphique ETP contre retours à l'emploi."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import create_engine

from dashboard import formats
from data_access import imports, moyens
from data_access.droits import administrateur_local
from tests.e2e.conftest import Requetes, Serveur, attendre, ouvrir_connecte
from tests.e2e.test_import import ZONE_DE_DEPOT

GRAPHIQUE = '[data-testid="stVegaLiteChart"]'
TABLEAU = '[data-testid="stDataFrame"]'
PHRASE = '[data-testid="stMarkdownContainer"] li'  # un ratio en phrase, ses deux termes compris


def _placements_par_conseiller(serveur: Serveur, annee: int) -> str:
    """Le ratio attendu, relu dans la base du serveur (19 conseillers emploi, 002 §1.2)."""
    eng = create_engine(f"sqlite:///{serveur.dossier / 'pilotage.db'}")
    with eng.connect() as conn:
        cadre = moyens.read_resultats_annuels(
            conn, indicateurs=["A2.1"], territoire="67", annees=[annee]
        )
    eng.dispose()
    return f"{formats.nombre(float(cadre['valeur'].iloc[0]) / 19, 1)} placements par conseiller"


def _choisir_annee(page: Page, annee: str) -> None:
    choix = page.get_by_role("combobox", name="Année")
    choix.click()
    choix.fill(annee)
    page.keyboard.press("Enter")
    attendre(page)


def test_graphiques_tableaux_et_annee_dans_l_url(
    page: Page, serveur: Serveur, requetes: Requetes
) -> None:
    ouvrir_connecte(page, serveur, "/moyens-resultats?annee=2020", "admin")
    expect(page.get_by_role("heading", name="Moyens et résultats")).to_be_visible()
    graphiques = page.locator(GRAPHIQUE)
    expect(graphiques).to_have_count(2)  # ETP par stratégie ; effectif contre placements
    for i in range(2):
        expect(graphiques.nth(i).locator("canvas, svg").first).to_be_visible()
    expect(page.locator(TABLEAU).filter(visible=True)).to_have_count(0)  # repliés
    page.get_by_text("Tableaux des documents (ETP, effectifs").click()
    expect(page.locator(TABLEAU).filter(visible=True).first).to_be_visible()
    expect(page.get_by_test_id("stMetricValue").filter(has_text="7,4")).to_have_count(1)
    expect(page.get_by_text("5,45", exact=False).first).to_be_visible()
    assert "annee=2020" in page.url

    ratio_2019 = _placements_par_conseiller(serveur, 2019)
    phrase = page.locator(PHRASE).filter(has_text="Placements de l'équipe emploi")
    expect(phrase).to_contain_text("non renseigné")  # aucun résultat en 2020, ni 0 ni ∞
    expect(phrase).not_to_contain_text(ratio_2019)
    _choisir_annee(page, "2019")
    expect(page).to_have_url(re.compile(r"annee=2019"))
    expect(phrase.filter(has_text=ratio_2019)).to_have_count(1)
    expect(phrase).to_have_count(1)  # la phrase de 2020 a disparu (fin de l'exécution)
    expect(phrase).to_contain_text("19 conseillers")
    expect(page.get_by_test_id("stMetricValue").filter(has_text="7,4")).to_have_count(0)
    # Plus d'ETP de convention en 2019 : ETP contre retours à l'emploi, effectif contre placements.
    expect(page.locator(GRAPHIQUE)).to_have_count(2)

    page.reload()
    attendre(page)
    expect(phrase.filter(has_text=ratio_2019)).to_have_count(1)
    assert "annee=2019" in page.url
    assert requetes.externes == [], f"requêtes vers l'extérieur : {requetes.externes}"


def _etp_nord_2019(page: Page, serveur: Serveur) -> str:
    """Les ETP du Nord en 2019, lus dans le CSV du graphique de la page (ses deux termes)."""
    page.goto(f"{serveur.url}/moyens-resultats?annee=2019")
    attendre(page)
    expect(
        page.get_by_role("heading", name=re.compile("ETP et retours à l'emploi"))
    ).to_be_visible()
    bouton = page.get_by_role("button", name="Télécharger le tableau (CSV)").filter(visible=True)
    with page.expect_download() as telechargement:
        bouton.first.click()
    texte = Path(telechargement.value.path()).read_text(encoding="utf-8-sig")
    lignes = list(csv.reader(io.StringIO(texte), delimiter=";"))
    entete = next(li for li in lignes if "Territoire d'action" in li)
    [nord] = [li for li in lignes if li and li[0] == "Nord"]
    return nord[entete.index("ETP")]


def test_un_fichier_de_moyens_importe_par_la_page_change_le_graphique(
    page: Page, serveur: Serveur, tmp_path: Path
) -> None:
    ouvrir_connecte(page, serveur, "/moyens-resultats?annee=2019", "pilotage")
    assert _etp_nord_2019(page, serveur) == "4"
    fichier = tmp_path / "moyens_nord_2019.csv"
    fichier.write_text(
        "code;type;objectif;partenaire;territoire;annee;valeur;unite;texte;source;note\n"
        "E2E-ETP-NORD-2019;etp;OO2;Département;NORD;2019;1,5;ETP;Renfort de 1,5 ETP;Test;\n",
        encoding="utf-8",
    )
    page.goto(f"{serveur.url}/import")
    attendre(page)
    page.get_by_role("tab", name="Moyens (ETP, budgets)").click()
    with page.expect_file_chooser() as choix:
        page.locator(ZONE_DE_DEPOT).filter(visible=True).click()
    choix.value.set_files(str(fichier))
    attendre(page)
    expect(page.get_by_text("Fichier valide")).to_be_visible()
    page.get_by_role("button", name="Confirmer l'import des moyens").click()
    attendre(page)
    expect(
        page.get_by_text(re.compile(r"Moyens enregistrés \(lot \d+\) : 1 ajouté"))
    ).to_be_visible()
    try:
        assert _etp_nord_2019(page, serveur) == "5,5"
    finally:  # la base de la session revient à la démonstration pour les autres tests
        eng = create_engine(f"sqlite:///{serveur.dossier / 'pilotage.db'}")
        with eng.begin() as conn:
            lot = int(imports.read_lots(conn)["lot"].iloc[0])
            imports.rollback_lot(conn, lot=lot, acteur=administrateur_local("test"))
        eng.dispose()
