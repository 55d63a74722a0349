"""Export XLSX du tableau de bord : une feuille par section, des nombres restés nombres.

Pourquoi un classeur en plus du CSV : les destinataires retravaillent les chiffres (tri, totaux,
graphiques) ; il faut donc des cellules numériques, pas des textes « 12 345 ». Les feuilles
reprennent les tables de `dashboard.exports.tables` (les mêmes chiffres que le CSV et le PDF),
précédées d'une feuille « Édition » qui dit le mois, le territoire, l'état (« publié le … par … »
ou « provisoire ») et la date des données.

Formats de nombres : un fichier XLSX enregistre toujours les codes de format dans la syntaxe
anglaise (`#,##0.0`), et c'est le tableur qui les affiche selon les réglages de l'utilisateur :
`#,##0` s'affiche « 12 345 » et `0.0` « 45,2 » dans un Excel en français. Écrire `# ##0` figerait
une espace littérale, fausse au-delà du million (« 1234 567 »). Les taux (unité « % ») sont des
pourcentages déjà multipliés par cent (45,2, comme dans l'application et le CSV) : on les garde
tels quels, pour que la cellule vaille la même chose dans tous les exports, et le format ajoute un
« % » écrit entre guillemets, qui ne multiplie pas par cent (un `%` nu le ferait : 4 520 %).

Un texte qui commence par `=`, `+`, `-` ou `@` est neutralisé comme dans le CSV
(`en_csv.neutraliser`) : sinon openpyxl l'écrirait comme une formule, exécutée à
l'ouverture.

Forme 2 (contenu de version 2, voir `tables`) : des données de démonstration le disent en
première ligne de chaque feuille (et dans l'en-tête d'impression) : une feuille copiée seule
dans un autre classeur le dit encore ; la feuille « Édition » cite les documents sources.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from dashboard import formats
from dashboard.exports import en_csv
from dashboard.exports import tables as export_tableau
from dashboard.tableau_de_bord import textes
from dashboard.tableau_de_bord.contenu import TableauDeBord

TYPE_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FEUILLE_EDITION = "Édition"
COLONNES_NOMBRES = ("Réalisé", "Cible", "Attendu à date", "Autre cible",
                    "Autre cible : attendu à date")  # fmt: skip
ESPACE = "\u00a0"  # insécable : le symbole reste collé au nombre à l'affichage
FORMAT_ENTIER = "#,##0"
FORMAT_DECIMAL = "#,##0.0"
FORMAT_POURCENT = f'#,##0.0"{ESPACE}%"'
FORMAT_EUROS = f'#,##0"{ESPACE}€"'
FORMAT_ETP = f'#,##0.0#"{ESPACE}ETP"'
LARGEUR_MIN = 8
LARGEUR_MAX = 60
COLONNES_LONGUES = ("Indicateur", "Commentaire", "Définition", "Événement", "Rubrique")
NOM_FEUILLE_MAX = 31  # limite d'Excel
CARACTERES_INTERDITS = re.compile(r"[\[\]:*?/\\]")
DATE_FIXE = datetime(2000, 1, 1)  # la vue en direct n'a pas de date de publication
PROPRIETES = "docProps/core.xml"  # créé, modifié, auteur, titre du classeur


def format_nombre(x: float, unite: str) -> str:
    """Le code de format d'une valeur selon l'unité de son indicateur (voir l'en-tête du module)."""
    if unite == "%":
        return FORMAT_POURCENT
    if unite == "€":
        return FORMAT_EUROS
    if unite == "ETP":
        return FORMAT_ETP
    return FORMAT_ENTIER if float(x).is_integer() else FORMAT_DECIMAL


def nom_feuille(nom: str, pris: Iterable[str] = ()) -> str:
    """Un nom de feuille qu'Excel accepte : 31 caractères au plus, sans `[]:*?/\\`, unique."""
    propre = CARACTERES_INTERDITS.sub(" ", nom).strip().strip("'") or "Feuille"
    propre = propre[:NOM_FEUILLE_MAX]
    deja = {p.casefold() for p in pris}
    candidat, n = propre, 2
    while candidat.casefold() in deja:
        suffixe = f" ({n})"
        candidat, n = propre[: NOM_FEUILLE_MAX - len(suffixe)] + suffixe, n + 1
    return candidat


def _texte(valeur: object) -> str:
    """Un texte de cellule sûr : formule neutralisée, caractères de contrôle retirés (openpyxl
    refuse d'écrire ceux que le format XML interdit)."""
    return ILLEGAL_CHARACTERS_RE.sub("", en_csv.neutraliser(str(valeur)))


def _manquant(valeur: object) -> bool:
    if valeur is None or valeur is pd.NA:
        return True
    return isinstance(valeur, float) and math.isnan(valeur)


def _ecrire_mention(feuille: Worksheet, mention: str) -> int:
    """La mention en première ligne (gras) et en tête de page imprimée ; rend la ligne de
    l'en-tête du tableau qui suit (1 sans mention)."""
    if not mention:
        return 1
    feuille.append([_texte(mention)])
    feuille["A1"].font = Font(bold=True)
    feuille.oddHeader.center.text = export_tableau.DONNEES_DEMO
    return 2


def _ecrire_table(feuille: Worksheet, table: pd.DataFrame, mention: str = "") -> None:
    """En-tête en gras, puis une ligne par enregistrement ; les valeurs des colonnes de chiffres
    sont des nombres, formatés selon l'unité de la ligne quand la table en a une. `mention` :
    « Données de démonstration : … » au-dessus de l'en-tête."""
    entete = _ecrire_mention(feuille, mention)
    feuille.append([_texte(c) for c in table.columns])
    for cellule in feuille[entete]:
        cellule.font = Font(bold=True)
    unites = table["Unité"].tolist() if "Unité" in table else [""] * len(table)
    for rang, (ligne, unite) in enumerate(
        zip(table.itertuples(index=False, name=None), unites, strict=True), start=entete + 1
    ):
        for col, (nom, valeur) in enumerate(zip(table.columns, ligne, strict=True), start=1):
            cellule = feuille.cell(row=rang, column=col)
            if _manquant(valeur):
                continue
            if nom in COLONNES_NOMBRES and isinstance(valeur, int | float):
                cellule.value = float(valeur)
                cellule.number_format = format_nombre(float(valeur), str(unite))
            else:
                cellule.value = _texte(valeur)
    _mettre_en_page(feuille, table, entete)


def _largeur_affichee(valeur: object, nom: str) -> int:
    if _manquant(valeur):
        return 0
    if nom in COLONNES_NOMBRES and isinstance(valeur, int | float):
        return len(formats.nombre(float(valeur), 1)) + 2
    return max((len(morceau) for morceau in str(valeur).splitlines()), default=0)


def _mettre_en_page(feuille: Worksheet, table: pd.DataFrame, entete: int = 1) -> None:
    """Largeurs d'après le contenu (bornées), retour à la ligne des textes longs, en-tête et
    première colonne figés pour garder les repères en faisant défiler ; `entete` : la ligne de
    l'en-tête du tableau (2 sous une mention)."""
    for col, nom in enumerate(table.columns, start=1):
        contenu = [_largeur_affichee(v, str(nom)) for v in table[nom].tolist()]
        largeur = min(max([len(str(nom)) + 2, LARGEUR_MIN, *contenu]), LARGEUR_MAX)
        lettre = get_column_letter(col)
        feuille.column_dimensions[lettre].width = largeur
        if nom in COLONNES_LONGUES:
            for (cellule,) in feuille.iter_rows(min_row=entete + 1, min_col=col, max_col=col):
                cellule.alignment = Alignment(wrap_text=True, vertical="top")
    feuille.freeze_panes = f"B{entete + 1}"
    if len(table):
        derniere = get_column_letter(len(table.columns))
        feuille.auto_filter.ref = f"A{entete}:{derniere}{entete + len(table)}"


def _periode_donnees(tableau: TableauDeBord) -> str:
    """« juin 2019 », ou « Aucune donnée » (jamais une case vide qu'on lirait « à jour »)."""
    periode = tableau.derniere_periode
    return formats.periode(periode) if periode else formats.AUCUNE_DONNEE


def _ecrire_edition(feuille: Worksheet, tableau: TableauDeBord, mention: str = "") -> None:
    """La feuille de garde : de quoi parle le classeur, et s'il peut encore changer ; en forme 2,
    les documents sources (et la mention des données de démonstration au-dessus)."""
    lignes = [
        ("Tableau de bord mensuel", formats.periode(tableau.mois)),
        ("Mois", tableau.mois),
        ("Territoire", f"{tableau.libelle_territoire} ({tableau.territoire})"),
        ("Édition", export_tableau.etat_edition(tableau)),
        ("Période des données", _periode_donnees(tableau)),
        ("Taux", "les valeurs en % sont des pourcentages : 45,2 vaut 45,2 %"),
    ]
    if tableau.revises:
        lignes.append((export_tableau.REVISE.capitalize(), ", ".join(tableau.revises)))
    if export_tableau.forme_2(tableau):
        lignes.append(("Sources", textes.texte_documents(tableau)))
    entete = _ecrire_mention(feuille, mention)
    feuille.append(["Rubrique", "Valeur"])
    for cellule in feuille[entete]:
        cellule.font = Font(bold=True)
    for rubrique, valeur in lignes:
        feuille.append([_texte(rubrique), _texte(valeur)])
    feuille.column_dimensions["A"].width = 28
    feuille.column_dimensions["B"].width = 70
    feuille.freeze_panes = f"A{entete + 1}"


def _tables(tableau: TableauDeBord) -> dict[str, pd.DataFrame]:
    """Les tables des sections ; une ligne révisée depuis la publication le dit, comme au CSV."""
    tables = export_tableau.tables(tableau)
    if tableau.revises:
        for table in tables.values():
            if "Code" in table:
                table["Révision"] = [
                    export_tableau.REVISE if c in tableau.revises else "" for c in table["Code"]
                ]
    return tables


def _date(tableau: TableauDeBord) -> datetime:
    """La date du classeur : celle de la publication (UTC sans fuseau, comme openpyxl
    l'attend), une date fixe pour la vue en direct. Création, modification et date de chaque
    membre de l'archive la reprennent (voir `_figer_dates`)."""
    if tableau.publication is None:
        return DATE_FIXE
    quand = datetime.fromisoformat(tableau.publication.publie_le)
    if quand.tzinfo is not None:
        quand = quand.astimezone(UTC).replace(tzinfo=None)
    return quand


def to_xlsx(tableau: TableauDeBord, *, demonstration: bool = False) -> bytes:
    """Le classeur du tableau de bord : « Édition », puis une feuille par section.
    `demonstration` : la vue en direct montre des données de démonstration (voir `fichiers`)."""
    mention = export_tableau.mention_demo(tableau, demonstration)
    classeur = Workbook()
    garde = classeur.active
    assert garde is not None
    garde.title = FEUILLE_EDITION
    _ecrire_edition(garde, tableau, mention)
    pris = [FEUILLE_EDITION]
    for section, table in _tables(tableau).items():
        nom = nom_feuille(section, pris)
        pris.append(nom)
        _ecrire_table(classeur.create_sheet(nom), table, mention)
    classeur.properties.creator = "Pilotage"
    classeur.properties.title = f"Tableau de bord mensuel — {formats.periode(tableau.mois)}"
    tampon = io.BytesIO()
    classeur.save(tampon)
    return _figer_dates(tampon.getvalue(), classeur, _date(tableau))


def _figer_dates(octets: bytes, classeur: Workbook, quand: datetime) -> bytes:
    """Le classeur enregistré, sans rien qui dépende de l'heure de l'export.

    openpyxl écrit l'heure de l'enregistrement dans les propriétés (« modifié le ») et zipfile
    date chaque membre de l'archive de l'heure courante : deux exports d'une même édition, à
    une minute d'écart, différaient. On réécrit l'archive, membres dans le même ordre et mêmes
    octets, datés de `quand`, avec des propriétés créées et modifiées à `quand`.
    """
    classeur.properties.created = quand
    classeur.properties.modified = quand
    proprietes = tostring(classeur.properties.to_tree())
    sortie = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(octets)) as lu,
        zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as ecrit,
    ):
        for membre in lu.infolist():
            fige = zipfile.ZipInfo(membre.filename, date_time=quand.timetuple()[:6])
            fige.compress_type = zipfile.ZIP_DEFLATED
            fige.external_attr = membre.external_attr
            contenu = proprietes if membre.filename == PROPRIETES else lu.read(membre)
            ecrit.writestr(fige, contenu)
    return sortie.getvalue()
