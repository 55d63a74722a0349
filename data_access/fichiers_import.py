"""Lecture d'un fichier importé (CSV ou XLSX) en lignes brutes, avant tout contrôle métier.

Ce module juge les octets reçus, sans base de données : taille, type réel du fichier (un
classeur renommé en `.csv`, un texte renommé en `.xlsx`), encodage (UTF-8, avec ou sans BOM, ou
Windows-1252, celui d'Excel en français), macros, formules, en-têtes. `imports` contrôle ensuite
le sens de chaque ligne. Chaque refus est une `ErreurImport` localisée (fichier, ligne, colonne)
et rédigée en français, pour que la personne qui prépare le fichier le corrige seule.
Format et messages : `config/FORMAT_IMPORT.md`.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import math
import re
import tomllib
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePath
from typing import Any

import pandas as pd

from config.settings import DOSSIER_CONFIG
from data_access.fichiers_config import ErreurLocalisee

COLONNES_OBLIGATOIRES = ("indicateur", "territoire", "periode", "valeur")
COLONNES_FACULTATIVES = ("numerateur", "denominateur", "statut")
COLONNES = COLONNES_OBLIGATOIRES + COLONNES_FACULTATIVES
FICHIER_CONFIG = DOSSIER_CONFIG / "import.toml"
TAILLE_MAX_MO_DEFAUT = 20
LIGNES_MAX_DEFAUT = 200_000
DECOMPRESSE_MAX_MO_DEFAUT = 100
MO = 1024 * 1024
# La feuille à lire dans un classeur de plusieurs feuilles : celle du modèle d'import.
FEUILLE_MODELE = "Valeurs"
# Lecture en flux d'une partie de l'archive : par morceaux, la mémoire reste bornée.
_MORCEAU = 1024 * 1024
_ILLISIBLE = "classeur illisible : ouvrez-le et enregistrez-le de nouveau en .xlsx"
# Début d'une ligne de feuille, avec ou sans préfixe d'espace de noms (`<row `, `<x:row>`).
_LIGNE_XML = (b"<row ", b"<row>", b":row ", b":row>")
_FUSION_XML = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")
_MACROS = (".xlsm", ".xltm", ".xlam")
_MAGIQUES = {
    b"PK\x03\x04": "un classeur ou une archive ZIP (XLSX ?)",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "un classeur Excel 97-2003 (.xls)",
    b"%PDF": "un document PDF",
}
_BINAIRE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x19\x1b-\x1f]")
# « Ã » suivi d'un octet de continuation : un caractère accentué en UTF-8 (é = C3 A9). Dans un
# fichier Windows-1252 français, « Ã » n'apparaît pas : sa présence trahit un mélange.
_UTF8_ACCENTUE = re.compile(rb"\xc3[\x80-\xbf]")
_CONSEIL_ENCODAGE = (
    "enregistrez le fichier en « CSV UTF-8 » (ou « CSV (séparateur : point-virgule) »)"
)


@dataclass(frozen=True)
class BornesNombre:
    """Ce qu'un nombre d'une nature d'indicateur peut valoir (`[nombres.NATURE]`)."""

    entier: bool = False
    minimum: float | None = None
    plafond: float | None = None  # exclu


def _bornes_defaut() -> dict[str, BornesNombre]:
    effectif = BornesNombre(entier=True, minimum=0, plafond=10_000_000)
    return {
        "flux": effectif,
        "stock": effectif,
        "montant": BornesNombre(minimum=0, plafond=1e12),
        "taux": BornesNombre(plafond=10_000_000),
    }


@dataclass(frozen=True)
class ConfigImport:
    """Réglages de l'import (`config/import.toml`) : limites du fichier et bornes des nombres."""

    taille_max_octets: int = TAILLE_MAX_MO_DEFAUT * MO
    lignes_max: int = LIGNES_MAX_DEFAUT
    decompresse_max_octets: int = DECOMPRESSE_MAX_MO_DEFAUT * MO
    chiffres_significatifs_max: int = 15
    decimales_max: int = 6
    bornes: dict[str, BornesNombre] = field(default_factory=_bornes_defaut)

    @property
    def taille_max_mo(self) -> float:
        return self.taille_max_octets / MO


class ConfigImportInvalide(ValueError):
    """`config/import.toml` contient une valeur refusée ; le message dit laquelle."""


def _reglage(chemin: Path, section: dict[str, Any], titre: str, cle: str, defaut: float,
             maximum: float, quoi: str) -> float:  # fmt: skip
    """Un réglage numérique de `config/import.toml`, vérifié : nombre > 0 et ≤ maximum."""
    valeur = section.get(cle, defaut)
    if isinstance(valeur, bool) or not isinstance(valeur, int | float) or not 0 < valeur <= maximum:
        raise ConfigImportInvalide(
            f"{chemin.name} : [{titre}] {cle} doit être {quoi} entre 0 et {maximum:g} "
            f"(lu : {valeur!r})"
        )
    return float(valeur)


def _lire_bornes(chemin: Path, nombres: dict[str, Any]) -> dict[str, BornesNombre]:
    bornes = _bornes_defaut()
    for nature, section in nombres.items():
        if not isinstance(section, dict):
            continue
        titre = f"nombres.{nature}"
        entier = section.get("entier", False)
        if not isinstance(entier, bool):
            raise ConfigImportInvalide(f"{chemin.name} : [{titre}] entier doit valoir true ou "
                                       f"false (lu : {entier!r})")  # fmt: skip
        limites: dict[str, float | None] = {}
        for cle in ("minimum", "plafond"):
            valeur = section.get(cle)
            if valeur is not None and (isinstance(valeur, bool) or not isinstance(
                    valeur, int | float) or not math.isfinite(valeur)):  # fmt: skip
                raise ConfigImportInvalide(f"{chemin.name} : [{titre}] {cle} doit être un "
                                           f"nombre (lu : {valeur!r})")  # fmt: skip
            limites[cle] = None if valeur is None else float(valeur)
        bornes[nature] = BornesNombre(entier, limites["minimum"], limites["plafond"])
    return bornes


def read_config_import(chemin: Path | None = None) -> ConfigImport:
    """Réglages de l'import ; un fichier ou une clé absente garde la valeur par défaut."""
    chemin = chemin or FICHIER_CONFIG
    if not chemin.exists():
        return ConfigImport()
    with chemin.open("rb") as f:
        brut = tomllib.load(f)
    fichier, nombres = brut.get("fichier", {}), brut.get("nombres", {})
    mo = "un nombre de mégaoctets"
    taille = _reglage(chemin, fichier, "fichier", "taille_max_mo", TAILLE_MAX_MO_DEFAUT, 1024, mo)
    decompresse = _reglage(chemin, fichier, "fichier", "decompresse_max_mo",
                           DECOMPRESSE_MAX_MO_DEFAUT, 4096, mo)  # fmt: skip
    lignes = _reglage(chemin, fichier, "fichier", "lignes_max", LIGNES_MAX_DEFAUT, 10_000_000,
                      "un nombre de lignes")  # fmt: skip
    chiffres = _reglage(chemin, nombres, "nombres", "chiffres_significatifs_max", 15, 17,
                        "un nombre de chiffres")  # fmt: skip
    decimales = _reglage(chemin, nombres, "nombres", "decimales_max", 6, 15,
                         "un nombre de décimales")  # fmt: skip
    return ConfigImport(
        taille_max_octets=int(taille * MO), lignes_max=int(lignes),
        decompresse_max_octets=int(decompresse * MO), chiffres_significatifs_max=int(chiffres),
        decimales_max=int(decimales), bornes=_lire_bornes(chemin, nombres),
    )  # fmt: skip


class ErreurImport(ErreurLocalisee):
    """Une raison de refuser un fichier, localisée : `FICHIER:ligne N:colonne: message`.

    Une erreur qui concerne tout le fichier (taille, type) n'a ni ligne ni colonne.
    """


class ImportRefuse(Exception):
    """Le fichier est refusé : toutes ses erreurs, et ses lignes d'origine si on a pu les lire."""

    def __init__(self, erreurs: list[ErreurImport], lu: FichierLu | None = None) -> None:
        super().__init__("\n".join(str(e) for e in erreurs))
        self.erreurs = erreurs
        self.lu = lu


@dataclass(frozen=True)
class FichierLu:
    """Le contenu d'un fichier, en texte, tel que la personne l'a écrit.

    `lignes` a une colonne par en-tête d'origine et, pour index, le numéro de la ligne dans le
    fichier (celui qu'affiche un tableur). `colonnes` relie chaque colonne reconnue à son
    en-tête d'origine ; `erreurs` : lignes mal formées et formules, trouvées à la lecture.
    """

    nom: str
    sha256: str
    format: str
    entetes: tuple[str, ...]
    lignes: pd.DataFrame
    colonnes: dict[str, str]
    ignorees: tuple[str, ...] = ()
    erreurs: tuple[ErreurImport, ...] = field(default=())
    # Cellules qu'un classeur a typées nombre (ligne, en-tête d'origine) : leur texte n'a pas de
    # séparateur ambigu, c'est le nombre lui-même.
    nombres: frozenset[tuple[int, str]] = frozenset()

    def est_nombre(self, numero: int, nom: str) -> bool:
        """Vrai si la cellule de cette colonne reconnue était un nombre dans le classeur."""
        return nom in self.colonnes and (numero, self.colonnes[nom]) in self.nombres

    def colonne(self, nom: str) -> pd.Series:
        """Les textes d'une colonne reconnue, sans espaces autour ; vide si elle est absente."""
        if nom not in self.colonnes:
            return pd.Series("", index=self.lignes.index, dtype=object)
        return self.lignes[self.colonnes[nom]].map(str.strip)


@dataclass(frozen=True)
class _Brut:
    """Ce que lit un lecteur (CSV ou XLSX) : enregistrements numérotés et formules trouvées."""

    format: str
    enregistrements: list[tuple[int, list[str]]]
    formules: list[tuple[int, int, str]] = field(default_factory=list)  # ligne, rang, formule
    nombres: set[tuple[int, int]] = field(default_factory=set)  # cellules typées nombre (XLSX)
    erreurs: list[ErreurImport] = field(default_factory=list)


def read_fichier(nom: str, contenu: bytes, *, config: ConfigImport | None = None) -> FichierLu:
    """Lit `contenu` (nommé `nom`, dont l'extension dit le format attendu) ; lève ImportRefuse."""
    config = config or read_config_import()
    _verifier_taille(nom, len(contenu), config)
    extension = PurePath(nom).suffix.lower()
    _verifier_extension(nom, extension)
    if not contenu.strip():
        raise _refus(nom, "fichier vide : il ne contient aucune ligne")
    if extension == ".xlsx":
        brut = _lire_xlsx(nom, contenu, config)
    else:
        brut = _lire_csv(nom, contenu, config)
    return _assembler(nom, hashlib.sha256(contenu).hexdigest(), brut)


def check_taille(nom: str, taille: int, *, config: ConfigImport | None = None) -> None:
    """Refuse un fichier trop gros avant de le lire (la ligne de commande connaît sa taille)."""
    _verifier_taille(nom, taille, config or read_config_import())


def _refus(nom: str, message: str, ligne: int | None = None) -> ImportRefuse:
    return ImportRefuse([ErreurImport(nom, ligne, None, message)])


def _verifier_taille(nom: str, taille: int, config: ConfigImport) -> None:
    if taille > config.taille_max_octets:
        raise _refus(
            nom,
            f"fichier trop volumineux : {_taille(taille)} pour {_taille(config.taille_max_octets)} "
            "au plus (réglage taille_max_mo de config/import.toml) ; découpez-le en plusieurs "
            "fichiers",
        )


def _taille(octets: int) -> str:
    """`20 Mo`, `1,5 Mo`, `12 Ko`, `300 octets` : la taille dite comme un explorateur."""
    for unite, diviseur in (("Mo", MO), ("Ko", 1024)):
        if octets >= diviseur:
            texte = f"{octets / diviseur:.1f}".removesuffix(".0").replace(".", ",")
            return f"{texte} {unite}"
    return f"{octets} octets"


def _verifier_extension(nom: str, extension: str) -> None:
    if extension in {".csv", ".xlsx"}:
        return
    if extension in _MACROS:
        raise _refus(
            nom,
            f"classeur avec macros ({extension}) refusé : enregistrez-le en « Classeur Excel "
            "(.xlsx) », sans macros",
        )
    if extension == ".xls":
        raise _refus(
            nom,
            "format Excel 97-2003 (.xls) non accepté : enregistrez le classeur en .xlsx ou en CSV",
        )
    raise _refus(
        nom, f"extension « {extension or '(aucune)'} » non acceptée : fichier .csv ou .xlsx attendu"
    )


def _ligne_de(contenu: bytes, position: int) -> int:
    return contenu.count(b"\n", 0, position) + 1


def _verifier_texte(nom: str, contenu: bytes) -> None:
    """Un CSV doit être du texte : pas un classeur, un PDF ou un fichier binaire renommé."""
    if contenu.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _refus(nom, f"encodage UTF-16 non accepté : {_CONSEIL_ENCODAGE}")
    for magique, nature in _MAGIQUES.items():
        if contenu.startswith(magique):
            raise _refus(
                nom,
                f"ce fichier .csv n'est pas un CSV : c'est {nature}. Enregistrez les données en "
                "CSV, ou importez le classeur sous son extension .xlsx",
            )
    binaire = _BINAIRE.search(contenu.rstrip(b"\x1a"))
    if binaire:
        raise _refus(
            nom,
            f"ce fichier .csv n'est pas un fichier texte (octet de contrôle "
            f"0x{binaire.group()[0]:02X}) : exportez les données en CSV depuis le tableur",
            _ligne_de(contenu, binaire.start()),
        )


def _decoder(nom: str, contenu: bytes) -> tuple[str, str]:
    """Texte et encodage : UTF-8 (avec ou sans BOM), sinon Windows-1252 ; jamais un mélange."""
    bom = contenu.startswith(codecs.BOM_UTF8)
    corps = contenu[3:] if bom else contenu
    try:
        return corps.decode("utf-8"), "UTF-8 avec BOM" if bom else "UTF-8"
    except UnicodeDecodeError as exc:
        position = exc.start + (3 if bom else 0)
    octet = f"0x{contenu[position]:02X}"
    if bom or _UTF8_ACCENTUE.search(contenu):
        raise _refus(
            nom,
            f"encodage mélangé : le fichier est en UTF-8 mais l'octet {octet} ne l'est pas "
            f"(caractère écrit en Windows-1252 ?) ; {_CONSEIL_ENCODAGE}",
            _ligne_de(contenu, position),
        )
    try:
        return contenu.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise _refus(
            nom,
            f"encodage non reconnu : l'octet 0x{contenu[exc.start]:02X} n'est ni de l'UTF-8 ni "
            f"du Windows-1252 ; {_CONSEIL_ENCODAGE}",
            _ligne_de(contenu, exc.start),
        ) from None


def _separateur(nom: str, texte: str) -> str:
    """`;` (Excel en français) ou `,`, d'après la ligne d'en-tête."""
    lignes = [li for li in texte.splitlines() if li.strip()]
    entete = lignes[0] if lignes else ""
    if ";" in entete:
        return ";"
    if "," in entete:
        return ","
    if "\t" in entete:
        raise _refus(
            nom,
            "séparateur non accepté : les colonnes sont séparées par des tabulations ; "
            "séparez-les par « ; » ou « , »",
            1,
        )
    return ";"


def _lire_csv(nom: str, contenu: bytes, config: ConfigImport) -> _Brut:
    """Les enregistrements du CSV, numérotés comme les lignes d'un tableur.

    Une cellule entre guillemets qui court sur plusieurs lignes du texte reste une seule ligne
    du tableur : le numéro est celui de l'enregistrement, pas de la ligne de texte. La lecture
    s'arrête dès que le fichier dépasse `lignes_max`.
    """
    _verifier_texte(nom, contenu)
    texte, encodage = _decoder(nom, contenu)
    separateur = _separateur(nom, texte)
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    enregistrements: list[tuple[int, list[str]]] = []
    numero = 0
    try:
        for numero, champs in enumerate(lecteur, start=1):
            if numero > config.lignes_max:
                raise _trop_de_lignes(nom, config)
            if any(c.strip() for c in champs):
                enregistrements.append((numero, champs))
    except csv.Error as exc:
        raise _refus(nom, _csv_illisible(str(exc)), numero + 1) from None
    return _Brut(f"CSV {encodage}, séparateur « {separateur} »", enregistrements)


def _csv_illisible(erreur: str) -> str:
    """L'erreur du lecteur CSV, dite en français (jamais le texte anglais du lecteur)."""
    if "field larger than field limit" in erreur:
        return (
            f"cellule de plus de {csv.field_size_limit():_} caractères".replace("_", "\u00a0")
            + " : ce n'est pas une valeur d'indicateur (guillemet « \" » jamais fermé ?)"
        )
    return 'ligne illisible en CSV : guillemet « " » mal placé ou jamais fermé'


def _trop_de_lignes(nom: str, config: ConfigImport) -> ImportRefuse:
    limite = f"{config.lignes_max:_}".replace("_", "\u00a0")
    return _refus(
        nom,
        f"fichier trop long : plus de {limite} lignes (réglage lignes_max de config/import.toml) ;"
        " découpez-le en plusieurs fichiers",
        config.lignes_max + 1,
    )


def _verifier_archive(nom: str, contenu: bytes, config: ConfigImport) -> None:
    """Un XLSX est une archive ZIP avec `[Content_Types].xml` et un classeur, sans macros, dont
    le contenu décompressé (chaque partie et leur somme) reste sous `decompresse_max_mo`."""
    if not zipfile.is_zipfile(io.BytesIO(contenu)):
        try:
            contenu[:4096].decode("utf-8")
            nature = "un fichier texte (un CSV renommé ?)"
        except UnicodeDecodeError:
            nature = "un autre format (classeur .xls, document…)"
        raise _refus(
            nom, f"ce fichier .xlsx n'est pas un classeur Excel : c'est {nature}. Enregistrez-le "
            "depuis le tableur au format « Classeur Excel (.xlsx) » ou en CSV"
        )  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        noms = {i.filename.lower(): i for i in archive.infolist()}
        _verifier_decompresse(nom, list(noms.values()), config)
        types = archive.read(noms["[content_types].xml"]) if "[content_types].xml" in noms else b""
    if any(n.endswith("vbaproject.bin") for n in noms) or b"macroEnabled" in types:
        raise _refus(
            nom, "classeur avec macros refusé : enregistrez-le en « Classeur Excel (.xlsx) »"
        )
    if not types or "xl/workbook.xml" not in noms:
        raise _refus(
            nom, "ce fichier .xlsx n'est pas un classeur Excel : l'archive ne contient pas de "
            "classeur (document d'un autre logiciel ?). Enregistrez-le au format .xlsx ou en CSV"
        )  # fmt: skip


def _verifier_decompresse(nom: str, parties: list[zipfile.ZipInfo], config: ConfigImport) -> None:
    """Les tailles décompressées annoncées par l'archive, avant d'ouvrir quoi que ce soit.

    Une taille annoncée fausse ne passe pas : `zipfile` ne rend jamais plus d'octets qu'elle,
    et la lecture échoue (somme de contrôle) si la partie en contient davantage.
    """
    total = sum(i.file_size for i in parties)  # borne aussi chaque partie
    if total > config.decompresse_max_octets:
        raise _refus(
            nom,
            f"classeur trop volumineux une fois décompressé : {_taille(total)} pour "
            f"{_taille(config.decompresse_max_octets)} au plus (réglage decompresse_max_mo de "
            "config/import.toml) ; découpez-le en plusieurs fichiers",
        )


def _lire_xlsx(nom: str, contenu: bytes, config: ConfigImport) -> _Brut:
    """La feuille à importer, lue en flux (mode lecture seule d'openpyxl).

    Les lignes de chaque feuille sont comptées en flux avant d'ouvrir le classeur : openpyxl
    parcourt une feuille entière dès l'ouverture quand elle ne déclare pas ses dimensions, et un
    classeur de 236 Ko peut en contenir 400 000 lignes.
    """
    _verifier_archive(nom, contenu, config)
    try:
        fusions = _parcourir_feuilles(nom, contenu, config)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise _refus(nom, _ILLISIBLE) from None
    import openpyxl  # coûteux à importer : seulement quand un classeur arrive

    try:
        classeur = openpyxl.load_workbook(io.BytesIO(contenu), read_only=True, data_only=False)
    except Exception:  # openpyxl lève des erreurs variées sur un classeur abîmé
        raise _refus(nom, _ILLISIBLE) from None
    try:
        feuille = _choisir_feuille(nom, classeur.worksheets)
        fusionnees = fusions.get(str(getattr(feuille, "_worksheet_path", "")).lstrip("/"), [])
        if fusionnees:
            raise _refus(
                nom,
                f"cellules fusionnées dans la feuille « {feuille.title} » "
                f"({', '.join(fusionnees)}) : défusionnez-les et écrivez la valeur dans chaque "
                "ligne",
                _ligne_de_reference(fusionnees[0]),
            )
        feuille.reset_dimensions()  # certaines applications écrivent des dimensions fausses
        brut = _Brut(f"XLSX, feuille « {feuille.title} »", [])
        for numero, cellules in enumerate(feuille.iter_rows(), start=1):
            if numero > config.lignes_max:
                raise _trop_de_lignes(nom, config)
            _lire_ligne_xlsx(numero, cellules, brut)
        return brut
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError):
        raise _refus(nom, _ILLISIBLE) from None
    finally:
        classeur.close()


def _ligne_de_reference(reference: str) -> int:
    return int(re.sub(r"[^0-9:]", "", reference).split(":")[0])


def _sans_accents_minuscules(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte.strip())
    return "".join(c for c in decompose if not unicodedata.combining(c)).casefold()


def _choisir_feuille(nom: str, feuilles: list[Any]) -> Any:
    """La feuille « Valeurs » (celle du modèle), sinon la seule feuille visible ; jamais une
    feuille masquée : un chiffre qu'on ne voit pas dans le tableur ne doit pas s'importer."""
    visibles = [f for f in feuilles if getattr(f, "sheet_state", "visible") == "visible"]
    cle = _sans_accents_minuscules(FEUILLE_MODELE)
    nommees = [f for f in feuilles if _sans_accents_minuscules(f.title) == cle]
    if nommees and nommees[0] in visibles:
        return nommees[0]
    if nommees:
        raise _refus(nom, f"la feuille « {nommees[0].title} » est masquée : affichez-la (clic "
                     "droit sur les onglets, « Afficher… ») pour l'importer")  # fmt: skip
    if len(visibles) == 1:
        return visibles[0]
    if not visibles:
        raise _refus(nom, "classeur sans feuille visible : affichez la feuille à importer (clic "
                     "droit sur les onglets, « Afficher… »)")  # fmt: skip
    liste = ", ".join(f"« {f.title} »" for f in visibles)
    raise _refus(
        nom,
        f"classeur à {len(visibles)} feuilles visibles ({liste}) : laquelle importer ? Nommez "
        f"« {FEUILLE_MODELE} » la feuille à importer, ou supprimez les autres",
    )


def _parcourir_feuilles(nom: str, contenu: bytes, config: ConfigImport) -> dict[str, list[str]]:
    """Compte les lignes de chaque feuille et relève ses cellules fusionnées, en flux, par
    morceaux : la mémoire reste bornée et la lecture s'arrête dès que `lignes_max` est dépassé.
    Rend, par partie de l'archive (`xl/worksheets/sheet1.xml`), ses plages fusionnées."""
    fusions: dict[str, list[str]] = {}
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        for info in archive.infolist():
            partie = info.filename
            # Toute partie XML, pas seulement xl/worksheets/ : une feuille peut être rangée
            # ailleurs dans l'archive, et openpyxl la suivrait.
            if not partie.lower().endswith(".xml"):
                continue
            fusions[partie] = _parcourir_feuille(nom, archive, partie, config)
    return fusions


def _parcourir_feuille(
    nom: str, archive: zipfile.ZipFile, partie: str, config: ConfigImport
) -> list[str]:
    lignes, fusions, reste = 0, [], b""
    with archive.open(partie) as flux:
        while morceau := flux.read(_MORCEAU):
            texte = reste + morceau
            coupure = max(texte.rfind(b"<"), 0)  # une balise coupée en deux attend la suite
            lignes += sum(texte.count(motif, 0, coupure) for motif in _LIGNE_XML)
            fusions += [m.decode() for m in _FUSION_XML.findall(texte, 0, coupure)]
            reste = texte[coupure:]
            if lignes > config.lignes_max:
                raise _trop_de_lignes(nom, config)
    lignes += sum(reste.count(motif) for motif in _LIGNE_XML)
    fusions += [m.decode() for m in _FUSION_XML.findall(reste)]
    if lignes > config.lignes_max:
        raise _trop_de_lignes(nom, config)
    return fusions


def _lire_ligne_xlsx(numero: int, cellules: tuple[Any, ...], brut: _Brut) -> None:
    textes: list[str] = []
    for rang, cellule in enumerate(cellules):
        valeur = cellule.value
        if getattr(cellule, "data_type", None) == "f":
            brut.formules.append((numero, rang, str(getattr(valeur, "text", valeur))))
            textes.append("")
        else:
            if isinstance(valeur, int | float) and not isinstance(valeur, bool):
                brut.nombres.add((numero, rang))
            textes.append(texte_cellule(valeur))
    if any(t.strip() for t in textes):
        brut.enregistrements.append((numero, textes))


def texte_cellule(valeur: object) -> str:
    """Texte d'une cellule de classeur, tel qu'un CSV l'aurait écrit.

    Un tableur transforme « 2019-06 » en date et « 2019 » en nombre : on les rend au format des
    périodes (`2019-06`, `2019`), pour que le même contrôle s'applique aux deux formats.
    """
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "VRAI" if valeur else "FAUX"
    if isinstance(valeur, int):
        return str(valeur)
    if isinstance(valeur, float):
        if not math.isfinite(valeur):
            return "inf" if valeur > 0 else "-inf" if valeur < 0 else "nan"
        if valeur.is_integer() and abs(valeur) < 1e15:
            return str(int(valeur))
        # 15 chiffres, comme le tableur les affiche : 36.900000000000006 → 36.9
        return format(valeur, ".15g")
    if isinstance(valeur, datetime):
        if valeur.day == 1 and valeur.time() == datetime.min.time():
            return f"{valeur:%Y-%m}"
        return valeur.isoformat(sep=" ")
    if isinstance(valeur, date):
        return f"{valeur:%Y-%m}" if valeur.day == 1 else valeur.isoformat()
    return str(valeur)


# Espaces qu'on voit comme des espaces : elles restent telles quelles dans une citation.
_ESPACES_VISIBLES = {" ", "\u00a0", "\u202f"}


def montrer_invisibles(texte: str) -> str:
    """`OO2-S.1\u200b` → `OO2-S.1[U+200B]` : un caractère invisible (espace de largeur nulle,
    contrôle, marque de sens d'écriture…) cité dans un message est nommé, sinon le message
    montrerait un texte identique à celui attendu et la personne ne trouverait pas l'erreur."""
    return "".join(
        f"[U+{ord(c):04X}]"
        if unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp", "Co", "Cn"}
        or (unicodedata.category(c) == "Zs" and c not in _ESPACES_VISIBLES)
        else c
        for c in texte
    )


def normaliser_entete(entete: str) -> str:
    """`Période ` → `periode`, `Numérateur` → `numerateur` : casse, accents et espaces ignorés."""
    sans_accents = unicodedata.normalize("NFKD", entete.strip().lstrip("\ufeff"))
    texte = "".join(c for c in sans_accents if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s\-]+", "_", texte)


def _assembler(nom: str, sha256: str, brut: _Brut) -> FichierLu:
    """En-têtes reconnus, lignes alignées sur eux, formules et lignes trop longues signalées."""
    if not brut.enregistrements:
        raise _refus(nom, "fichier vide : il ne contient aucune ligne")
    numero_entete, champs = brut.enregistrements[0]
    entetes = _entetes(champs)
    colonnes = _colonnes_reconnues(nom, numero_entete, entetes)
    donnees = brut.enregistrements[1:]
    if not donnees:
        raise _refus(nom, "le fichier n'a que sa ligne d'en-tête : aucune ligne de données",
                     numero_entete)  # fmt: skip
    erreurs = list(brut.erreurs)
    lignes: list[list[str]] = []
    for numero, valeurs in donnees:
        lignes.append(_aligner(nom, numero, valeurs, len(entetes), erreurs))
    rang_vers_colonne = {i: normaliser_entete(e) for i, e in enumerate(entetes)}
    for numero, rang, formule in brut.formules:
        erreurs.append(ErreurImport(
            nom, numero, rang_vers_colonne.get(rang, f"colonne {rang + 1}"),
            f"formule refusée ({formule}) : remplacez les formules par leurs valeurs "
            "(copier, puis collage spécial « valeurs »)",
        ))  # fmt: skip
    cadre = pd.DataFrame(lignes, columns=list(entetes), index=[n for n, _ in donnees], dtype=object)
    return FichierLu(
        nom=nom, sha256=sha256, format=brut.format, entetes=entetes, lignes=cadre,
        colonnes=colonnes, ignorees=tuple(e for e in entetes if e not in colonnes.values()),
        erreurs=tuple(sorted(erreurs, key=lambda e: (e.ligne or 0, e.colonne or ""))),
        nombres=frozenset((n, entetes[r]) for n, r in brut.nombres if r < len(entetes)),
    )  # fmt: skip


def _entetes(champs: list[str]) -> tuple[str, ...]:
    """En-têtes nettoyés ; les cases vides en fin de ligne tombent, les autres sont nommées."""
    entetes = [c.strip().lstrip("\ufeff") for c in champs]
    while entetes and not entetes[-1]:
        entetes.pop()
    return tuple(e or f"(colonne {i + 1})" for i, e in enumerate(entetes))


def _colonnes_reconnues(nom: str, numero: int, entetes: tuple[str, ...]) -> dict[str, str]:
    """Colonne reconnue → en-tête d'origine ; colonnes absentes ou en double : refus."""
    colonnes: dict[str, str] = {}
    erreurs: list[ErreurImport] = []
    for entete in entetes:
        cle = normaliser_entete(entete)
        if cle in colonnes:
            erreurs.append(ErreurImport(nom, numero, cle, "colonne en double dans l'en-tête"))
        elif cle in COLONNES:
            colonnes[cle] = entete
    lus = montrer_invisibles(", ".join(entetes)) or "(aucun)"
    for manquante in COLONNES_OBLIGATOIRES:
        if manquante not in colonnes:
            erreurs.append(ErreurImport(
                nom, numero, manquante,
                f"colonne obligatoire absente (en-têtes lus : {lus} ; attendus : "
                f"{';'.join(COLONNES_OBLIGATOIRES)})",
            ))  # fmt: skip
    if erreurs:
        raise ImportRefuse(erreurs)
    return colonnes


def _aligner(
    nom: str, numero: int, valeurs: list[str], largeur: int, erreurs: list[ErreurImport]
) -> list[str]:
    """Une ligne à la largeur de l'en-tête ; des champs en trop et remplis sont une erreur."""
    if len(valeurs) > largeur and any(v.strip() for v in valeurs[largeur:]):
        erreurs.append(ErreurImport(
            nom, numero, None,
            f"{len(valeurs)} champs pour {largeur} colonnes d'en-tête (une virgule décimale dans "
            "un fichier séparé par des virgules doit être entre guillemets : \"12,5\")",
        ))  # fmt: skip
    return (valeurs + [""] * largeur)[:largeur]
