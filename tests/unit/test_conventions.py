"""Les règles de la maison vérifiées par un test, pas par la mémoire (HOUSE_STYLE, règle 20)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from config.settings import REGLAGES
from dashboard.pages_app import PAGES

RACINE = Path(__file__).resolve().parents[2]
README = (RACINE / "README.md").read_text(encoding="utf-8")


def _modules(dossier: str) -> list[Path]:
    return sorted((RACINE / dossier).glob("*.py"))


def _imports(chemin: Path) -> set[str]:
    arbre = ast.parse(chemin.read_text(encoding="utf-8"))
    noms: set[str] = set()
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.Import):
            noms.update(a.name.split(".")[0] for a in noeud.names)
        elif isinstance(noeud, ast.ImportFrom) and noeud.module:
            noms.add(noeud.module.split(".")[0])
    return noms


@pytest.mark.parametrize("chemin", _modules("data_access"), ids=lambda p: p.name)
def test_data_access_n_importe_pas_streamlit(chemin: Path) -> None:
    assert "streamlit" not in _imports(chemin)


@pytest.mark.parametrize("chemin", _modules("pages"), ids=lambda p: p.name)
def test_les_pages_ne_font_pas_de_travail_de_donnees(chemin: Path) -> None:
    texte = chemin.read_text(encoding="utf-8")
    assert "sqlalchemy" not in _imports(chemin)
    assert not re.search(
        r"\.groupby\(|\.merge\(|\btext\(|SELECT |create_engine|st\.query_params", texte
    )


@pytest.mark.parametrize("reglage", REGLAGES, ids=lambda r: r.variable)
def test_chaque_reglage_est_documente_dans_le_readme(reglage: object) -> None:
    assert f"`{reglage.variable}`" in README  # type: ignore[attr-defined]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.adresse)
def test_chaque_page_existe(page: object) -> None:
    fichier = (RACINE / "dashboard" / page.fichier).resolve()  # type: ignore[attr-defined]
    assert fichier.exists() and fichier.parent == RACINE / "pages"


def test_seul_view_state_lit_les_parametres_d_url() -> None:
    lecteurs = [p.name for p in _modules("dashboard") + _modules("pages")
                if "st.query_params" in p.read_text(encoding="utf-8")]  # fmt: skip
    assert lecteurs == ["view_state.py"]
