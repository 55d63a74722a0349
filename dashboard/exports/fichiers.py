"""Les fichiers d'un tableau de bord : choisir le format (PDF, XLSX, CSV) et nommer le fichier.

Ce module est au-dessus des formats (`en_pdf`, `en_xlsx`, `en_csv`), qui lisent tous les mêmes
tables (`tables`) et ne l'importent jamais : aucun cycle d'import. La page au clic et la ligne de
commande passent par ici. reportlab (lourd) ne se charge que pour qui demande un PDF.
"""

from __future__ import annotations

from dashboard.exports import en_csv, tables
from dashboard.tableau_de_bord.contenu import TableauDeBord

FORMATS = ("pdf", "xlsx", "csv")


def to_csv(tableau: TableauDeBord, *, demonstration: bool = False) -> bytes:
    """Le CSV du tableau de bord (UTF-8 avec BOM, `;`, virgule décimale, formules neutralisées),
    « Données de démonstration » en première ligne quand il le faut (`tables.mention_demo`)."""
    mention = tables.mention_demo(tableau, demonstration)
    return en_csv.to_csv_bytes(tables.table_unique(tableau), mention=mention)


def exporter(tableau: TableauDeBord, extension: str, *, demonstration: bool = False) -> bytes:
    """Les octets de l'export `pdf`, `xlsx` ou `csv` (la page au clic, la ligne de commande).

    `demonstration` : la vue en direct montre des données de démonstration (réglage
    `PILOTAGE_DEMO` ou lot de démonstration en base) ; une édition publiée le sait elle-même.
    """
    if extension == "pdf":
        from dashboard.exports import en_pdf

        return en_pdf.to_pdf(tableau, demonstration=demonstration)
    if extension == "xlsx":
        from dashboard.exports import en_xlsx

        return en_xlsx.to_xlsx(tableau, demonstration=demonstration)
    return to_csv(tableau, demonstration=demonstration)


def nom_fichier(tableau: TableauDeBord, extension: str) -> str:
    """`tableau-de-bord-2019-06-67.pdf` ; « provisoire » dans le nom d'un export en direct."""
    etat = "" if tableau.publication else "-provisoire"
    return f"tableau-de-bord-{tableau.mois}-{tableau.territoire}{etat}.{extension}"
