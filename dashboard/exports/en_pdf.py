"""Export PDF du tableau de bord mensuel : A4 portrait, en français, lisible en noir et blanc.

Le PDF est ce qu'on envoie aux conseillers départementaux et qu'on imprime pour le comité de
pilotage. Il reprend les tables de `dashboard.exports.tables` (les mêmes chiffres que le CSV et
l'XLSX) et les met en page : synthèse avec ses courbes sur 24 mois, tableau du §4 avec un
graphique en barres, changements de statut, alertes et leurs commentaires, indicateurs par
objectif stratégique, événements du mois.

Choix :
- reportlab dessine lui-même tableaux et graphiques vectoriels, sans navigateur ni réseau : un
  mois se construit en une fraction de seconde, dans un test comme en tâche planifiée ;
- chaque page dit l'état de l'édition (« publiée le … par … », sinon « PROVISOIRE » en tête et en
  filigrane) et porte « Page 2 / 5 » : une page imprimée seule reste datée et située ;
- noir et blanc : un statut est un mot précédé d'une forme (▲ ● ▼), les barres se distinguent
  par leur niveau de gris et leur contour, les événements sont des traits en tirets numérotés ;
- la police Helvetica intégrée ne couvre que le jeu WinAnsi : `texte_pdf` ramène les espaces fines
  insécables de `formats` à l'espace insécable et remplace les rares caractères absents ;
- sortie déterministe (mode invariant de reportlab, date du document = date de publication) :
  deux exports d'une même édition sont identiques.
"""

from __future__ import annotations

import io
import itertools
import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dashboard import apparence, formats
from dashboard.exports import tables as export_tableau
from dashboard.graphiques import annotations as graphiques_annotations
from dashboard.graphiques import echelle, trace
from dashboard.graphiques import tableau_de_bord as graphiques_tableau
from dashboard.tableau_de_bord import textes
from dashboard.tableau_de_bord.contenu import (
    EN_RETARD,
    Courbe,
    LigneIndicateur,
    LigneTerritoire,
    TableauDeBord,
)
from data_access import periodes, territoires

TYPE_MIME = "application/pdf"
POLICE = "Helvetica"
POLICE_GRAS = "Helvetica-Bold"
POLICE_ITALIQUE = "Helvetica-Oblique"
MARGE = 2 * cm
REMBOURRAGE_CADRE = 6  # points de part et d'autre : le cadre de SimpleDocTemplate
LARGEUR_UTILE = A4[0] - 2 * MARGE - 2 * REMBOURRAGE_CADRE
PLACE_TITRE = 3.5 * cm  # sous cette hauteur restante, un titre passe à la page suivante
PROVISOIRE = "PROVISOIRE"
SANS_OBJECTIF = "Autres indicateurs"

# Caractères que WinAnsi n'a pas, et leur équivalent lisible (le reste passe par `_caractere`).
REMPLACEMENTS = str.maketrans({
    "\u202f": "\u00a0",  # espace fine insécable de `formats` → espace insécable
    "\u2009": " ",
    "\u2212": "-",  # signe moins
    "\u2010": "-",
    "\u2011": "-",
    "\u2192": "->",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2248": "~",
})  # fmt: skip

# Forme de chaque statut, écrite en ZapfDingbats (police intégrée, que reportlab adresse par ces
# caractères Unicode). Le mot suit toujours : la forme aide, elle ne porte pas seule le sens.
# Les formes sont celles du langage visuel commun (`apparence`) ; ZapfDingbats n'a que ces trois.
SYMBOLES = {
    statut: apparence.STATUTS[statut].forme
    for statut in (apparence.EN_AVANCE, apparence.DANS_LA_TRAJECTOIRE, apparence.EN_RETARD)
}

GRIS_ENTETE = colors.Color(0.87, 0.87, 0.87)
GRIS_ALTERNE = colors.Color(0.96, 0.96, 0.96)
GRIS_TRAIT = colors.Color(0.55, 0.55, 0.55)
GRIS_GRILLE = colors.Color(0.85, 0.85, 0.85)
GRIS_FILIGRANE = colors.Color(0.9, 0.9, 0.9)


# --- Texte ----------------------------------------------------------------------------------


def _caractere(c: str) -> str:
    """Un caractère que WinAnsi peut écrire : lui-même, sa forme sans accent, sinon « ? »."""
    try:
        c.encode("cp1252")
        return c
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", c).encode("cp1252", "ignore").decode("cp1252")
        return simple or "?"


def texte_pdf(texte: str) -> str:
    """Le texte tel que Helvetica (WinAnsi) peut l'écrire : « 12 345 » garde son espace
    insécable, « œ », « € », « » », « — » passent tels quels, le signe moins devient « - »."""
    propre = texte.translate(REMPLACEMENTS)
    try:
        propre.encode("cp1252")
        return propre
    except UnicodeEncodeError:
        return "".join(_caractere(c) for c in propre)


def _x(texte: object) -> str:
    """Texte brut → balisage de Paragraph (échappé, compatible WinAnsi)."""
    return escape(texte_pdf(str(texte)))


def _vide(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def _valeur(x: object, unite: str) -> str:
    """Un nombre des tables : déjà arrondi à la précision de son unité en forme 2, tel que
    publié en forme 1 (`tables.texte_nombre`)."""
    return export_tableau.texte_nombre(None if _vide(x) else float(x), unite)  # type: ignore[arg-type]


# --- Styles ---------------------------------------------------------------------------------


def _style(nom: str, **options: Any) -> ParagraphStyle:
    base: dict[str, Any] = {"fontName": POLICE, "fontSize": 7.5, "leading": 9}
    return ParagraphStyle(nom, **(base | options))


TITRE = _style("titre", fontName=POLICE_GRAS, fontSize=15, leading=19, spaceAfter=4)
SOUS_TITRE = _style("sous_titre", fontSize=9.5, leading=12, spaceAfter=2)
SECTION = _style("section", fontName=POLICE_GRAS, fontSize=12.5, leading=15, spaceBefore=12,
                 spaceAfter=5)  # fmt: skip
SOUS_SECTION = _style("sous_section", fontName=POLICE_GRAS, fontSize=9.5, leading=12,
                      spaceBefore=8, spaceAfter=4)  # fmt: skip
TEXTE = _style("texte", fontSize=8.5, leading=11, spaceAfter=3)
NOTE = _style("note", fontName=POLICE_ITALIQUE, fontSize=7, leading=8.5, spaceAfter=2)
CELLULE = _style("cellule")
CELLULE_NOMBRE = _style("cellule_nombre", alignment=TA_RIGHT)
ENTETE = _style("entete", fontName=POLICE_GRAS)
ENTETE_NOMBRE = _style("entete_nombre", fontName=POLICE_GRAS, alignment=TA_RIGHT)
TITRE_GRAPHIQUE = _style("titre_graphique", fontName=POLICE_GRAS, fontSize=8, leading=10)


def _p(balisage: str, style: ParagraphStyle = CELLULE) -> Paragraph:
    """Un Paragraph d'un balisage déjà échappé (`_x`) : les textes longs y passent à la ligne."""
    return Paragraph(balisage, style)


def _titre(balisage: str, style: ParagraphStyle = SECTION) -> list[Flowable]:
    """Un titre qui ne reste pas seul en bas de page : s'il reste moins de `PLACE_TITRE`, il
    passe à la page suivante avec ce qu'il annonce (un tableau long, lui, se coupe ensuite)."""
    return [CondPageBreak(PLACE_TITRE), _p(balisage, style)]


def statut(mot: str) -> str:
    """Le balisage d'un statut : sa forme puis le mot (« en retard » en gras)."""
    symbole = SYMBOLES.get(mot)
    forme = f'<font name="ZapfDingbats" size="6">{symbole}</font> ' if symbole else ""
    texte = _x(mot)
    return forme + (f"<b>{texte}</b>" if mot == EN_RETARD else texte)


# --- Tableaux -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Colonne:
    """Une colonne d'un tableau du PDF : son titre, sa largeur, et comment écrire sa cellule."""

    titre: str
    largeur: float  # en cm
    cellule: Callable[[pd.Series], str]
    nombre: bool = False


def _tableau(lignes: pd.DataFrame, colonnes: Sequence[Colonne]) -> Table:
    """Un tableau à en-tête répété sur chaque page, nombres à droite, lignes alternées."""
    entete = [_p(_x(c.titre), ENTETE_NOMBRE if c.nombre else ENTETE) for c in colonnes]
    corps = [
        [_p(c.cellule(ligne), CELLULE_NOMBRE if c.nombre else CELLULE) for c in colonnes]
        for _, ligne in lignes.iterrows()
    ]
    total = sum(c.largeur for c in colonnes)
    largeurs = [c.largeur / total * LARGEUR_UTILE for c in colonnes]
    table = Table([entete, *corps], colWidths=largeurs, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.3, GRIS_TRAIT),
        ("BACKGROUND", (0, 0), (-1, 0), GRIS_ENTETE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, GRIS_ALTERNE]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))  # fmt: skip
    return table


def _unite_a_part(unite: str) -> bool:
    """Les unités que le nombre n'écrit pas lui-même (« personnes ») vont sous le libellé."""
    return bool(unite) and unite not in ("%", "€", "ETP")


def _indicateur(revises: Iterable[str], commentaire: bool = False) -> Callable[[pd.Series], str]:
    """La cellule « indicateur » : libellé, unité en petit, révision, commentaire éventuel."""
    codes = set(revises)

    def cellule(ligne: pd.Series) -> str:
        texte = _x(ligne["Indicateur"])
        if _unite_a_part(str(ligne["Unité"])):
            texte += f'<br/><font size="6.5">{_x(ligne["Unité"])}</font>'
        if ligne["Code"] in codes:
            texte += f"<br/><i>{_x(export_tableau.REVISE)}</i>"
        if commentaire and ligne["Commentaire"]:
            texte += f"<br/><i>Commentaire : {_x(ligne['Commentaire'])}</i>"
        return texte

    return cellule


def _nombre(colonne: str) -> Callable[[pd.Series], str]:
    return lambda ligne: _x(_valeur(ligne[colonne], str(ligne.get("Unité", ""))))


def _petit(texte: str) -> str:
    return f'<br/><font size="6.5">{_x(texte)}</font>'


def _cible(ligne: pd.Series) -> str:
    """La cible et sa période ; quand d'autres cibles l'accompagnent (forme 2 : 10 000 et
    11 199), chacune avec sa source, la principale d'abord."""
    unite = str(ligne["Unité"])
    texte = _x(_valeur(ligne["Cible"], unite))
    if ligne["Période de la cible"]:
        texte += _petit(str(ligne["Période de la cible"]))
    for rang in itertools.count(1):
        noms = export_tableau.colonnes_autre_cible(rang)
        if _vide(ligne.get(noms[0])):
            return texte
        if rang == 1:
            texte += _petit(str(ligne["Source"]))
        valeur, periode, _libelle, attendu, _statut_autre, source = (ligne[n] for n in noms)
        texte += f"<br/>autre cible : {_x(_valeur(valeur, unite))}"
        texte += _petit(", ".join(str(t) for t in (periode, source) if t))
        if not _vide(attendu):
            texte += _petit(f"attendu à date {_valeur(attendu, unite)}")
    return texte


def _texte(colonne: str) -> Callable[[pd.Series], str]:
    return lambda ligne: _x(ligne[colonne] if not _vide(ligne[colonne]) else "")


def _statut(colonne: str) -> Callable[[pd.Series], str]:
    return lambda ligne: statut(str(ligne[colonne]))


def _commentaire(ligne: pd.Series) -> str:
    return _x(ligne["Commentaire"]) if ligne["Commentaire"] else "<b>commentaire manquant</b>"


# --- Graphiques -----------------------------------------------------------------------------


graduations = echelle.graduations  # la règle commune de l'axe des ordonnées (écran et PDF)


def _etiquette_axe(x: float, pas: float, unite: str) -> str:
    decimales = 0 if float(pas).is_integer() else len(f"{pas:g}".split(".")[1])
    texte = formats.nombre(x, decimales)
    return texte_pdf(f"{texte}{formats.ESPACE_FINE}%" if unite == "%" else texte)


MOIS_COURTS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
               "oct.", "nov.", "déc.")  # fmt: skip


def _chaine(x: float, y: float, texte: str, taille: float = 6, **options: Any) -> String:
    return String(x, y, texte_pdf(texte), fontName=POLICE, fontSize=taille, **options)


@dataclass(frozen=True)
class Cadre:
    """La zone de tracé d'un graphique et ses échelles (mois en abscisse, valeur en ordonnée)."""

    gauche: float
    bas: float
    largeur: float
    hauteur: float
    x0: float
    x1: float
    y0: float
    y1: float

    def x(self, rang: float) -> float:
        return self.gauche + (rang - self.x0) / (self.x1 - self.x0) * self.largeur

    def y(self, valeur: float) -> float:
        return self.bas + (valeur - self.y0) / (self.y1 - self.y0) * self.hauteur


def _troncons(courbe: Courbe, t: trace.Trace) -> list[list[tuple[int, float]]]:
    """Les morceaux de ligne, aux ordonnées du tracé (`t`, le cumul d'un flux à cible) : une
    valeur manquante, une période hors de la plage du cumul ou un changement de définition coupe
    la courbe, pour que personne ne lise un saut de série comme un résultat."""
    ruptures = sorted(
        periodes.Mois.parse(e.mois).rang
        for e in courbe.evenements
        if e.type == graphiques_annotations.DEFINITION
    )
    tracees = dict(zip(t.points["fin"], t.points["y"], strict=True))
    morceaux: list[list[tuple[int, float]]] = []
    courant: list[tuple[int, float]] = []
    cote = 0
    for point in courbe.points:
        rang = periodes.Mois.parse(point.fin).rang
        y = tracees.get(point.fin) if point.valeur is not None else None
        nouveau_cote = sum(1 for r in ruptures if r <= rang)
        if y is None or nouveau_cote != cote:
            if courant:
                morceaux.append(courant)
            courant = []
            cote = nouveau_cote
        if y is not None:
            courant.append((rang, float(y)))
    if courant:
        morceaux.append(courant)
    return morceaux


def _couleur(code: str) -> colors.Color:
    return colors.HexColor(code)


StyleSerie = tuple[str, str, tuple[float, ...]]  # nom, couleur, tirets (`trace.Trace.styles`)
INTERLIGNE_LEGENDE = 8.0
TAILLE_LEGENDE = 5.5


def _rangs_legende(t: trace.Trace, largeur: float) -> list[list[StyleSerie]]:
    """Les séries de la légende réparties en lignes qui tiennent dans la largeur du dessin."""
    rangs: list[list[StyleSerie]] = [[]]
    x = 0.0
    for style in t.styles:
        place = 13 + stringWidth(texte_pdf(style[0]), POLICE, TAILLE_LEGENDE) + 8
        if x + place > largeur - 0.2 * cm and rangs[-1]:
            rangs.append([])
            x = 0.0
        rangs[-1].append(style)
        x += place
    return rangs


def dessin_courbe(
    courbe: Courbe,
    ligne: LigneIndicateur | None = None,
    nature: str = "",
    largeur: float = 8.1 * cm,
    hauteur: float = 5.2 * cm,
    t: trace.Trace | None = None,
) -> Drawing:
    """La courbe d'un indicateur sur 24 mois face à sa cible et à la trajectoire attendue, le
    statut au dernier point (forme, couleur, mot), ses événements en traits de tirets
    numérotés, sa légende : le même `trace.Trace` que la courbe de l'écran, même axe des
    ordonnées (`echelle`). `t` : la courbe déjà tracée, si on l'a."""
    dessin = Drawing(largeur, hauteur)
    if t is None:
        t = graphiques_tableau.build_trace(courbe, ligne, nature or (ligne.nature if ligne else ""))
    if t.points.empty:
        dessin.add(_chaine(largeur / 2, hauteur / 2, "aucune valeur", 7, textAnchor="middle"))
        return dessin
    rangs = [periodes.Mois.parse(p.fin).rang for p in courbe.points]
    for cible in t.cibles:
        rangs += [cible.plage.debut.rang - 1, cible.plage.fin.rang]
    rangs_legende = _rangs_legende(t, largeur) if len(t.styles) > 1 else []
    legende = INTERLIGNE_LEGENDE * len(rangs_legende) + (4 if rangs_legende else 0)
    cadre = Cadre(gauche=1.35 * cm, bas=0.65 * cm + legende, largeur=largeur - 1.55 * cm,
                  hauteur=hauteur - 1.0 * cm - legende, x0=min(rangs) - 0.5,
                  x1=max(rangs) + 0.5, y0=t.graduations[0], y1=t.graduations[-1])  # fmt: skip
    _axes(dessin, cadre, t.graduations, courbe.unite)
    styles = {nom: (couleur, tirets) for nom, couleur, tirets in t.styles}
    for cible in t.cibles:
        _trait_cible(dessin, cadre, cible, styles)
    for numero, mois in zip(t.evenements["numero"], t.evenements["mois"], strict=True):
        x = cadre.x(periodes.Mois.parse(str(mois)).rang - 0.5)
        haut = cadre.bas + cadre.hauteur
        dessin.add(Line(x, cadre.bas, x, haut, strokeColor=colors.black, strokeWidth=0.7,
                        strokeDashArray=[3, 2]))  # fmt: skip
        dessin.add(Rect(x - 4, haut + 1, 8, 8, fillColor=colors.white,
                        strokeColor=colors.black, strokeWidth=0.5))  # fmt: skip
        dessin.add(_chaine(x, haut + 2.6, str(numero), 6, textAnchor="middle"))
    realise = _couleur(trace.COULEUR_REALISE)
    for morceau in _troncons(courbe, t):
        xy = [c for rang, v in morceau for c in (cadre.x(rang), cadre.y(v))]
        if len(morceau) > 1:
            dessin.add(PolyLine(xy, strokeColor=realise, strokeWidth=1.1))
        for rang, v in morceau:
            dessin.add(Circle(cadre.x(rang), cadre.y(v), 1.4, fillColor=realise,
                              strokeColor=None))  # fmt: skip
    _statut_final(dessin, cadre, t)
    _legende_series(dessin, rangs_legende)
    return dessin


def _trait_cible(
    dessin: Drawing,
    cadre: Cadre,
    cible: trace.CibleTracee,
    styles: dict[str, tuple[str, tuple[float, ...]]],
) -> None:
    """Le trait de la cible sur sa plage et sa trajectoire attendue en tirets."""
    couleur = _couleur(styles[cible.libelle][0])
    y = cadre.y(cible.valeur)
    dessin.add(Line(cadre.x(cible.plage.debut.rang - 1), y, cadre.x(cible.plage.fin.rang), y,
                    strokeColor=couleur, strokeWidth=1.2))  # fmt: skip
    if cible.attendus.empty:
        return
    xy = [
        c
        for mois, v in zip(cible.attendus["mois"], cible.attendus["attendu"], strict=True)
        for c in (cadre.x(periodes.Mois.parse(str(mois)).rang), cadre.y(float(v)))
    ]
    tirets = list(styles[cible.nom_trajectoire][1])
    dessin.add(PolyLine(xy, strokeColor=couleur, strokeWidth=0.9, strokeDashArray=tirets))


def _forme(x: float, y: float, symbole: str, r: float) -> Polygon | Circle:
    """La forme d'un statut (`apparence`, symbole Vega-Lite) dessinée en reportlab."""
    if symbole == "triangle-up":
        return Polygon([x - r, y - r * 0.8, x + r, y - r * 0.8, x, y + r])
    if symbole == "triangle-down":
        return Polygon([x - r, y + r * 0.8, x + r, y + r * 0.8, x, y - r])
    if symbole == "diamond":
        return Polygon([x, y + r, x + r, y, x, y - r, x - r, y])
    if symbole == "cross":
        e = r / 3
        return Polygon([x - e, y + r, x + e, y + r, x + e, y + e, x + r, y + e, x + r, y - e,
                        x + e, y - e, x + e, y - r, x - e, y - r, x - e, y - e, x - r, y - e,
                        x - r, y + e, x - e, y + e])  # fmt: skip
    return Circle(x, y, r * 0.8)


def _statut_final(dessin: Drawing, cadre: Cadre, t: trace.Trace) -> None:
    """Le statut au dernier point : sa forme et sa couleur (`apparence`), et son mot à côté."""
    if not t.statut:
        return
    style = apparence.style(t.statut)
    dernier = t.points.iloc[-1]
    x, y = cadre.x(periodes.Mois.parse(str(dernier["fin"])).rang), cadre.y(float(dernier["y"]))
    forme = _forme(x, y, style.symbole, 3.6)
    forme.fillColor, forme.strokeColor, forme.strokeWidth = (
        _couleur(style.couleur),
        colors.black,
        0.4,
    )
    dessin.add(forme)
    mot = texte_pdf(t.statut_mot)
    largeur_mot = stringWidth(mot, POLICE_GRAS, 6)
    # Sur un fond blanc : le mot reste lisible quand il croise le trait d'une cible.
    dessin.add(Rect(x - 6 - largeur_mot, y + 3, largeur_mot + 2, 7.5, fillColor=colors.white,
                    strokeColor=None))  # fmt: skip
    dessin.add(String(x - 5, y + 4.5, mot, fontName=POLICE_GRAS, fontSize=6,
                      fillColor=_couleur(style.couleur), textAnchor="end"))  # fmt: skip


def _legende_series(dessin: Drawing, rangs: list[list[StyleSerie]]) -> None:
    """La légende sous l'axe des mois : un trait (plein ou en tirets) et le nom de chaque
    série, une ligne par rang de `_rangs_legende`."""
    y = INTERLIGNE_LEGENDE * len(rangs) - 4
    for rang in rangs:
        x = 0.2 * cm
        for nom, couleur, tirets in rang:
            dessin.add(Line(x, y + 2, x + 10, y + 2, strokeColor=_couleur(couleur),
                            strokeWidth=1.2, strokeDashArray=list(tirets) or None))  # fmt: skip
            dessin.add(_chaine(x + 13, y, nom, TAILLE_LEGENDE))
            x += 13 + stringWidth(texte_pdf(nom), POLICE, TAILLE_LEGENDE) + 8
        y -= INTERLIGNE_LEGENDE


def _axes(dessin: Drawing, cadre: Cadre, ticks: list[float], unite: str) -> None:
    """Grille horizontale graduée, axe des mois marqué en janvier et juillet (janvier seul
    écrit quand l'axe couvre la plage de trois ans d'une cible)."""
    droite = cadre.gauche + cadre.largeur
    pas = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    for t in ticks:
        y = cadre.y(t)
        dessin.add(Line(cadre.gauche, y, droite, y, strokeColor=GRIS_GRILLE, strokeWidth=0.4))
        dessin.add(_chaine(cadre.gauche - 3, y - 2, _etiquette_axe(t, pas, unite), 6,
                           textAnchor="end"))  # fmt: skip
    dessin.add(Line(cadre.gauche, cadre.bas, droite, cadre.bas, strokeColor=colors.black,
                    strokeWidth=0.6))  # fmt: skip
    for rang in range(math.ceil(cadre.x0), math.floor(cadre.x1) + 1):
        mois = periodes.Mois.depuis_rang(rang)
        if mois.mois not in (1, 7):
            continue
        x = cadre.x(rang)
        dessin.add(Line(x, cadre.bas, x, cadre.bas - 2, strokeColor=colors.black,
                        strokeWidth=0.5))  # fmt: skip
        if mois.mois == 7 and cadre.x1 - cadre.x0 > 30:
            continue  # sur plus de 30 mois (la plage d'une cible), janvier seul est écrit
        etiquette = f"{MOIS_COURTS[mois.mois - 1]} {mois.annee}"
        dessin.add(_chaine(x, cadre.bas - 9, etiquette, 6, textAnchor="middle"))


# Barres du §4 : trois niveaux de gris et un contour, reconnaissables imprimés en noir et blanc.
BARRES = (
    ("Réalisé", "reel", colors.Color(0.15, 0.15, 0.15)),
    ("Attendu à date", "attendu", colors.Color(0.62, 0.62, 0.62)),
    ("Cible", "cible", colors.white),
)


def dessin_barres(lignes: Sequence[LigneTerritoire], largeur: float = LARGEUR_UTILE) -> Drawing:
    """Réalisé, attendu et cible de chaque territoire en barres horizontales groupées."""
    epaisseur, ecart, legende = 6.0, 7.0, 16.0
    hauteur_groupe = len(BARRES) * epaisseur + ecart
    hauteur = len(lignes) * hauteur_groupe + legende + 4
    dessin = Drawing(largeur, hauteur)
    gauche, droite_texte = 3.7 * cm, 1.6 * cm
    maximum = (
        max((getattr(li, attr) or 0.0 for li in lignes for _, attr, _ in BARRES), default=0.0)
        or 1.0
    )
    echelle = (largeur - gauche - droite_texte) / maximum
    haut = hauteur
    for ligne in lignes:
        haut -= ecart
        dessin.add(_chaine(gauche - 4, haut - 1.6 * epaisseur, ligne.libelle_territoire, 7,
                           textAnchor="end"))  # fmt: skip
        for libelle, attr, gris in BARRES:
            haut -= epaisseur
            valeur: float | None = getattr(ligne, attr)
            if valeur is None:
                dessin.add(_chaine(gauche + 2, haut + 1, f"{libelle.lower()} : non renseigné",
                                   5.5))  # fmt: skip
                continue
            longueur = max(valeur * echelle, 0.5)
            dessin.add(Rect(gauche, haut + 0.5, longueur, epaisseur - 1, fillColor=gris,
                            strokeColor=colors.black, strokeWidth=0.5))  # fmt: skip
            dessin.add(_chaine(gauche + longueur + 3, haut + 1, formats.nombre(valeur), 6))
    dessin.add(Line(gauche, legende, gauche, hauteur - ecart + 1, strokeColor=colors.black,
                    strokeWidth=0.6))  # fmt: skip
    x = gauche
    for libelle, _, gris in BARRES:
        dessin.add(Rect(x, 3, 9, 6, fillColor=gris, strokeColor=colors.black, strokeWidth=0.5))
        dessin.add(_chaine(x + 12, 3.5, libelle, 7))
        x += 12 + len(libelle) * 3.6 + 14
    return dessin


# --- Sections -------------------------------------------------------------------------------


def _section_synthese(tableau: TableauDeBord, table: pd.DataFrame) -> list[Flowable]:
    colonnes = [
        Colonne("Indicateur", 5.9, _indicateur(tableau.revises, commentaire=True)),
        Colonne("Réalisé", 1.9, _nombre("Réalisé"), nombre=True),
        Colonne("Cible", 2.2, _cible, nombre=True),
        Colonne("Attendu à date", 1.9, _nombre("Attendu à date"), nombre=True),
        Colonne("Statut", 2.7, _statut("Statut")),
        Colonne("Période des données", 2.4, _texte("Période des données")),
    ]
    histoire = _titre("Synthèse")
    histoire.append(_tableau(table, colonnes) if len(table) else _p("Aucun indicateur.", TEXTE))
    if tableau.courbes:
        rangs = _grille_courbes(tableau.courbes, tableau.synthese)
        histoire += [KeepTogether([_p("Évolution sur 24 mois", SOUS_SECTION), rangs[0]]),
                     *rangs[1:]]  # fmt: skip
    return histoire


def _legende_courbe(courbe: Courbe, t: trace.Trace) -> list[Flowable]:
    """Sous la courbe : l'unité et la liste numérotée de ses événements (libellés entiers), les
    mêmes numéros que sur le dessin et qu'à l'écran."""
    lignes = [f"Unité : {_x(courbe.unite)}"] if courbe.unite else []
    lignes += [_x(texte) for texte in graphiques_annotations.lignes(t.evenements)]
    return [_p("<br/>".join(lignes), NOTE)] if lignes else []


def _grille_courbes(
    courbes: Sequence[Courbe], lignes: Sequence[LigneIndicateur] = ()
) -> list[Table]:
    """Les courbes deux par deux, une table par rangée pour que la page se coupe entre deux
    rangées ; chaque case : titre, courbe face à sa cible (`lignes` : celles de la synthèse),
    liste numérotée des événements."""
    par_code = {ligne.code: ligne for ligne in lignes}
    cases: list[list[Flowable]] = []
    for c in courbes:
        ligne = par_code.get(c.code)
        t = graphiques_tableau.build_trace(c, ligne, ligne.nature if ligne else "")
        cases.append([_p(_x(c.titre or c.code), TITRE_GRAPHIQUE),
                      dessin_courbe(c, ligne, t=t), *_legende_courbe(c, t)])  # fmt: skip
    if len(cases) % 2:
        cases.append([])
    style = TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ])  # fmt: skip
    return [
        Table([cases[i : i + 2]], colWidths=[LARGEUR_UTILE / 2] * 2, style=style, hAlign="LEFT")
        for i in range(0, len(cases), 2)
    ]


def _section_territoires(tableau: TableauDeBord, table: pd.DataFrame) -> list[Flowable]:
    periode = next(iter(table["Période"]), "")
    titre = "Territoires d'action (§4)" + (f" — période {periode}" if periode else "")
    histoire = _titre(_x(titre))
    if not len(table):
        return [*histoire, _p("Pas de tableau du §4 pour ce périmètre.", TEXTE)]
    colonnes = [
        Colonne("Territoire", 3.0, _texte("Territoire")),
        Colonne("Rubrique", 4.3, _texte("Rubrique")),
        Colonne("Réalisé", 1.7, _nombre("Réalisé"), nombre=True),
        Colonne("Attendu à date", 1.9, _nombre("Attendu à date"), nombre=True),
        Colonne("Cible", 1.7, _nombre("Cible"), nombre=True),
        Colonne("Statut", 2.5, _statut("Statut")),
        Colonne("Période des données", 1.9, _texte("Période des données")),
    ]
    histoire.append(_tableau(table, colonnes))
    rubriques = dict.fromkeys(t.rubrique for t in tableau.territoires)
    for rubrique in rubriques:
        lignes = [
            t for t in tableau.territoires
            if t.rubrique == rubrique and t.territoire != territoires.DEPARTEMENT
        ]  # fmt: skip
        if not any(t.reel is not None for t in lignes):  # rien à comparer à l'attendu
            continue
        histoire.append(KeepTogether([
            _p(f"{_x(rubrique)} : réalisé, attendu à date et cible par territoire d'action",
               SOUS_SECTION),
            dessin_barres(lignes),
        ]))  # fmt: skip
    histoire.append(_p("Le total départemental figure dans le tableau ; les barres comparent "
                       "les territoires d'action entre eux.", NOTE))  # fmt: skip
    return histoire


def _section_changements(tableau: TableauDeBord, table: pd.DataFrame) -> list[Flowable]:
    histoire = _titre("Changements de statut")
    if not len(table):
        return [*histoire, _p("Aucun changement de statut depuis l'édition précédente.", TEXTE)]
    colonnes = [
        Colonne("Indicateur", 6.9, _indicateur(tableau.revises)),
        Colonne("Statut précédent", 2.9, _statut("Statut précédent")),
        Colonne("Statut", 2.9, _statut("Statut")),
        Colonne("Réalisé", 2.1, _nombre("Réalisé"), nombre=True),
        Colonne("Attendu à date", 2.2, _nombre("Attendu à date"), nombre=True),
    ]
    return [*histoire, _tableau(table, colonnes)]


def _section_alertes(tableau: TableauDeBord, table: pd.DataFrame) -> list[Flowable]:
    histoire = _titre("Alertes : indicateurs en retard sur leur trajectoire")
    if not len(table):
        return [*histoire, _p("Aucun indicateur en retard ce mois-ci.", TEXTE)]
    colonnes = [
        Colonne("Indicateur", 5.0, _indicateur(tableau.revises)),
        Colonne("Réalisé", 1.8, _nombre("Réalisé"), nombre=True),
        Colonne("Attendu à date", 1.9, _nombre("Attendu à date"), nombre=True),
        Colonne("Cible", 2.1, _cible, nombre=True),
        Colonne("Commentaire", 6.2, _commentaire),
    ]
    return [*histoire, _tableau(table, colonnes)]


def _section_objectifs(tableau: TableauDeBord, table: pd.DataFrame) -> list[Flowable]:
    """Un tableau par objectif stratégique, dans l'ordre du plan, puis les indicateurs sans OS."""
    histoire = _titre("Indicateurs par objectif stratégique")
    colonnes = [
        Colonne("Code", 1.5, _texte("Code")),
        Colonne("Indicateur", 5.5, _indicateur(tableau.revises, commentaire=True)),
        Colonne("Réalisé", 1.8, _nombre("Réalisé"), nombre=True),
        Colonne("Cible", 2.2, _cible, nombre=True),
        Colonne("Attendu à date", 1.8, _nombre("Attendu à date"), nombre=True),
        Colonne("Statut", 2.4, _statut("Statut")),
        Colonne("Période des données", 1.8, _texte("Période des données")),
    ]
    connus = {o.code for o in tableau.objectifs}
    groupes = [(f"{o.code} — {o.libelle}", table[table["Objectif stratégique"] == o.code])
               for o in tableau.objectifs]  # fmt: skip
    groupes.append((SANS_OBJECTIF, table[~table["Objectif stratégique"].isin(connus)]))
    for titre, lignes in groupes:
        if len(lignes):
            histoire += [*_titre(_x(titre), SOUS_SECTION), _tableau(lignes, colonnes)]
    if not len(table):
        histoire.append(_p("Aucun indicateur.", TEXTE))
    return histoire


def _section_evenements(table: pd.DataFrame) -> list[Flowable]:
    histoire = _titre("Événements du mois")
    if not len(table):
        return [*histoire, _p("Aucun événement daté ce mois-ci.", TEXTE)]
    colonnes = [
        Colonne("Mois", 2.1, _texte("Mois")),
        Colonne("Type", 3.0, _texte("Type")),
        Colonne("Événement", 6.6, _texte("Événement")),
        Colonne("Territoire", 2.7, _texte("Territoire")),
        Colonne("Indicateurs", 2.6, _texte("Indicateurs")),
    ]
    return [*histoire, _tableau(table, colonnes)]


# --- Document -------------------------------------------------------------------------------


def titre(tableau: TableauDeBord) -> str:
    """« Tableau de bord mensuel — juin 2019 — Bas-Rhin »."""
    return (f"Tableau de bord mensuel — {formats.periode(tableau.mois)} — "
            f"{tableau.libelle_territoire}")  # fmt: skip


def _etat(tableau: TableauDeBord) -> str:
    """L'état de l'édition tel qu'il figure en tête de chaque page."""
    return PROVISOIRE if tableau.provisoire else export_tableau.etat_edition(tableau).capitalize()


def _donnees_au(tableau: TableauDeBord) -> str:
    return formats.donnees_de(tableau.derniere_periode)


def _premiere_page(tableau: TableauDeBord, mention: str = "") -> list[Flowable]:
    if tableau.provisoire:
        etat = (f"<b>{PROVISOIRE}</b> : chiffres non publiés, susceptibles d'être révisés "
                "jusqu'à la publication de l'édition.")  # fmt: skip
    else:
        etat = _x(_etat(tableau))
    histoire: list[Flowable] = [
        _p(_x(titre(tableau)), TITRE),
        _p(etat, SOUS_TITRE),
        _p(_x(_donnees_au(tableau)), SOUS_TITRE),
    ]
    if tableau.revises:
        codes = ", ".join(tableau.revises)
        histoire.append(_p(f"{_x(export_tableau.REVISE.capitalize())} : {_x(codes)}", SOUS_TITRE))
    if mention:
        histoire.append(_p(f"<b>{_x(mention)}</b>", SOUS_TITRE))
    legende = " · ".join(statut(mot) for mot in SYMBOLES)
    histoire.append(_p(f"Statuts : {legende} (écart entre le réalisé et la valeur attendue à "
                       "la date sur la trajectoire de la cible). Un repère (lien inféré, plafond, "
                       "valeur de référence, cible dérivée sans règle écrite) est montré sans "
                       "statut : il n'est pas un engagement du plan.", NOTE))  # fmt: skip
    if export_tableau.forme_2(tableau):
        histoire.append(_p(f"Sources : {_x(textes.texte_documents(tableau))}.", NOTE))
    histoire.append(Spacer(1, 4))
    return histoire


@dataclass(frozen=True)
class Bandeau:
    """Ce que chaque page répète : titre et état en tête, date des données et numéro en pied,
    et sous le pied « Données de démonstration : … » quand elles le sont (`mention`)."""

    titre: str
    etat: str
    donnees_au: str
    provisoire: bool
    mention: str = ""

    def fond(self, toile: canvas.Canvas) -> None:
        """Dessiné avant le contenu de la page : filigrane (sous le texte) et bandeaux."""
        largeur, hauteur = A4
        toile.saveState()
        if self.provisoire:
            toile.setFillColor(GRIS_FILIGRANE)
            toile.setFont(POLICE_GRAS, 70)
            toile.translate(largeur / 2, hauteur / 2)
            toile.rotate(50)
            toile.drawCentredString(0, -25, PROVISOIRE)
        toile.restoreState()
        toile.saveState()
        toile.setStrokeColor(GRIS_TRAIT)
        toile.setLineWidth(0.5)
        toile.line(MARGE, hauteur - 1.35 * cm, largeur - MARGE, hauteur - 1.35 * cm)
        toile.line(MARGE, 1.35 * cm, largeur - MARGE, 1.35 * cm)
        toile.setFont(POLICE, 7.5)
        toile.drawString(MARGE, hauteur - 1.2 * cm, texte_pdf(self.titre))
        toile.setFont(POLICE_GRAS, 7.5)
        toile.drawRightString(largeur - MARGE, hauteur - 1.2 * cm, texte_pdf(self.etat))
        toile.setFont(POLICE, 7.5)
        toile.drawString(MARGE, 1.0 * cm, texte_pdf(self.donnees_au))
        if self.mention:
            toile.setFont(POLICE_GRAS, 7)
            toile.drawString(MARGE, 0.6 * cm, texte_pdf(self.mention))
        toile.restoreState()

    def numero(self, toile: canvas.Canvas, page: int, total: int) -> None:
        """Dessiné une fois le nombre de pages connu."""
        toile.saveState()
        toile.setFont(POLICE, 7.5)
        toile.drawRightString(A4[0] - MARGE, 1.0 * cm, f"Page {page} / {total}")
        toile.restoreState()


class _Toile(canvas.Canvas):
    """Une toile qui garde ses pages jusqu'à la fin pour écrire « Page n / total » : le total
    n'est connu qu'une fois tout le contenu réparti."""

    def __init__(self, *args: Any, bandeau: Bandeau, date_pdf: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._bandeau = bandeau
        self._pages: list[dict[str, Any]] = []
        self.setDateFormatter(lambda *_: date_pdf)

    def showPage(self) -> None:  # nom imposé par reportlab
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for page, etat in enumerate(self._pages, start=1):
            self.__dict__.update(etat)
            self._bandeau.numero(self, page, total)
            super().showPage()
        super().save()


def date_pdf(tableau: TableauDeBord) -> str:
    """La date du document (format PDF `D:AAAAMMJJhhmmss`) : celle de la publication, ou une
    date fixe pour la vue en direct, pour que la sortie ne dépende pas de l'heure."""
    quand = datetime(2000, 1, 1, tzinfo=UTC)
    if tableau.publication is not None:
        quand = datetime.fromisoformat(tableau.publication.publie_le)
        quand = quand.replace(tzinfo=UTC) if quand.tzinfo is None else quand.astimezone(UTC)
    return quand.strftime("D:%Y%m%d%H%M%S+00'00'")


def histoire(tableau: TableauDeBord, mention: str = "") -> list[Flowable]:
    """Le contenu du PDF, section après section."""
    tables = export_tableau.tables(tableau)
    return [
        *_premiere_page(tableau, mention),
        *_section_synthese(tableau, tables["Synthèse"]),
        *_section_territoires(tableau, tables["Territoires"]),
        *_section_changements(tableau, tables["Changements de statut"]),
        *_section_alertes(tableau, tables["Alertes"]),
        *_section_objectifs(tableau, tables["Indicateurs"]),
        *_section_evenements(tables["Événements"]),
    ]


def to_pdf(tableau: TableauDeBord, *, demonstration: bool = False) -> bytes:
    """Le PDF du tableau de bord (octets prêts à télécharger ou à joindre à un courriel).
    `demonstration` : la vue en direct montre des données de démonstration (voir `fichiers`)."""
    tampon = io.BytesIO()
    mention = export_tableau.mention_demo(tableau, demonstration)
    bandeau = Bandeau(titre(tableau), _etat(tableau), _donnees_au(tableau), tableau.provisoire,
                      mention)  # fmt: skip
    document = SimpleDocTemplate(
        tampon, pagesize=A4, leftMargin=MARGE, rightMargin=MARGE, topMargin=1.8 * cm,
        bottomMargin=1.8 * cm, title=texte_pdf(titre(tableau)), author="Pilotage",
        subject=texte_pdf(_etat(tableau)), creator="Pilotage", lang="fr-FR", invariant=1,
    )  # fmt: skip

    def fond(toile: canvas.Canvas, _document: SimpleDocTemplate) -> None:
        bandeau.fond(toile)

    def toile(*args: Any, **kwargs: Any) -> _Toile:
        return _Toile(*args, bandeau=bandeau, date_pdf=date_pdf(tableau), **kwargs)

    document.build(histoire(tableau, mention), onFirstPage=fond, onLaterPages=fond,
                   canvasmaker=toile)  # fmt: skip
    return tampon.getvalue()
