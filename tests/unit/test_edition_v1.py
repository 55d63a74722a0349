"""Une édition publiée avant la version 2 du contenu (ticket 18) se relit et s'exporte comme au
jour de sa publication, octet pour octet.

`edition_v1/edition_2019-06_67.json` : l'édition de juin 2019 du département telle que
`pilotage demo` l'a publiée au commit 5a07518 (version 1 du contenu) ; `empreintes.json` : le
SHA-256 de ses exports CSV, PDF et XLSX faits par ce même commit (pour le XLSX, sans la date de
modification qu'openpyxl écrit à chaque enregistrement). Une édition figée ne change plus :
ni une révision des valeurs, ni une nouvelle version du code ne change ce qu'elle exporte.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from dashboard.exports import fichiers
from dashboard.tableau_de_bord import contenu
from dashboard.tableau_de_bord.contenu import AutreCible
from tests.unit import exemple_tableau as ex

DOSSIER = Path(__file__).parent / "edition_v1"
EMPREINTES = json.loads((DOSSIER / "empreintes.json").read_text(encoding="utf-8"))
MODIFIE = re.compile(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>")


def _edition_v1() -> contenu.TableauDeBord:
    return contenu.from_json((DOSSIER / "edition_2019-06_67.json").read_text(encoding="utf-8"))


def empreinte(octets: bytes, extension: str) -> str:
    """SHA-256 des octets ; d'un classeur, celui de ses parties sans la date de modification."""
    if extension != "xlsx":
        return hashlib.sha256(octets).hexdigest()
    condense = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(octets)) as archive:
        for nom in sorted(archive.namelist()):
            partie = archive.read(nom)
            if nom == "docProps/core.xml":
                partie = MODIFIE.sub(b"", partie)
            condense.update(nom.encode() + b"\0" + partie + b"\0")
    return condense.hexdigest()


def test_une_edition_de_version_1_se_relit_sans_autres_cibles() -> None:
    edition = _edition_v1()
    assert edition.version == 1 and edition.publication is not None
    assert edition.publication.demonstration
    lignes = (*edition.synthese, *edition.indicateurs)
    assert lignes and all(i.autres_cibles == () and i.libelle_cible == "" for i in lignes)
    assert {i.cible for i in lignes if i.code == "OO2-S.1"} == {10000.0}


@pytest.mark.parametrize("demonstration", [False, True], ids=["reglage-reel", "reglage-demo"])
@pytest.mark.parametrize("extension", fichiers.FORMATS)
def test_une_edition_de_version_1_s_exporte_comme_a_sa_publication(
    extension: str, demonstration: bool
) -> None:
    octets = fichiers.exporter(_edition_v1(), extension, demonstration=demonstration)
    assert empreinte(octets, extension) == EMPREINTES[extension]


def test_un_contenu_de_version_2_se_relit_avec_ses_autres_cibles() -> None:
    autre = AutreCible(11199.0, "2017-2019", "Somme des objectifs territoriaux (tableau §4)",
                       9332.5, "dans la trajectoire", "002_08888835fc8aebb3.txt §4")  # fmt: skip
    retours = replace(ex.RETOURS, libelle_cible="Objectif du plan", autres_cibles=(autre,))
    tableau = replace(ex.tableau(), synthese=(retours,), indicateurs=(retours, ex.VOIES))
    texte = contenu.to_json(tableau)
    relu = contenu.from_json(texte)
    assert relu == tableau and relu.version == contenu.VERSION_CONTENU == 2
    assert relu.synthese[0].autres_cibles == (autre,)
    assert contenu.from_json(texte.replace('"version": 2', '"version": 1')).version == 1
