"""Tableau de bord mensuel dans Chromium (ticket 9) : une édition rouverte par son lien montre
les chiffres publiés, ses exports PDF et XLSX les contiennent ; le mode présentation du comité
tient dans l'écran à 1920×1080 comme à 1280×720, diapositive par diapositive, et garde le
numéro de la diapositive dans l'URL."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from dashboard import formats
from dashboard.exports import tables as et
from dashboard.tableau_de_bord import comite, editions
from dashboard.tableau_de_bord.contenu import TableauDeBord
from data_access import engine
from tests.e2e.conftest import NON_LOCAL, Requetes, Serveur, attendre, ouvrir_connecte

MOIS = "2019-06"
EDITION = f"/tableau-de-bord?edition={MOIS}"
PRESENTATION = f"{EDITION}&mode=comite"
TAILLES = ((1920, 1080), (1280, 720))
# L'élément qui défile dans Streamlit 1.67 est la section principale (`stMain`), pas le
# document ; on vérifie les deux.
DEFILEMENT = """() => {
  const principal = document.querySelector('[data-testid="stMain"]');
  const doc = document.scrollingElement;
  return {principal: [principal.scrollHeight, principal.clientHeight],
          document: [doc.scrollHeight, doc.clientHeight]};
}"""
PIED = ".st-key-comite_pied"
BAS_DU_PIED = f"() => document.querySelector('{PIED}').getBoundingClientRect().bottom"


def _edition(serveur: Serveur) -> TableauDeBord:
    """L'édition telle que publiée, relue dans la base du serveur."""
    eng = engine.create(f"sqlite:///{serveur.dossier / 'pilotage.db'}")
    with eng.connect() as conn:
        tableau = editions.lire_edition(conn, mois=MOIS, territoire="67")
    eng.dispose()
    assert tableau is not None, f"pilotage demo n'a pas publié {MOIS}"
    return tableau


def _sans_espaces(texte: str) -> str:
    """Les espaces fines et insécables varient d'un format à l'autre (WinAnsi n'a pas U+202F)."""
    return re.sub(r"[\s\u00a0\u202f]+", "", texte)


def _stable(page: Page) -> None:
    """Fin de l'exécution et plus aucun élément périmé de l'exécution précédente à l'écran."""
    attendre(page)
    expect(page.locator('[data-stale="true"]')).to_have_count(0)


# --- Édition publiée : lien permanent et exports ---------------------------------------------


def test_le_lien_d_une_edition_montre_les_chiffres_publies_et_ses_exports_les_contiennent(
    page: Page, serveur: Serveur, requetes: Requetes
) -> None:
    publie = _edition(serveur)
    ouvrir_connecte(page, serveur, EDITION, "pilotage")
    expect(page.get_by_role("heading", name=f"Tableau de bord mensuel — {formats.periode(MOIS)}")
           ).to_be_visible()  # fmt: skip
    assert f"edition={MOIS}" in page.url
    # `.first` : pendant une relance, Streamlit garde un moment l'ancien élément à côté du neuf.
    expect(page.get_by_text(f"Édition {et.etat_edition(publie)}").first).to_be_visible()
    reels = [ligne for ligne in publie.synthese if ligne.reel is not None]
    assert len(reels) >= 4
    for ligne in publie.synthese:
        carte = page.locator(f".st-key-tdb_carte_{ligne.code.replace('.', '-')}")
        # Le composant de cookies relance le script après la connexion : pendant une relance,
        # l'ancienne carte reste à côté de la nouvelle. Plus de carte périmée, puis la première.
        expect(page.locator('[data-stale="true"]')).to_have_count(0)
        expect(carte.get_by_test_id("stMetricValue").first).to_have_text(
            formats.valeur(ligne.reel, ligne.unite)
        )

    pdf = _telecharger(page, "Télécharger en PDF (A4)", f"tableau-de-bord-{MOIS}-67.pdf")
    texte = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    compact = _sans_espaces(texte)
    assert f"Tableau de bord mensuel — {formats.periode(MOIS)}" in texte
    assert _sans_espaces(et.etat_edition(publie)) in _sans_espaces(texte.lower())
    for ligne in reels:
        assert _sans_espaces(formats.valeur(ligne.reel, ligne.unite)) in compact, ligne.code
    for alerte in publie.alertes:
        assert alerte.code in texte

    xlsx = _telecharger(page, "Télécharger en Excel (XLSX)", f"tableau-de-bord-{MOIS}-67.xlsx")
    classeur = load_workbook(io.BytesIO(xlsx))
    feuille = classeur["Synthèse"]
    lignes = list(feuille.iter_rows(values_only=True))
    # La première ligne d'une feuille peut porter « Données de démonstration » : l'en-tête est
    # la première ligne qui nomme la colonne « Code ».
    debut = next(i for i, rang in enumerate(lignes) if "Code" in rang)
    entete = list(lignes[debut])
    code, reel = entete.index("Code"), entete.index("Réalisé")
    lus = {rang[code]: rang[reel] for rang in lignes[debut + 1 :]}
    for ligne in reels:  # des nombres (arrondis à la précision de leur unité), pas du texte
        ecart = {"%": 0.05, "ETP": 0.005}.get(ligne.unite, 0.5)
        assert lus[ligne.code] == pytest.approx(ligne.reel, abs=ecart), ligne.code
    rangs = list(classeur["Alertes"].iter_rows(values_only=True))
    debut = next(i for i, rang in enumerate(rangs) if "Code" in rang)
    alertes = [rang[0] for rang in rangs[debut + 1 :]]
    assert alertes == [a.code for a in publie.alertes]
    assert requetes.externes == [], f"requêtes vers l'extérieur : {requetes.externes}"


def _telecharger(page: Page, bouton: str, nom: str) -> bytes:
    """Clique un bouton de téléchargement et rend le fichier reçu."""
    with page.expect_download() as attente:
        page.get_by_role("button", name=bouton).click()
    telechargement = attente.value
    assert telechargement.suggested_filename == nom
    chemin = telechargement.path()
    assert telechargement.failure() is None
    return Path(chemin).read_bytes()


# --- Mode présentation du comité ---------------------------------------------------------------


@pytest.fixture
def contexte_ecran(
    navigateur: Browser, requetes: Requetes
) -> Iterator[Callable[[int, int], BrowserContext]]:
    """Des contextes neufs à la taille d'un écran de salle, hors ligne comme les autres."""
    ouverts: list[BrowserContext] = []

    def ouvrir(largeur: int, hauteur: int) -> BrowserContext:
        ctx = navigateur.new_context(locale="fr-FR", viewport={"width": largeur, "height": hauteur})
        ctx.route(NON_LOCAL, lambda route: (requetes.externes.append(route.request.url),
                                            route.abort()))  # fmt: skip
        ouverts.append(ctx)
        return ctx

    yield ouvrir
    for ctx in ouverts:
        ctx.close()


def _diapo_affichee(page: Page, numero: int, titre: str, total: int) -> None:
    """La diapositive `numero` est à l'écran, entière (carte dessinée), et l'URL le dit."""
    expect(page).to_have_url(re.compile(rf"[?&]diapo={numero}(&|$)"))
    expect(page.locator(".comite-titre")).to_have_text(titre)
    expect(page.get_by_role("button", name=f"{numero} / {total}", exact=True)).to_be_visible()
    _stable(page)
    if page.get_by_test_id("stVegaLiteChart").count():
        expect(page.get_by_test_id("stVegaLiteChart").locator("canvas, svg").first).to_be_visible()
    expect(page.locator(PIED).get_by_text("Données de démonstration")).to_be_visible()


@pytest.mark.parametrize(("largeur", "hauteur"), TAILLES, ids=["1920x1080", "1280x720"])
def test_chaque_diapositive_tient_dans_l_ecran_sans_defiler(
    contexte_ecran: Callable[[int, int], BrowserContext], serveur: Serveur, requetes: Requetes,
    tmp_path: Path, largeur: int, hauteur: int,
) -> None:  # fmt: skip
    diapos = comite.diapos(_edition(serveur))
    page = contexte_ecran(largeur, hauteur).new_page()
    ouvrir_connecte(page, serveur, f"{PRESENTATION}&diapo=1", "pilotage")
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_test_id("stHeader")).to_be_hidden()
    for numero, diapo in enumerate(diapos, start=1):
        _diapo_affichee(page, numero, diapo.titre, len(diapos))
        page.screenshot(path=str(tmp_path / f"diapo-{numero:02d}-{largeur}x{hauteur}.png"))
        mesures = page.evaluate(DEFILEMENT)
        for element, (contenu, visible) in mesures.items():
            assert contenu <= visible, (
                f"diapositive {numero} ({diapo.cle}) à {largeur}×{hauteur} : {element} défile "
                f"({contenu} px pour {visible} px visibles)"
            )
        assert page.evaluate(BAS_DU_PIED) <= hauteur, f"pied hors de l'écran ({diapo.cle})"
        if numero < len(diapos):
            page.get_by_role("button", name="Suivante").click()
    expect(page.get_by_role("button", name="Suivante")).to_be_disabled()
    assert requetes.externes == [], f"requêtes vers l'extérieur : {requetes.externes}"


def test_precedente_et_suivante_ecrivent_le_numero_dans_l_url_qui_rouvre_la_diapositive(
    contexte_ecran: Callable[[int, int], BrowserContext], serveur: Serveur
) -> None:
    diapos = comite.diapos(_edition(serveur))
    total = len(diapos)
    page = contexte_ecran(1280, 720).new_page()
    ouvrir_connecte(page, serveur, f"{PRESENTATION}&diapo=2", "pilotage")
    _diapo_affichee(page, 2, diapos[1].titre, total)
    page.get_by_role("button", name="Suivante").click()
    _diapo_affichee(page, 3, diapos[2].titre, total)
    page.get_by_role("button", name="Suivante").click()
    _diapo_affichee(page, 4, diapos[3].titre, total)
    page.get_by_role("button", name="Précédente").click()
    _diapo_affichee(page, 3, diapos[2].titre, total)
    assert "mode=comite" in page.url and f"edition={MOIS}" in page.url
    adresse = page.url.removeprefix(serveur.url)

    # Le lien noté en séance, ouvert ailleurs (nouvelle session, connexion) : même diapositive.
    ailleurs = contexte_ecran(1920, 1080).new_page()
    ouvrir_connecte(ailleurs, serveur, adresse, "pilotage")
    _diapo_affichee(ailleurs, 3, diapos[2].titre, total)

    # Sauter directement à une diapositive, puis quitter : la page normale, même édition.
    page.get_by_role("button", name=f"3 / {total}").click()
    page.get_by_role("button", name=f"{total}. Alertes").click()
    _diapo_affichee(page, total, "Alertes", total)
    page.get_by_role("button", name="Quitter la présentation").click()
    expect(page).not_to_have_url(re.compile(r"mode=comite|diapo="))
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Tableau de bord mensuel — {formats.periode(MOIS)}")
           ).to_be_visible()  # fmt: skip
    assert f"edition={MOIS}" in page.url


# --- L'onglet dans l'URL (ticket 20) -------------------------------------------------------------


def test_un_lien_copie_depuis_l_onglet_alertes_rouvre_les_alertes(
    page: Page, serveur: Serveur, navigateur: Browser
) -> None:
    """Cliquer « Alertes » écrit `onglet=alertes` dans l'URL ; ce lien, ouvert dans un
    navigateur neuf (connexion comprise), rouvre le tableau de bord sur « Alertes »."""
    ouvrir_connecte(page, serveur, f"/tableau-de-bord?periode={MOIS}", "pilotage")
    _stable(page)
    page.get_by_role("tab", name="Alertes").click()
    expect(page).to_have_url(re.compile(r"[?&]onglet=alertes(&|$)"))
    lien = page.url
    neuf = navigateur.new_context(locale="fr-FR")
    neuf.route(NON_LOCAL, lambda route: route.abort())
    try:
        autre = neuf.new_page()
        ouvrir_connecte(autre, serveur, lien.removeprefix(serveur.url), "pilotage")
        _stable(autre)
        expect(autre.get_by_role("tab", name="Alertes")).to_have_attribute("aria-selected", "true")
        expect(autre.get_by_role("tab", name="Synthèse")).to_have_attribute(
            "aria-selected", "false"
        )
    finally:
        neuf.close()
