"""Une édition publiée avant la version 2 du contenu (ticket 18) se relit et s'exporte avec les
chiffres qu'elle a publiés.

`edition_v1/edition_2019-06_67.json` : l'édition de juin 2019 du département telle que
`pilotage demo` l'a publiée au commit 5a07518 (version 1 du contenu). Les exports d'une édition
publiée sont identiques octet pour octet tant qu'ils sont faits par une même version de
l'application ; une version peut changer des libellés (le ticket 18, point 6, a renommé « Données
au » en « Période des données »), jamais des chiffres. D'où deux tests : les chiffres exportés
(réalisé, cible, attendu, statut) sont ceux du JSON publié, lus ici sans le code de l'application ;
`empreintes.json` fixe le SHA-256 des exports CSV, PDF et XLSX de cette version (pour le XLSX,
celui de chacune de ses parties, dates de création et de modification comprises : elles sont
celles de la publication depuis le ticket 19 ; la compression de l'archive n'y entre pas),
refait par `python -m tests.unit.test_edition_v1` quand une version change sciemment un libellé.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
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


def _edition_v1() -> contenu.TableauDeBord:
    return contenu.from_json((DOSSIER / "edition_2019-06_67.json").read_text(encoding="utf-8"))


def empreinte(octets: bytes, extension: str) -> str:
    """SHA-256 des octets ; d'un classeur, celui de ses parties (noms et contenus)."""
    if extension != "xlsx":
        return hashlib.sha256(octets).hexdigest()
    condense = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(octets)) as archive:
        for nom in sorted(archive.namelist()):
            partie = archive.read(nom)
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
def test_une_edition_de_version_1_s_exporte_octet_pour_octet_dans_cette_version(
    extension: str, demonstration: bool
) -> None:
    octets = fichiers.exporter(_edition_v1(), extension, demonstration=demonstration)
    assert empreinte(octets, extension) == EMPREINTES[extension]


def _nombre(texte: str) -> float | None:
    """Un nombre du CSV (« 25,4291… », « 4155414,57 ») ; une case vide n'en est pas un."""
    return float(texte.replace(",", ".")) if texte else None


def _attendu_publie(attendu: float | None, unite: str) -> float | None:
    """L'attendu tel que les exports de version 1 l'ont écrit : au dixième pour un taux, sinon à
    l'unité, arrondi au pair (le `round` de Python)."""
    if attendu is None:
        return None
    return round(attendu, 1) if unite == "%" else float(round(attendu))


@pytest.mark.parametrize("demonstration", [False, True], ids=["reglage-reel", "reglage-demo"])
def test_une_edition_de_version_1_exporte_les_chiffres_publies(demonstration: bool) -> None:
    publie = json.loads((DOSSIER / "edition_2019-06_67.json").read_text(encoding="utf-8"))
    octets = fichiers.exporter(_edition_v1(), "csv", demonstration=demonstration)
    lignes = list(csv.DictReader(io.StringIO(octets.decode("utf-8-sig")), delimiter=";"))
    for section, cle in (("Synthèse", "synthese"), ("Indicateurs", "indicateurs")):
        lus = [(r["Code"], _nombre(r["Réalisé"]), _nombre(r["Cible"]),
                _nombre(r["Attendu à date"]), r["Statut"])
               for r in lignes if r["Section"] == section]  # fmt: skip
        attendus = [(i["code"], i["reel"], i["cible"], _attendu_publie(i["attendu"], i["unite"]),
                     i["statut"] or "sans trajectoire")
                    for i in publie[cle]]  # fmt: skip
        assert lus == attendus and len(lus) > 5
    territoires = [(r["Territoire"], _nombre(r["Réalisé"]), _nombre(r["Cible"]),
                    _nombre(r["Attendu à date"]), r["Statut"])
                   for r in lignes if r["Section"] == "Territoires"]  # fmt: skip
    assert territoires == [(t["libelle_territoire"], t["reel"], t["cible"],
                            _attendu_publie(t["attendu"], ""), t["statut"] or "sans trajectoire")
                           for t in publie["territoires"]]  # fmt: skip


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


def refaire_empreintes() -> None:
    """Réécrit `empreintes.json` avec les exports de la version en cours (réglage réel : une
    édition sait elle-même si elle est de démonstration, les deux réglages donnent les mêmes
    octets, ce que le test vérifie)."""
    empreintes = {x: empreinte(fichiers.exporter(_edition_v1(), x), x) for x in fichiers.FORMATS}
    texte = json.dumps(empreintes, indent=2, sort_keys=True) + "\n"
    (DOSSIER / "empreintes.json").write_text(texte, encoding="utf-8")


if __name__ == "__main__":
    refaire_empreintes()
