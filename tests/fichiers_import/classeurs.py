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
    """Période en date (2019-06-01), code de canton en nombre, entier écrit 1234.0 : comme
    Excel."""
    return _classeur([
        ENTETE,
        ["OO2-S.1", 6705, "2019-T3", 777],
        ["FIN-2.1", 6705, datetime(2019, 6, 1), 1234.0],
        ["OO2-S.1", "6705", "2020-T1", 12],
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


def _feuilles(*feuilles: tuple[str, str, list[list[object]]]) -> bytes:
    """Un classeur de plusieurs feuilles : (titre, état « visible » / « hidden », lignes)."""
    classeur = openpyxl.Workbook()
    classeur.remove(classeur.active)
    for titre, etat, lignes in feuilles:
        feuille = classeur.create_sheet(titre)
        feuille.sheet_state = etat
        for ligne in lignes:
            feuille.append(ligne)
    classeur.active = next(i for i, f in enumerate(feuilles) if f[1] == "visible")
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


def feuille_cachee() -> bytes:
    """Première feuille masquée (999 999), feuille visible (31 puis une erreur) : seule la
    visible est lue, l'erreur dite est la sienne."""
    return _feuilles(
        ("Brouillon", "hidden", [ENTETE, ["A31.1", "6701", "2019-06", 999999]]),
        ("Saisie", "visible", [ENTETE, ["A31.1", "6701", "2019-06", 31],
                               ["A31.1", "6702", "2019-06", "trente"]]),
    )  # fmt: skip


def feuille_cachee_seule_valide() -> bytes:
    """Le cas du ticket : la feuille masquée vaut 999 999, la visible 31 ; 31 doit s'importer."""
    return _feuilles(
        ("Brouillon", "hidden", [ENTETE, ["A31.1", "6701", "2019-06", 999999]]),
        ("Saisie", "visible", [ENTETE, ["A31.1", "6701", "2019-06", 31]]),
    )


def deux_feuilles() -> bytes:
    return _feuilles(
        ("Feuil1", "visible", [ENTETE, ["A31.1", "6701", "2019-06", 31]]),
        ("Feuil2", "visible", [ENTETE, ["A31.1", "6702", "2019-06", 7]]),
    )


def valeurs_masquee() -> bytes:
    return _feuilles(
        ("Valeurs", "hidden", [ENTETE, ["A31.1", "6701", "2019-06", 31]]),
        ("Notes", "visible", [["à lire"]]),
    )


def feuille_valeurs_parmi_d_autres() -> bytes:
    """Trois feuilles visibles, dont « Valeurs » (celle du modèle) : c'est elle qui est lue."""
    return _feuilles(
        ("Notes", "visible", [["à lire"]]),
        ("Valeurs", "visible", [ENTETE, ["A31.1", "6701", "2019-06", "12,500"]]),
        ("Calculs", "visible", [ENTETE, ["A31.1", "6701", "2019-06", 31]]),
    )


def cellules_fusionnees() -> bytes:
    classeur = openpyxl.load_workbook(io.BytesIO(_classeur([
        ENTETE, ["A31.1", "6701", "2019-05", 12], [None, "6702", "2019-05", 14]])))  # fmt: skip
    classeur.active.merge_cells("A2:A3")
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


def formule_periode() -> bytes:
    return _classeur([ENTETE, ["A31.1", "6701", "=DATE(2019,6,1)", 12]])


def nombre_enorme() -> bytes:
    return _classeur(
        [ENTETE, ["A31.1", "6701", "2019-05", 12], ["A31.1", "6701", "2019-06", 1e308]]
    )


def vingt_six_chiffres() -> bytes:
    return _classeur([ENTETE, ["A31.2", "67", "2019-06", 12345678901234567890123456]])


def date_serie() -> bytes:
    """Une période devenue nombre (43617, le 1er juin 2019 en jours d'Excel)."""
    return _classeur([ENTETE, ["A31.1", "6701", 43617, 12]])


def _classeur_brut(lignes_xml: bytes | None = None, *, repetitions: int = 0) -> bytes:
    """Un classeur écrit à la main : `lignes_xml` tel quel dans sheetData, ou `repetitions`
    lignes identiques (un classeur minuscule qui se décompresse en centaines de milliers de
    lignes, écrit en flux sans les garder en mémoire)."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
        '"xl/workbook.xml"/></Relationships>'
    )
    classeur = (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="Valeurs" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>'
    )
    liens = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
        '"worksheets/sheet1.xml"/></Relationships>'
    )
    entete = "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{nom}</t></is></c>'
        for col, nom in zip("ABCD", ENTETE, strict=True)
    )
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", classeur)
        archive.writestr("xl/_rels/workbook.xml.rels", liens)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as feuille:
            feuille.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://'
                b'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            feuille.write(f'<row r="1">{entete}</row>'.encode())
            if lignes_xml is not None:
                feuille.write(lignes_xml)
            ligne = (b'<row><c t="inlineStr"><is><t>A31.1</t></is></c><c t="inlineStr"><is><t>'
                     b'6701</t></is></c><c t="inlineStr"><is><t>2019-06</t></is></c><c><v>1</v>'
                     b"</c></row>")  # fmt: skip
            for _ in range(repetitions // 1000):
                feuille.write(ligne * 1000)
            feuille.write(ligne * (repetitions % 1000))
            feuille.write(b"</sheetData></worksheet>")
    return tampon.getvalue()


def nombre_infini() -> bytes:
    """Une cellule nombre qui vaut 1e309 : le lecteur de classeur la lit comme l'infini."""
    return _classeur_brut(
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>A31.1</t></is></c><c r="B2" '
        b't="inlineStr"><is><t>6701</t></is></c><c r="C2" t="inlineStr"><is><t>2019-06</t>'
        b'</is></c><c r="D2"><v>1e309</v></c></row>'
    )


def quatre_cent_mille_lignes() -> bytes:
    """Le classeur du ticket : environ 240 Ko, 400 000 lignes une fois décompressé."""
    return _classeur_brut(repetitions=400_000)
