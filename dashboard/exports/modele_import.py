"""Le modèle d'import en classeur : une feuille « Valeurs » à remplir, une feuille des codes.

L'import lit, dans un classeur de plusieurs feuilles, celle nommée « Valeurs »
(`fichiers_import.FEUILLE_MODELE`) : le modèle la nomme ainsi, pour qu'un classeur rempli à
partir de lui s'importe tel quel, avec sa feuille d'aide « Territoires » à côté. Les codes et
les périodes sont écrits en texte, pour que le tableur ne les change pas en nombres ou en dates.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook

from data_access.fichiers_import import FEUILLE_MODELE

FEUILLE_TERRITOIRES = "Territoires"


def to_xlsx_modele(modele: pd.DataFrame, territoires: pd.DataFrame) -> bytes:
    """Le classeur du modèle : « Valeurs » (active, à remplir), puis « Territoires »."""
    classeur = Workbook()
    valeurs = classeur.active
    valeurs.title = FEUILLE_MODELE
    codes = classeur.create_sheet(FEUILLE_TERRITOIRES)
    for feuille, table in ((valeurs, modele), (codes, territoires)):
        feuille.append(list(table.columns))
        for ligne in table.itertuples(index=False):
            feuille.append([str(v) if v is not None else "" for v in ligne])
        for cellule in feuille[1]:
            feuille.column_dimensions[cellule.column_letter].width = 14
        feuille.freeze_panes = "A2"
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()
