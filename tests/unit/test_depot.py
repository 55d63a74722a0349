"""La boîte de dépôt de l'import annonce et applique la limite de `config/import.toml`
(ticket 20) : `pilotage run` la passe à Streamlit, la page la dit en français."""

from __future__ import annotations

import tomllib

import pytest

from config.settings import DOSSIER_CONFIG
from dashboard import cli
from dashboard.vues.import_donnees import consigne_depot
from data_access.fichiers_import import read_config_import


def _reglage() -> dict[str, int]:
    with (DOSSIER_CONFIG / "import.toml").open("rb") as f:
        return tomllib.load(f)["fichier"]


def test_pilotage_run_passe_la_taille_reglee_a_streamlit(monkeypatch: pytest.MonkeyPatch) -> None:
    lancee: list[list[str]] = []
    monkeypatch.setenv("PILOTAGE_DEMO", "1")
    monkeypatch.setattr(cli.os, "execv", lambda _prog, commande: lancee.append(commande))
    monkeypatch.setattr(cli.os, "chdir", lambda _dossier: None)
    cli.main(["run", "--port", "8599"])
    (commande,) = lancee
    i = commande.index("--server.maxUploadSize")
    assert commande[i + 1] == str(_reglage()["taille_max_mo"])


def test_la_page_dit_quoi_deposer_et_les_limites_reglees() -> None:
    texte = consigne_depot(read_config_import())
    reglage = _reglage()
    assert f"**{reglage['taille_max_mo']} Mo**" in texte
    assert "**200\u202f000 lignes**" in texte and reglage["lignes_max"] == 200000
    assert texte.startswith("Déposez ci-dessous le fichier des indicateurs du mois")
