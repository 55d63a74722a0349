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
    """Les modules d'un dossier et de ses sous-paquets."""
    return sorted((RACINE / dossier).rglob("*.py"))


def _nom_module(chemin: Path) -> str:
    """`dashboard/vues/carte.py` → `dashboard.vues.carte` ; un `__init__.py` nomme son paquet."""
    parties = chemin.relative_to(RACINE).with_suffix("").parts
    return ".".join(parties[:-1] if parties[-1] == "__init__" else parties)


MODULES = {
    _nom_module(p): p for d in ("dashboard", "data_access", "config", "pages") for p in _modules(d)
}


def _imports_complets(chemin: Path) -> set[str]:
    """Tout ce qu'un module importe, en noms pointés, y compris dans ses fonctions : un import
    différé reste une dépendance. `from paquet import module` compte comme `paquet.module`."""
    noms: set[str] = set()
    for noeud in ast.walk(ast.parse(chemin.read_text(encoding="utf-8"))):
        if isinstance(noeud, ast.Import):
            noms.update(a.name for a in noeud.names)
        elif isinstance(noeud, ast.ImportFrom) and noeud.module:
            noms.add(noeud.module)
            noms.update(
                f"{noeud.module}.{a.name}"
                for a in noeud.names
                if f"{noeud.module}.{a.name}" in MODULES
            )
    return noms


def _imports(chemin: Path) -> set[str]:
    return {nom.split(".")[0] for nom in _imports_complets(chemin)}


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


# Les couches de dashboard/ (README, « Architecture »). Le cadre : le routeur et ce qui tient la
# session Streamlit ; les constructeurs purs ne voient ni Streamlit ni la base.
CADRE_STREAMLIT = {"app", "auth", "contexte", "erreurs", "pages_app", "view_state"}
AVEC_STREAMLIT = {"vues", "donnees"}
CONSTRUCTEURS = {"carte", "graphiques", "modeles", "tableau_de_bord", "exports"}
# La publication écrit dans la transaction de l'appelant : seul constructeur qui reçoit une
# connexion. Le contenu du tableau de bord se construit depuis une lecture faite d'avance.
AVEC_CONNEXION = {"dashboard.tableau_de_bord.editions"}


def _partie(module: str) -> str:
    """Le paquet de `dashboard` d'un module (`vues`, `donnees`…) ou le nom d'un module du cadre."""
    return module.split(".")[1] if module.count(".") else ""


def _dashboard() -> list[tuple[str, Path]]:
    return [(m, p) for m, p in MODULES.items() if m.startswith("dashboard.")]


@pytest.mark.parametrize("module", [m for m, _ in _dashboard()])
def test_seuls_les_vues_les_lectures_et_le_cadre_importent_streamlit(module: str) -> None:
    importe = {nom.split(".")[0] for nom in _imports_complets(MODULES[module])}
    if _partie(module) not in AVEC_STREAMLIT | CADRE_STREAMLIT:
        assert not {nom for nom in importe if nom.startswith("streamlit")}


@pytest.mark.parametrize("module", [m for m, _ in _dashboard() if _partie(m) in CONSTRUCTEURS])
def test_les_constructeurs_ne_remontent_ni_aux_vues_ni_aux_lectures(module: str) -> None:
    """Un constructeur reçoit des valeurs : il n'appelle ni une vue, ni une lecture en cache, ni
    le cadre Streamlit (sinon il ne se teste plus sans serveur)."""
    interdits = {f"dashboard.{p}" for p in AVEC_STREAMLIT | CADRE_STREAMLIT}
    for nom in _imports_complets(MODULES[module]):
        assert not any(nom == i or nom.startswith(i + ".") for i in interdits), nom
    if module not in AVEC_CONNEXION:
        assert "sqlalchemy" not in _imports(MODULES[module])


@pytest.mark.parametrize("module", [m for m, _ in _dashboard()])
def test_seules_les_lectures_et_la_ligne_de_commande_tiennent_le_moteur(module: str) -> None:
    """Le moteur SQLAlchemy se crée dans `donnees` (l'application) ou dans la ligne de commande ;
    une vue passe par `donnees`, jamais par une connexion qu'elle ouvrirait."""
    texte = MODULES[module].read_text(encoding="utf-8")
    if _partie(module) not in {"donnees", "cli"}:
        assert "data_access.engine" not in _imports_complets(MODULES[module])
        assert "create_engine" not in texte
    if _partie(module) == "vues":
        assert not re.search(r"\bengine\(\)|\.connect\(\)|\.begin\(\)", texte)


@pytest.mark.parametrize("chemin", _modules("data_access"), ids=lambda p: p.name)
def test_data_access_n_importe_rien_de_dashboard(chemin: Path) -> None:
    assert not _imports(chemin) & {"dashboard", "pages"}


def _cycle() -> list[str]:
    """Un cycle d'imports entre les modules du projet, ou une liste vide (parcours en
    profondeur, trois couleurs)."""
    aretes = {m: sorted(i for i in _imports_complets(p) if i in MODULES and i != m)
              for m, p in MODULES.items()}  # fmt: skip
    etat: dict[str, int] = {}
    pile: list[str] = []

    def visiter(module: str) -> list[str]:
        etat[module] = 1
        pile.append(module)
        for suivant in aretes[module]:
            if etat.get(suivant) == 1:
                return pile[pile.index(suivant) :] + [suivant]
            if suivant not in etat and (trouve := visiter(suivant)):
                return trouve
        pile.pop()
        etat[module] = 2
        return []

    for module in sorted(aretes):
        if module not in etat and (trouve := visiter(module)):
            return trouve
    return []


def test_aucun_cycle_d_imports() -> None:
    cycle = _cycle()
    assert not cycle, "cycle d'imports : " + " → ".join(cycle)


def test_les_revisions_du_schema_forment_une_suite_numerotee() -> None:
    """Une seule tête, chaque révision après la précédente (0001, 0002…), son fichier nommé par
    son numéro : deux branches qui ajoutent chacune leur révision se voient à la fusion (deux
    têtes) au lieu de laisser une base à mi-chemin. Gabarit présent (`nouvelle`)."""
    from data_access import migrations

    scripts = list(reversed(list(migrations.scripts().walk_revisions())))
    assert [s.revision for s in scripts] == [f"{n:04d}" for n in range(1, len(scripts) + 1)]
    assert [s.down_revision for s in scripts] == [None, *(s.revision for s in scripts[:-1])]
    for s in scripts:
        assert Path(s.path).name.startswith(f"{s.revision}_"), s.path
        assert s.doc, f"révision {s.revision} sans phrase qui dit ce qu'elle fait"
    assert migrations.tete() == scripts[-1].revision
    assert (migrations.REPERTOIRE / "script.py.mako").is_file()
