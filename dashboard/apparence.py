"""Le langage visuel de Pilotage, défini une fois : chaque statut a une forme, une icône, une
couleur et un mot, les mêmes sur les pages, les diapositives du comité, le PDF et le classeur.

Pourquoi un seul module : un élu lit « en retard » sur sa page, puis dans le PDF qu'on lui
transmet, puis sur la diapositive du comité ; si la forme ou la couleur changent d'un support à
l'autre, il se demande si c'est le même statut.

Les règles :
- **jamais la couleur seule** : forme + mot partout, la couleur en plus ; un lecteur daltonien,
  une impression en noir et blanc ou un vidéoprojecteur délavé lisent encore le statut ;
- **palette sûre pour les daltoniens** (Okabe et Ito, 2008) : bleu pour l'avance, vert bleuté
  pour la trajectoire, vermillon pour le retard, gris pour l'absence de données, pourpre pour un
  repère ; les fonds clairs (carte du comité, cases) en sont des teintes ;
- **aucun émoji** : leur dessin dépend des polices du lecteur (sur une machine sans police
  d'émojis, ce sont des carrés vides). À l'écran, les icônes Material que Streamlit embarque
  (`:material/…:`), servies par l'application ; dans les tableaux, le PDF et le classeur, des
  formes géométriques simples (▲ ● ▼ ○ ◇ ⊘) que toute police de texte dessine.

Module pur (ni Streamlit, ni base) : les pages, les modèles, les graphiques et les exports le
lisent.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw

from data_access import trajectoire

EN_AVANCE = trajectoire.Statut.EN_AVANCE.value
DANS_LA_TRAJECTOIRE = trajectoire.Statut.DANS_LA_TRAJECTOIRE.value
EN_RETARD = trajectoire.Statut.EN_RETARD.value
NON_RENSEIGNE = trajectoire.Statut.NON_RENSEIGNE.value
REPERE = trajectoire.Statut.REPERE.value
NON_EVALUABLE = trajectoire.Statut.NON_EVALUABLE.value


@dataclass(frozen=True)
class StyleStatut:
    """Comment un statut se montre.

    `forme` : un caractère géométrique (tableaux, PDF, classeur) ; `icone` : l'icône Material de
    l'écran ; `couleur` : la couleur franche (traits, texte) ; `fond` : sa teinte claire (cases,
    carte) ; `teinte` : le nom de couleur du Markdown de Streamlit (`:blue[…]`) le plus proche ;
    `symbole` : la même forme en symbole Vega-Lite, pour le dernier point d'une courbe.
    """

    forme: str
    icone: str
    couleur: str
    fond: str
    teinte: str
    symbole: str = "circle"


STATUTS: dict[str, StyleStatut] = {
    EN_AVANCE: StyleStatut(
        "\u25b2", ":material/keyboard_double_arrow_up:", "#0072B2", "#9ecae1", "blue", "triangle-up"
    ),  # fmt: skip
    DANS_LA_TRAJECTOIRE: StyleStatut(
        "\u25cf", ":material/check_circle:", "#009E73", "#a1d99b", "green"
    ),  # fmt: skip
    EN_RETARD: StyleStatut(
        "\u25bc", ":material/south:", "#D55E00", "#fc9272", "orange", "triangle-down"
    ),
    NON_RENSEIGNE: StyleStatut("\u25cb", ":material/help:", "#767676", "#d9d9d9", "gray"),
    REPERE: StyleStatut("\u25c7", ":material/flag:", "#CC79A7", "#eeeeee", "violet", "diamond"),
    NON_EVALUABLE: StyleStatut("\u2298", ":material/block:", "#767676", "#d9d9d9", "gray", "cross"),
}


# Ce que chaque statut veut dire, en une phrase (glossaire des pages et du README).
SENS = {
    EN_AVANCE: "le réalisé dépasse la valeur attendue à la date au-delà du seuil d'avance",
    DANS_LA_TRAJECTOIRE: "le réalisé est à la valeur attendue à la date, au seuil près",
    EN_RETARD: "le réalisé est sous la valeur attendue au-delà du seuil de retard : une alerte",
    NON_RENSEIGNE: "aucune valeur pour la période jugée",
    REPERE: "la cible n'est pas un engagement du plan (plafond, lien inféré…) : montrée, "
    "jamais jugée",
    NON_EVALUABLE: "la trajectoire commence avant toute donnée possible ; la raison est écrite",
}


def style(statut: str | None) -> StyleStatut:
    """Le style d'un statut ; un statut absent ou inconnu est « non renseigné »."""
    return STATUTS.get(statut or "", STATUTS[NON_RENSEIGNE])


def connu(statut: str | None) -> str:
    """Le statut lui-même s'il a un style, sinon « non renseigné »."""
    return statut if statut in STATUTS else NON_RENSEIGNE  # type: ignore[return-value]


def forme_et_mot(statut: str | None, mot: str | None = None) -> str:
    """« ▼ en retard » : ce qu'un tableau, une case ou un texte brut écrit. `mot` remplace le
    statut écrit (« repère (plafond) ») sans changer sa forme."""
    cle = connu(statut)
    return f"{STATUTS[cle].forme} {mot or cle}"


def badge(statut: str | None, mot: str | None = None) -> str:
    """« :orange[:material/south: en retard] » : le statut en Markdown de Streamlit, icône,
    couleur et mot."""
    cle = connu(statut)
    s = STATUTS[cle]
    return f":{s.teinte}[{s.icone} {mot or cle}]"


# Les icônes de l'écran, hors statuts : une par intention, pour qu'un même geste ait partout la
# même image.
ICONE_INFO = ":material/info:"
ICONE_ATTENTION = ":material/warning:"
ICONE_ERREUR = ":material/error:"
ICONE_REFUS = ":material/block:"
ICONE_VERROU = ":material/lock:"
ICONE_SUCCES = ":material/check_circle:"
ICONE_ATTENTE = ":material/hourglass_empty:"
ICONE_BASE = ":material/database:"
ICONE_REGLAGE = ":material/settings:"
ICONE_APERCU = ":material/search:"
ICONE_CORRECTION = ":material/edit:"
ICONE_ANNULER = ":material/undo:"
ICONE_SUPPRIMER = ":material/delete:"
ICONE_FICHE = ":material/description:"
ICONE_EPINGLE = ":material/push_pin:"
ICONE_PROVISOIRE = ":material/schedule:"
ICONE_PRECEDENTE = ":material/chevron_left:"
ICONE_SUIVANTE = ":material/chevron_right:"
ICONE_QUITTER = ":material/close:"
ICONE_MOYENS = ":material/balance:"
ICONE_CARTE = ":material/map:"
ICONE_CLIC = ":material/touch_app:"


@cache
def icone_application() -> Image.Image:
    """L'icône de l'onglet du navigateur : trois barres blanches sur le bleu de l'application,
    dessinées ici. Pas une icône Material : Streamlit fait chercher celles de l'onglet sur
    fonts.gstatic.com, et l'application ne sort jamais de son serveur."""
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    dessin = ImageDraw.Draw(image)
    dessin.rounded_rectangle((0, 0, 63, 63), radius=12, fill="#1f4e79")
    for gauche, haut in ((12, 34), (27, 22), (42, 12)):
        dessin.rectangle((gauche, haut, gauche + 9, 52), fill="#ffffff")
    return image
