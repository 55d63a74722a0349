"""Audit d'accessibilité dans Chromium : axe-core sur chaque page, les phrases des graphiques,
et le clavier seul.

axe-core vient du registre npm (`package.json`, version exacte, `npm ci`) : le test lit
`node_modules/axe-core/axe.min.js` et l'injecte dans la page et dans chacun de ses cadres (la
carte Leaflet est dans un `iframe`), sans aucune requête réseau. Toute violation d'impact
« serious » ou « critical » fait échouer le test, avec la règle, son aide et les éléments en
cause. Aucune règle ni aucun élément n'est exclu.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from dashboard.vues import entete
from tests.e2e.conftest import RACINE, Requetes, Serveur, attendre, ouvrir_connecte

AXE = RACINE / "node_modules" / "axe-core" / "axe.min.js"
IMPACTS_BLOQUANTS = frozenset({"serious", "critical"})
IFRAME_CARTE = 'iframe[title="streamlit_folium.st_folium"]'
# Un cadre plein écran de Streamlit qui n'est pas un tableau est un graphique : il est dessiné
# quand il contient son SVG (ou son canvas).
GRAPHIQUE_NON_DESSINE = (
    '[data-testid="stFullScreenFrame"]:not(:has([data-testid="stDataFrame"]))'
    ':not(:has([data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas))'
)
LANCER_AXE = """async () => {
  const resultat = await axe.run(document, {resultTypes: ['violations']});
  return resultat.violations.map(v => ({
    id: v.id, impact: v.impact, aide: v.help,
    noeuds: v.nodes.map(n => ({impact: n.impact, cibles: n.target, html: n.html})),
  }));
}"""
# Pour chaque graphique : son nom accessible et le texte de l'élément qui le suit.
PHRASES = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].map(g => {
  const suivant = g.closest('[data-testid="stElementContainer"]').nextElementSibling;
  return {nom: g.getAttribute('aria-label'), suite: suivant ? suivant.textContent.trim() : ''};
})"""
ACTIF = "e => e === document.activeElement || e.contains(document.activeElement)"


@dataclass(frozen=True)
class Audit:
    """Une page à auditer : son adresse ; si elle attend la carte, parcourt ses onglets ; si
    ses graphiques sont suivis de leur phrase (pas en séance du comité, qui doit tenir dans
    l'écran : la phrase y nomme la carte et le tableau voisin donne les chiffres)."""

    adresse: str
    titre: str | re.Pattern[str] | None  # le titre de la page, attendu avant l'audit
    graphiques: int = 0  # au moins, sur le premier onglet : l'audit les attend dessinés
    carte: bool = False
    onglets: bool = False
    phrases_visibles: bool = True


AUDITS = {
    "synthese": Audit("/?periode=2019-06", "Synthèse", graphiques=1),
    "carte": Audit("/carte?indicateur=OO2-S.1&periode=2019-06&canton=6705", "Haguenau",
                   graphiques=1, carte=True),
    "objectifs": Audit("/objectifs?periode=2019-06&territoire=67", "Objectifs"),
    "objectifs-fiche": Audit("/objectifs?periode=2019-06&territoire=67&fiche=OO2-S.1",
                             re.compile(r"^Fiche OO2-S\.1 · "), graphiques=1),
    "territoires": Audit("/territoires?periode=2019-06", "Contribution des cantons",
                         graphiques=5),
    "moyens-resultats": Audit("/moyens-resultats?periode=2019-06",
                              "ETP et retours à l'emploi par territoire d'action, 2019",
                              graphiques=2),
    "tableau-de-bord": Audit("/tableau-de-bord?periode=2019-06", "Éditions publiées",
                             graphiques=4, onglets=True),
    "tableau-de-bord-edition": Audit("/tableau-de-bord?edition=2019-06", "Éditions publiées",
                                     graphiques=4, onglets=True),
    "import": Audit("/import", "Import des indicateurs", onglets=True),
}  # fmt: skip


def _script_axe() -> str:
    if not AXE.exists():
        pytest.fail(
            f"axe-core introuvable ({AXE.relative_to(RACINE)}) : lancez « npm ci » à la racine "
            "du dépôt (scripts/test.sh le fait) ; il installe la version de package-lock.json.",
            pytrace=False,
        )
    return AXE.read_text(encoding="utf-8")


def _dessinee(page: Page, audit: Audit) -> None:
    """Attend la page entière : son titre, fin du script, plus d'élément périmé, ses graphiques
    et sa carte tracés."""
    if audit.titre is not None:
        expect(page.get_by_role("heading", name=audit.titre).first).to_be_visible()
    attendre(page)
    expect(page.locator('[data-stale="true"]')).to_have_count(0)
    if audit.graphiques:
        expect(page.get_by_test_id("stVegaLiteChart").nth(audit.graphiques - 1)).to_be_attached()
    expect(page.locator(GRAPHIQUE_NON_DESSINE)).to_have_count(0)
    if audit.carte:
        zones = page.frame_locator(IFRAME_CARTE).locator("path.leaflet-interactive")
        expect(zones).to_have_count(18)


def _violations(page: Page) -> list[dict[str, Any]]:
    """Les violations d'axe-core, cadres compris (axe est injecté dans chacun)."""
    script = _script_axe()
    for cadre in page.frames:
        if not cadre.is_detached():
            cadre.add_script_tag(content=script)
    return list(page.evaluate(LANCER_AXE))


def bloquantes(violations: list[dict[str, Any]]) -> list[str]:
    """Une ligne par élément en cause d'impact grave ou critique : règle, impact, aide, cible."""
    lignes = []
    for v in violations:
        for noeud in v["noeuds"]:
            impact = noeud["impact"] or v["impact"]
            if impact in IMPACTS_BLOQUANTS:
                cible = " » ".join(" ".join(c) if isinstance(c, list) else c
                                   for c in noeud["cibles"])  # fmt: skip
                lignes.append(f"{v['id']} ({impact}) — {v['aide']} — {cible} — "
                              f"{noeud['html'][:160]}")  # fmt: skip
    return lignes


def _phrases_manquantes(page: Page, audit: Audit) -> list[str]:
    """Les graphiques sans phrase pour nom accessible, ou (hors comité) sans la même phrase
    juste dessous."""
    manques = []
    for rang, graphique in enumerate(page.evaluate(PHRASES)):
        nom = graphique["nom"] or ""
        if not nom or nom == "Vega visualization":
            manques.append(f"graphique {rang} : pas de phrase pour nom accessible")
        elif audit.phrases_visibles and graphique["suite"] != nom:
            manques.append(f"graphique {rang} : « {nom} » n'est pas écrit juste dessous "
                           f"(suivi de « {graphique['suite'][:80]} »)")  # fmt: skip
    return manques


def _auditer(page: Page, audit: Audit) -> list[str]:
    _dessinee(page, audit)
    trouvees = bloquantes(_violations(page)) + _phrases_manquantes(page, audit)
    if audit.onglets:
        onglets = page.get_by_role("tab")
        for rang in range(1, onglets.count()):
            onglets.nth(rang).click()
            _dessinee(page, audit)
            nom = onglets.nth(rang).inner_text()
            trouvees += [f"[onglet {nom}] {ligne}" for ligne in bloquantes(_violations(page))]
            trouvees += [f"[onglet {nom}] {ligne}" for ligne in _phrases_manquantes(page, audit)]
    return trouvees


@pytest.mark.parametrize("nom", list(AUDITS))
def test_axe_aucune_violation_grave_et_chaque_graphique_a_sa_phrase(
    page: Page, serveur: Serveur, requetes: Requetes, nom: str
) -> None:
    audit = AUDITS[nom]
    ouvrir_connecte(page, serveur, audit.adresse, "pilotage")
    trouvees = _auditer(page, audit)
    assert not trouvees, f"{nom} : {len(trouvees)} problème(s) :\n" + "\n".join(trouvees)
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert requetes.externes == [], f"requêtes vers l'extérieur : {requetes.externes}"


def test_axe_chaque_diapositive_du_comite(page: Page, serveur: Serveur, requetes: Requetes) -> None:
    adresse = "/tableau-de-bord?edition=2019-06&mode=comite&diapo=1"
    ouvrir_connecte(page, serveur, adresse, "pilotage")
    suivante = page.get_by_role("button", name="Suivante")
    trouvees, diapos = [], 0
    while True:
        diapos += 1
        expect(page).to_have_url(re.compile(rf"[?&]diapo={diapos}(&|$)"))
        numero = page.get_by_role("button", name=re.compile(rf"^{diapos} \/ \d+$"))
        expect(numero).to_be_visible()
        attendre(page)
        titre = page.locator(".comite-titre").inner_text()
        # En séance, la phrase nomme la carte sans s'écrire dessous (la diapositive doit tenir
        # dans l'écran) : le tableau voisin donne les chiffres.
        diapo = Audit(adresse, None, graphiques=int(titre.startswith("Carte")),
                      phrases_visibles=False)  # fmt: skip
        trouvees += [f"[{diapos}. {titre}] {ligne}" for ligne in _auditer(page, diapo)]
        if suivante.is_disabled():
            break
        suivante.click()
    assert diapos > 5
    assert not trouvees, f"comité : {len(trouvees)} problème(s) :\n" + "\n".join(trouvees)
    assert requetes.externes == [], f"requêtes vers l'extérieur : {requetes.externes}"


def test_la_carte_est_suivie_de_sa_phrase(page: Page, serveur: Serveur) -> None:
    ouvrir_connecte(page, serveur, AUDITS["carte"].adresse, "pilotage")
    _dessinee(page, AUDITS["carte"])
    carte = page.locator('[data-testid="stElementContainer"]', has=page.locator(IFRAME_CARTE))
    phrase = carte.locator("xpath=following-sibling::*[1]")
    expect(phrase).to_have_text(re.compile(r"^Carte de 18 zones, OO2-S\.1, .* la plus haute "))


def test_axe_aucune_violation_grave_formulaire_de_connexion(page: Page, serveur: Serveur) -> None:
    page.goto(serveur.url)
    attendre(page)
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    trouvees = _auditer(page, Audit("/", entete.TITRE))
    assert not trouvees, "connexion :\n" + "\n".join(trouvees)
    assert page.evaluate("document.documentElement.lang") == "fr"


def test_l_audit_voit_une_violation_dans_la_page_et_dans_un_cadre(
    page: Page, serveur: Serveur
) -> None:
    """Le contrôle du contrôle : une image sans texte de remplacement (règle image-alt,
    critique) est trouvée dans la page comme dans un cadre."""
    page.goto(serveur.url)
    attendre(page)
    page.evaluate("""() => document.body.insertAdjacentHTML('beforeend',
        '<img id="sans-alt" src="data:,"><iframe title="essai" srcdoc="<img src=data:,>">')""")
    expect(page.frame_locator('iframe[title="essai"]').locator("img")).to_be_attached()
    images = [ligne for ligne in bloquantes(_violations(page)) if ligne.startswith("image-alt")]
    assert any("#sans-alt" in ligne for ligne in images), images
    assert any('iframe[title="essai"] » img' in ligne for ligne in images), images


def _tabuler_jusqua(page: Page, cible: Locator, maximum: int = 80) -> int:
    """Appuie sur Tab jusqu'à ce que `cible` ait le focus ; rend le nombre d'appuis."""
    expect(cible).to_be_visible()
    for appuis in range(1, maximum + 1):
        page.keyboard.press("Tab")
        if cible.evaluate(ACTIF):
            return appuis
    raise AssertionError(f"{cible} jamais atteint en {maximum} appuis sur Tab")


def test_au_clavier_seul_connexion_puis_selecteurs_de_la_barre_laterale(
    page: Page, serveur: Serveur
) -> None:
    page.goto(f"{serveur.url}/territoires?periode=2019-06")
    attendre(page)
    _tabuler_jusqua(page, page.get_by_role("textbox", name="Identifiant"))
    page.keyboard.type("pilotage")
    _tabuler_jusqua(page, page.locator('input[type="password"]'), maximum=3)
    page.keyboard.type("demo-pilotage-67")
    _tabuler_jusqua(page, page.get_by_role("button", name="Se connecter"), maximum=3)
    page.keyboard.press("Enter")
    attendre(page)
    expect(page.get_by_role("heading", name="Territoires d'action")).to_be_visible()

    # L'indicateur n'agit pas sur cette page : grisé (hors de l'ordre du clavier), il dit pourquoi.
    expect(page.get_by_role("combobox", name="Indicateur")).to_be_disabled()
    for nom in ("Période", "Territoire"):
        _tabuler_jusqua(page, page.get_by_role("combobox", name=nom))
    # Le sélecteur atteint se manœuvre aussi au clavier.
    page.keyboard.type("Territoire Sud")
    page.keyboard.press("Enter")
    attendre(page)
    expect(page).to_have_url(re.compile(r"[?&]territoire=SUD(&|$)"))


# Les sélecteurs propres à chaque page, dans l'ordre du document (rôle, nom accessible).
SELECTEURS_DES_PAGES = {
    "carte": (Audit("/carte?indicateur=OO2-S.1&periode=2019-06", "Carte des cantons", carte=True),
              (("combobox", "Mesure"), ("radiogroup", "Classes"),
               ("combobox", "Fiche de la zone"))),
    "territoires": (AUDITS["territoires"], (("combobox", "Objectif"), ("radiogroup", "Période"))),
    "moyens-resultats": (AUDITS["moyens-resultats"], (("combobox", "Année"),)),
    "tableau-de-bord": (AUDITS["tableau-de-bord"], (("combobox", "Édition"),)),
}  # fmt: skip


@pytest.mark.parametrize("nom", list(SELECTEURS_DES_PAGES))
def test_au_clavier_seul_chaque_selecteur_de_la_page(
    page: Page, serveur: Serveur, nom: str
) -> None:
    audit, selecteurs = SELECTEURS_DES_PAGES[nom]
    ouvrir_connecte(page, serveur, audit.adresse, "pilotage")
    _dessinee(page, audit)
    principal = page.get_by_test_id("stMain")
    for role, libelle in selecteurs:
        _tabuler_jusqua(page, principal.get_by_role(role, name=libelle))  # type: ignore[arg-type]
