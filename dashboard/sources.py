"""Les sources lisibles : « PDIE 2017-2019, §3.2 » plutôt que « 002_08888835fc8aebb3.txt §3.2 ».

Le référentiel cite chaque chiffre par le nom du fichier source et l'endroit dans ce fichier
(`config/referentiel/README.md`) : c'est ce qui permet de vérifier un chiffre contre son
document. Un élu, lui, lit le nom du document. `config/documents.csv` donne, pour chaque fichier,
le titre court du document (et d'où on le tient) ; `lisible` fait la traduction, la même pour
l'écran, les diapositives et les exports. Le nom du fichier reste sur la fiche de l'indicateur
(page Objectifs), pour qui veut remonter au texte.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pandas as pd

from config.settings import DOSSIER_CONFIG
from data_access.fichiers_config import read_csv

FICHIER_DOCUMENTS = DOSSIER_CONFIG / "documents.csv"
COLONNES = ("fichier", "titre", "document", "reperage")
# Un fichier source des documents : trois chiffres, un trait bas, seize chiffres hexadécimaux.
NOM_FICHIER = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
_FICHIER_ET_LIEU = re.compile(rf"({NOM_FICHIER.pattern})( (?=\S))?")
_ARTICLE = re.compile(r"\bArticle (\d+)")


@dataclass(frozen=True)
class Document:
    """Un document source : son fichier, son titre court (« PDIE 2017-2019 ») et son titre long."""

    fichier: str
    titre: str
    document: str


@cache
def documents() -> dict[str, Document]:
    """Les documents sources par nom de fichier (`config/documents.csv`, lu une fois)."""
    return {
        ligne.texte("fichier"): Document(
            ligne.texte("fichier"), ligne.texte("titre"), ligne.texte("document")
        )
        for ligne in read_csv(FICHIER_DOCUMENTS, COLONNES)
    }


def _titre(trouve: re.Match[str]) -> str:
    connu = documents().get(trouve.group(1))
    titre = connu.titre if connu else trouve.group(1)
    return f"{titre}, " if trouve.group(2) else titre


def lisible(source: str) -> str:
    """`002_08888835fc8aebb3.txt §3.2` → « PDIE 2017-2019, §3.2 » ;
    `000_114ffa306b4fe5c3.txt Article 4` → « Convention MDE 2020, art. 4 ».

    Chaque nom de fichier devient le titre de son document, suivi d'une virgule quand un
    endroit le suit ; le reste du texte est gardé. Un fichier inconnu garde son nom (on
    n'invente pas un titre). Un texte sans nom de fichier est rendu tel quel.
    """
    if not NOM_FICHIER.search(source):
        return source
    return _ARTICLE.sub(r"art. \1", _FICHIER_ET_LIEU.sub(_titre, source))


def documents_cites(sources: Iterable[str]) -> list[Document]:
    """Les documents que citent ces sources, une fois chacun, dans l'ordre des fichiers."""
    noms = {nom for source in sources for nom in NOM_FICHIER.findall(source)}
    return [doc for nom, doc in sorted(documents().items()) if nom in noms]


def colonne_lisible(cadre: pd.DataFrame, colonne: str = "source") -> pd.DataFrame:
    """Une copie du cadre dont la colonne de sources est lisible (`lisible`), pour une page qui
    montre les lectures telles quelles (moyens, normes) ; une valeur absente reste absente."""
    if colonne not in cadre:
        return cadre
    lisibles = [x if not isinstance(x, str) else lisible(x) for x in cadre[colonne]]
    return cadre.assign(**{colonne: lisibles})
