"""Page « Objectifs » (AppTest) : la section « Écarts entre documents » et les écarts sur la
fiche d'un indicateur. Les attendus sont relus en SQL dans la base de démonstration."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.app.aides import bloc, connexion, page, textes

RACINE = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.usefixtures("environnement")


def _items(noeud: object) -> list[str]:
    """Les écarts affichés sous `noeud` : un texte Markdown chacun, ouvert par « **INC-nn** » ;
    l'espace insécable des milliers (« 10 000 ») relue comme une espace simple."""
    return [t.replace("\u202f", " ") for t in textes(noeud) if re.match(r"\*\*INC-\d+\*\*", t)]


def _chiffres(texte: str) -> str:
    """Un texte sans ses espaces (« 10 000 » et « 10 000 » s'y lisent « 10000 »)."""
    return re.sub(r"\s", "", texte)


@pytest.mark.parametrize("identifiant", ["admin", "elu-nord"])
def test_la_section_liste_tous_les_ecarts(environnement: Path, identifiant: str) -> None:
    """Faits documentaires : un élu du NORD les lit tous, comme l'administrateur."""
    at = page(identifiant, "objectifs", {"periode": "2019-06"})
    with connexion(environnement) as conn:
        compte = conn.execute(text("SELECT COUNT(*) FROM ecart")).scalar_one()
        lignes = conn.execute(text("SELECT code, description FROM ecart")).all()
    section = bloc(at.main, "ecarts_documents")
    assert section.get("subheader")[0].value == "Écarts entre documents"
    items = _items(section)
    assert len(items) == compte
    affiches = {re.match(r"\*\*(INC-\d+)\*\*", t)[1]: t for t in items}  # type: ignore[index]
    assert set(affiches) == {code for code, _ in lignes}
    for code, description in lignes:
        assert description in affiches[code], code
    assert f"{compte} écarts relevés" in " ".join(textes(section))


def test_la_fiche_oo2_s1_montre_l_ecart_10_000_contre_11_199(environnement: Path) -> None:
    with connexion(environnement) as conn:
        cibles = conn.execute(
            text(
                "SELECT valeur FROM cible WHERE indicateur = 'OO2-S.1' AND territoire = '67'"
                " AND periode = '2017-2019'"
            )
        ).scalars()
        lectures = [f"{int(v)}" for v in cibles]
        ecarts = conn.execute(text("SELECT code, sources, ou, description FROM ecart")).all()
    assert sorted(lectures) == ["10000", "11199"]
    # L'écart qui porte ces deux lectures, trouvé dans la table, pas supposé.
    code, sources, ou, description = next(
        e for e in ecarts if all(v in _chiffres(e.description) for v in lectures)
    )
    at = page("pilotage", "objectifs", {"periode": "2019-06", "territoire": "67",
                                        "fiche": "OO2-S.1"})  # fmt: skip
    fiche = bloc(bloc(at.main, "fiche_ouverte"), "fiche_ecarts")
    assert fiche is not None
    item = next(t for t in _items(fiche) if t.startswith(f"**{code}**"))
    assert description in item
    assert all(v in _chiffres(item) for v in lectures)
    # La source de chacune des deux lectures : le titre du document (lu dans
    # config/documents.csv, pas par le code de la page) et chaque endroit de `ou`.
    with (RACINE / "config" / "documents.csv").open(encoding="utf-8", newline="") as f:
        titres = {ligne["fichier"]: ligne["titre"] for ligne in csv.DictReader(f, delimiter=";")}
    lieux = [lieu.strip() for lieu in ou.split(" / ")]
    assert len(lieux) == 2
    assert all(f"{titres[sources]}, {lieu}" in item for lieu in lieux)
    assert sources not in item  # un élu lit le nom du document, pas celui du fichier


def test_une_fiche_sans_ecart_n_en_montre_pas() -> None:
    """A2.1 : ni cité par une note, ni nommé par un écart (A25, A26 ne sont pas A2)."""
    at = page("pilotage", "objectifs", {"periode": "2019-06", "territoire": "67",
                                        "fiche": "A2.1"})  # fmt: skip
    fiche = bloc(at.main, "fiche_ouverte")
    assert fiche is not None
    assert bloc(fiche, "fiche_ecarts") is None
