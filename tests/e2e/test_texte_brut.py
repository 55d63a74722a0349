"""Une saisie s'affiche en texte brut dans le vrai navigateur : un nom affiché écrit en Markdown
(lien, image, gras, icône, émoji, lien automatique) ne devient rien d'autre que du texte.

AppTest ne voit que le Markdown envoyé ; Streamlit, lui, transforme encore le texte après
l'analyse (icônes, émojis, liens automatiques) : seul le navigateur montre le résultat."""

from __future__ import annotations

import subprocess
import sys

from playwright.sync_api import Page, expect

from tests.e2e.conftest import RACINE, Serveur, attendre, se_connecter

NOM = (
    "[cliquez](http://exemple.invalid) ![x](p.png) **gras** :material/home: :smile: www.exemple.fr"
)
MOT_DE_PASSE = "texte-brut-de-test-67"
GLUON = "\u2060"  # invisible, inséré par formats.texte_brut : hors de la comparaison


def test_un_nom_affiche_en_markdown_reste_du_texte(page: Page, serveur: Serveur) -> None:
    subprocess.run([sys.executable, "-m", "dashboard.cli", "users", "add", "essai-markdown",
                    "--role", "lecteur", "--nom", NOM], cwd=RACINE, env=serveur.env(), check=True,
                   input=MOT_DE_PASSE.encode(), capture_output=True)  # fmt: skip
    page.goto(f"{serveur.url}/synthese?periode=2019-06")
    attendre(page)
    se_connecter(page, "essai-markdown", MOT_DE_PASSE)
    barre = page.locator('[data-testid="stSidebarUserContent"] [data-testid="stMarkdownContainer"]')
    expect(barre.filter(has_text="cliquez")).to_have_count(1)
    nom = barre.filter(has_text="cliquez")
    # Le nom est en gras (le seul <strong>, celui de la barre latérale), rien d'autre.
    assert nom.locator("a, img, span[role=img], strong strong").count() == 0, nom.inner_html()
    assert nom.locator("strong").inner_text().replace(GLUON, "") == NOM
