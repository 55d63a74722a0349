"""Export d'un tableau en CSV pour Excel en français : UTF-8 avec BOM, `;`, virgule décimale.

Pourquoi ces choix : Excel (réglages français) n'ouvre correctement un CSV que s'il commence
par le BOM UTF-8 (sinon « Eurométropole » devient « EuromÃ©tropole »), sépare par `;` et lit
`12,5` comme un nombre. Une cellule de texte qui commence par `=`, `+`, `-`, `@` (ou une
tabulation, un retour chariot) serait exécutée comme une formule : injection de formules, où un
libellé saisi par un tiers déclenche un calcul ou un lien à l'ouverture. On la neutralise par une
apostrophe en tête (recommandation OWASP « CSV Injection »). Les nombres restent des nombres.

Générique : n'importe quelle page peut l'utiliser (`st.download_button(data=to_csv_bytes(df))`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import numbers

import numpy as np
import pandas as pd

BOM = "\ufeff"
SEPARATEUR = ";"
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")
TYPE_MIME = "text/csv"


def neutraliser(texte: str) -> str:
    """`=SOMME(A1)` → `'=SOMME(A1)` ; un texte ordinaire est rendu tel quel."""
    return "'" + texte if texte.startswith(DEBUTS_DE_FORMULE) else texte


def _nombre(x: float) -> str:
    """`12.5` → `12,5` ; `3.0` → `3` ; sans séparateur de milliers (Excel le lirait en texte)."""
    if math.isnan(x) or math.isinf(x):
        return ""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(float(x)).replace(".", ",")


def cellule(valeur: object) -> str:
    """Texte CSV d'une cellule : vide pour une valeur manquante, jamais « nan » ni « None »."""
    if valeur is None or valeur is pd.NA or valeur is pd.NaT:
        return ""
    if isinstance(valeur, bool | np.bool_):
        return "oui" if valeur else "non"
    if isinstance(valeur, numbers.Integral):
        return str(int(valeur))
    if isinstance(valeur, numbers.Real):
        return _nombre(float(valeur))
    if isinstance(valeur, dt.datetime | dt.date | pd.Timestamp):
        return valeur.isoformat()
    return neutraliser(str(valeur))


def to_csv_bytes(cadre: pd.DataFrame, *, mention: str = "") -> bytes:
    """Le tableau (en-têtes compris, sans l'index) en CSV : octets prêts à télécharger.

    `mention` : une ligne d'une cellule avant l'en-tête (« Données de démonstration : … »), pour
    qu'un fichier transmis dise d'emblée ce qu'il contient ; rien sans elle.
    """
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=SEPARATEUR, lineterminator="\r\n")
    if mention:
        ecrivain.writerow([neutraliser(mention)])
    ecrivain.writerow([neutraliser(str(c)) for c in cadre.columns])
    for ligne in cadre.itertuples(index=False, name=None):
        ecrivain.writerow([cellule(v) for v in ligne])
    return (BOM + tampon.getvalue()).encode("utf-8")
