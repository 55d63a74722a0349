"""Ce qu'une personne lit à l'écran, dans une diapositive ou un export, et sa comparaison au SQL.

Chaque surface donne des lignes « indicateur, réalisé, cible » ; `verifier` les compare au calcul
indépendant (`calcul.Lecture`) : le réalisé affiché est le réalisé recalculé, écrit avec
l'arrondi de son unité ; chaque cible affichée est une cible de ce territoire dont la plage
contient le mois montré.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from sqlalchemy import Connection

from dashboard import formats
from tests.app.aides import bloc, textes
from tests.contexte.calcul import Lecture

# Les rubriques du tableau du §4 du PDIE 2017-2019 (objectifs par territoire d'action) et
# l'indicateur de chacune : la liste du document, pas celle du code.
RUBRIQUES_P4 = {
    "Accès à l'emploi": "OO2-S.1",
    "Accès à l'insertion": "OO3-S.1",
    "Offres mobilisées par les conseillers départementaux": "A23.1",
}
ESPACES = re.compile(r"[\s\u00a0\u202f]+")


@dataclass(frozen=True)
class Ligne:
    """Une ligne lue : où, quel indicateur, quel territoire, le réalisé et la cible écrits."""

    ou: str
    code: str
    territoire: str
    reel: str
    cible: str | None  # texte de la cible principale, None si aucune
    periode: str | None = None  # « Période des données » écrite, si la surface la donne
    periode_cible: str | None = None  # période de la cible (§4 : « 2019 »), si écrite


NOMBRE = re.compile(r"^-?\d[\d\s\u00a0\u202f]*(?:,\d+)?(?:\s?(?:%|M€|€))?")


def nombre(texte: str) -> float | None:
    """« 2 208 », « 78,6 % », « 4,2 M€ », « 10 000 (PDIE…) » → nombre ; « – », « aucune » → None."""
    trouve = NOMBRE.match(texte.strip())
    if not trouve:
        return None
    ecrit = trouve[0]
    facteur = 1e6 if "M€" in ecrit else 1.0
    propre = ESPACES.sub("", ecrit).replace("%", "").replace("M€", "").replace("€", "")
    return float(propre.replace(",", ".")) * facteur


def normaliser(texte: str) -> str:
    return ESPACES.sub(" ", html.unescape(texte)).strip()


def verifier(lecture: Lecture, lignes: list[Ligne], mois: str) -> int:
    """Compare chaque ligne au calcul indépendant ; rend le nombre de lignes vérifiées."""
    assert lignes, "aucune ligne lue : la surface n'a pas été trouvée"
    erreurs = []
    for ligne in lignes:
        nature = lecture.nature(ligne.code)
        if nature == "jalon":
            continue  # un jalon se lit « réalisé / non réalisé », vérifié ailleurs
        cible = nombre(ligne.cible) if ligne.cible else None
        derniere = lecture.derniere_periode(ligne.code, ligne.territoire, mois)
        if ligne.periode is not None:
            ecrite = formats.periode(derniere) if derniere else formats.AUCUNE_DONNEE
            if normaliser(ligne.periode) != normaliser(ecrite):
                erreurs.append(f"{ligne.ou} {ligne.code} {ligne.territoire} : période "
                               f"{ligne.periode!r}, SQL {ecrite!r}")  # fmt: skip
        if (
            ligne.periode_cible is None
            and cible is not None
            and derniere is not None
            and not lecture.cibles(
                ligne.code, ligne.territoire, lecture.fin(ligne.code, ligne.territoire, derniere)
            )
            & {cible}
        ):
            erreurs.append(f"{ligne.ou} {ligne.code} {ligne.territoire} : cible {ligne.cible} "
                           f"absente des cibles de la période des données")  # fmt: skip
            continue
        if ligne.periode_cible is not None:
            attendu = lecture.realise_sur(ligne.code, ligne.territoire, ligne.periode_cible, mois)
        else:
            attendu = lecture.realise(ligne.code, ligne.territoire, mois, cible)
        ecrit = formats.valeur(attendu, lecture.unite(ligne.code))
        if normaliser(ligne.reel) != normaliser(ecrit):
            erreurs.append(f"{ligne.ou} {ligne.code} {ligne.territoire} : affiché {ligne.reel!r}, "
                           f"SQL {ecrit!r}")  # fmt: skip
    assert not erreurs, "\n".join(erreurs)
    return len(lignes)


def cadres(noeud: Any) -> list[Any]:
    """Les tableaux de données (pandas) sous un nœud AppTest."""
    sortie = []
    if getattr(noeud, "type", "") in ("arrow_data_frame", "dataframe"):
        sortie.append(noeud.value)
    for enfant in getattr(noeud, "children", {}).values():
        sortie.extend(cadres(enfant))
    return sortie


def depuis_cadre(cadre: Any, ou: str, territoire: str) -> list[Ligne]:
    """Les lignes d'un tableau d'indicateurs (colonnes Code, Réalisé, Cible)."""
    periodes = "Période des données" in cadre.columns
    return [
        Ligne(ou, str(r["Code"]), territoire, str(r["Réalisé"]), _cible(str(r["Cible"])),
              str(r["Période des données"]) if periodes else None)
        for _, r in cadre.iterrows()
    ]  # fmt: skip


def depuis_territoires(cadre: Any, ou: str, lecture: Lecture) -> list[Ligne]:
    """Les lignes du tableau du §4 (Territoire, Rubrique, Réalisé, Cible)."""
    lignes = []
    for _, r in cadre.iterrows():
        assert r["Rubrique"] in RUBRIQUES_P4, r["Rubrique"]
        territoire = territoire_ecrit(str(r["Territoire"]), lecture)
        lignes.append(Ligne(ou, RUBRIQUES_P4[str(r["Rubrique"])], territoire, str(r["Réalisé"]),
                            _cible(str(r["Cible"])), periode_cible=str(r["Période"])))  # fmt: skip
    return lignes


def territoire_ecrit(libelle: str, lecture: Lecture) -> str:
    """Le code du territoire d'une ligne : « Total (département) » est le département."""
    return "67" if libelle.startswith("Total") else lecture.code_territoire(libelle)


def _cible(texte: str) -> str | None:
    """Le texte de la cible principale : le premier nombre écrit (« 10 000 (PDIE…) ; autre
    cible : 11 199 (…) », « 10 000 / 11 199 »), None pour « aucune »."""
    return texte.strip() if nombre(texte) is not None else None


class _Tables(HTMLParser):
    """Les tableaux HTML d'une diapositive : listes de lignes de cellules (texte)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cellule: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cellule = []
        elif tag == "br" and self._cellule is not None:
            self._cellule.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cellule is not None and self.tables:
            self.tables[-1][-1].append("".join(self._cellule).strip())
            self._cellule = None

    def handle_data(self, data: str) -> None:
        if self._cellule is not None:
            self._cellule.append(data)


def tables_html(corps: str) -> list[list[list[str]]]:
    analyseur = _Tables()
    analyseur.feed(corps)
    return [t for t in analyseur.tables if t]


def depuis_table_html(table: list[list[str]], ou: str, territoire: str) -> list[Ligne]:
    """Un tableau d'indicateurs d'une diapositive (en-têtes Code, …, Réalisé, Cible, …)."""
    entetes = table[0]
    i_code, i_reel, i_cible = (entetes.index(n) for n in ("Code", "Réalisé", "Cible"))
    i_periode = entetes.index("Période des données") if "Période des données" in entetes else None
    return [
        Ligne(ou, r[i_code], territoire, r[i_reel], _cible(r[i_cible]),
              r[i_periode] if i_periode is not None else None)
        for r in table[1:]
    ]  # fmt: skip


CASE = re.compile(r"^(?P<reel>.+?) sur (?P<cible>[^(\n]+?)(?: \(attendu [^)]*\))?\s*(?:\n|$)")


def depuis_grille(table: list[list[str]], ou: str, lecture: Lecture) -> list[Ligne]:
    """La grille du §4 d'une diapositive : Territoire puis une case « 291 sur 736 (attendu
    368) » par rubrique."""
    entetes = table[0]
    lignes = []
    for rangee in table[1:]:
        territoire = territoire_ecrit(rangee[0], lecture)
        for rubrique, case in zip(entetes[1:], rangee[1:], strict=True):
            code = RUBRIQUES_P4.get(rubrique, rubrique)  # la carte nomme l'indicateur
            trouve = CASE.match(case)
            if trouve:
                lignes.append(Ligne(ou, code, territoire, trouve["reel"], trouve["cible"]))
    return lignes


# « Cible **2 208** (2017-2019) » (tableau de bord), « Cible 2 208 (2017-2019) » (comité).
CIBLE_CARTE = re.compile(r"(?:Cible|Repère) \*{0,2}([^*(\n]+?)\*{0,2} \(")


def noeuds(noeud: Any) -> list[Any]:
    """Le nœud et tous ses descendants (AppTest)."""
    return [noeud, *(n for e in getattr(noeud, "children", {}).values() for n in noeuds(e))]


def cartes(racine: Any, conn: Connection, territoire: str, prefixe: str) -> list[Ligne]:
    """Les cartes à clé `<prefixe><code>` : le chiffre du `st.metric`, la cible du texte."""
    codes = [str(c) for (c,) in conn.exec_driver_sql("SELECT code FROM indicateur")]
    lignes = []
    for code in codes:
        carte = bloc(racine, prefixe + code.replace(".", "-"))
        if carte is None:
            continue
        metrique = next(n for n in noeuds(carte) if getattr(n, "type", "") == "metric")
        cible = next((m[1] for t in textes(carte) if (m := CIBLE_CARTE.search(t))), None)
        lignes.append(Ligne(prefixe, code, territoire, str(metrique.value), cible))
    return lignes
