"""Classeurs XLSX du corpus, fabriqués à la volée (des octets, jamais un fichier binaire versionné).

Chaque fonction rend le contenu d'un fichier ; les tests lui donnent un nom (donc une extension).
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import openpyxl

ENTETE = ["indicateur", "territoire", "periode", "valeur"]


def _classeur(lignes: list[list[object]]) -> bytes:
    classeur = openpyxl.Workbook()
    feuille = classeur.active
    feuille.title = "Indicateurs"
    for ligne in lignes:
        feuille.append(ligne)
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


def bon() -> bytes:
    """Période en date (2019-06-01), code de canton en nombre, valeur décimale : comme Excel."""
    return _classeur([
        ENTETE,
        ["OO2-S.1", 6705, "2019-T3", 777],
        ["FIN-2.1", 6705, datetime(2019, 6, 1), 1234.5],
        ["OO2-S.1", "6705", "2020-T1", 12.5],
    ])  # fmt: skip


def formule() -> bytes:
    return _classeur([ENTETE, ["OO2-S.1", "6705", "2019-T3", 777],
                      ["OO2-S.1", "6706", "2019-T3", "=D2*2"]])  # fmt: skip


def indicateur_inconnu() -> bytes:
    return _classeur([ENTETE, ["OO2-S.1", "6705", "2019-T3", 777],
                      ["ZZ-1", "6705", "2019-T3", 12]])  # fmt: skip


def periodicite() -> bytes:
    """Un tableur a changé « 2019-06 » en date : le mois est lu, et refusé pour un trimestriel."""
    return _classeur([ENTETE, ["OO2-S.1", "6705", datetime(2019, 6, 1), 12]])


def vide() -> bytes:
    return _classeur([])


def macros_cachees() -> bytes:
    """Un classeur `.xlsx` qui contient pourtant un projet de macros (vbaProject.bin)."""
    tampon = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bon())) as source, zipfile.ZipFile(tampon, "w") as cible:
        for info in source.infolist():
            cible.writestr(info, source.read(info))
        cible.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0macros")
    return tampon.getvalue()


def document_non_classeur() -> bytes:
    """Une archive bureautique qui n'est pas un classeur (un document Word renommé)."""
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return tampon.getvalue()
