"""Présentation française des nombres, pourcentages, montants et périodes.

Une seule source pour l'affichage : `12 345` (espace fine insécable), `45,2 %`, `1,4 ETP`,
`15 M€`, « juin 2019 ». Une valeur manquante s'affiche « – », jamais 0.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal
from zoneinfo import ZoneInfo

import pandas as pd

from data_access import periodes

ESPACE_FINE = "\u202f"
# Ce qui fait d'un texte du Markdown au milieu d'une ligne : code, emphase, lien et image
# (`[` suffit : `![…](…)` et `[…](…)` en ont besoin), lien automatique `<…>` et HTML, barré,
# formule, entité `&…;`, tableau. Les tirets, points et parenthèses restent nus : ils ne font
# rien au milieu d'une ligne.
_EN_LIGNE = re.compile(r"([\\`*_\[\]<>~$&|])")
# Ce que Streamlit transforme après l'analyse du Markdown, donc malgré une barre oblique
# inverse (vérifié dans Chromium) : directives `:red[…]` (`:mot` seul disparaît), icônes
# `:material/…:`, émojis `:smile:`, liens automatiques `www.`, `http://`, `a@b.fr`. Un gluon de
# mots (U+2060, invisible, sans coupure de ligne) les sépare.
GLUON = "\u2060"
_DEUX_POINTS = re.compile(r":(?=\S)")
_WWW = re.compile(r"(?i)\b(www)\.")
# En début de texte : titre, citation, liste, ligne de séparation.
_DEBUT = re.compile(r"^([#>+\-=])|^(\d+)([.)])")
MANQUANT = "–"
AUCUNE_DONNEE = "Aucune donnée"
# Décimales montrées et exportées par unité (les autres : à l'unité), voir `decimales`.
PRECISIONS = {"%": 1, "ETP": 2}
MOIS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def texte_brut(texte: str) -> str:
    """Le texte tel qu'il a été saisi, prêt pour `st.markdown`, `st.caption`, `st.info`… : un
    nom de fichier, un commentaire, un libellé d'événement ou un nom affiché vient d'une
    personne, et `[lien](http://…)` ou `![](…)` ne doit jamais y devenir un lien ou une image,
    ni `**` du gras. La seule fonction d'échappement de l'application : à appeler sur chaque
    chaîne fournie par un utilisateur avant de la mêler à du Markdown. Les retours à la ligne
    deviennent des espaces (un saut de ligne ouvrirait un titre, une liste ou une citation) ;
    un gluon invisible suit `:` et précède `@` et le point de `www.` (voir `GLUON`)."""
    une_ligne = " ".join(str(texte).split("\n")).replace("\r", " ").lstrip()
    echappe = _EN_LIGNE.sub(r"\\\1", une_ligne).replace("@", f"{GLUON}@")
    echappe = _WWW.sub(rf"\1{GLUON}.", _DEUX_POINTS.sub(f":{GLUON}", echappe))
    return _DEBUT.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", echappe, count=1)


def _manquant(x: float | int | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def nombre(x: float | int | None, decimales: int = 0) -> str:
    """`12345.6` → `12 346` ; `-1234.5, 1` → `-1 234,5`."""
    if _manquant(x):
        return MANQUANT
    assert x is not None
    texte = f"{abs(x):,.{decimales}f}".replace(",", ESPACE_FINE).replace(".", ",")
    return ("-" if x < 0 and texte.strip("0,\u202f") else "") + texte


def pourcentage(x: float | None, decimales: int = 1) -> str:
    """Un taux déjà exprimé en pour cent : `45.2` → `45,2 %`."""
    return MANQUANT if _manquant(x) else f"{nombre(x, decimales)}{ESPACE_FINE}%"


def etp(x: float | None) -> str:
    """`1.4` → `1,4 ETP` (sans décimale inutile : `2` → `2 ETP`)."""
    if _manquant(x):
        return MANQUANT
    assert x is not None
    decimales = 0 if float(x).is_integer() else len(f"{x:g}".split(".")[1])
    return f"{nombre(x, decimales)}{ESPACE_FINE}ETP"


def euros(x: float | None) -> str:
    """Montant lisible : `15_000_000` → `15 M€`, `24_000` → `24 000 €`."""
    if _manquant(x):
        return MANQUANT
    assert x is not None
    if abs(x) >= 1_000_000:
        millions = x / 1_000_000
        return f"{nombre(millions, 0 if millions.is_integer() else 1)}{ESPACE_FINE}M€"
    return f"{nombre(x)}{ESPACE_FINE}€"


def valeur(x: float | None, unite: str) -> str:
    """Une valeur d'indicateur selon son unité, arrondie à la précision de l'unité (`arrondi`) :
    l'écran montre le nombre que portent les exports, ni plus ni moins précis."""
    x = arrondi(x, unite)
    if unite == "%":
        return pourcentage(x)
    if unite == "€":
        return euros(x)
    if unite == "ETP":
        return etp(x)
    return nombre(x)


def periode(code: str | None) -> str:
    """`2019-06` → « juin 2019 », `2019-T2` → « 2e trimestre 2019 », `2019` → « année 2019 »."""
    if not code:
        return MANQUANT
    p = periodes.parse(code)
    rang = (p.debut.mois - 1) // p.periodicite.mois + 1
    ordinal = "1er" if rang == 1 else f"{rang}e"
    return {
        periodes.Periodicite.MENSUELLE: f"{MOIS[p.debut.mois - 1]} {p.debut.annee}",
        periodes.Periodicite.TRIMESTRIELLE: f"{ordinal} trimestre {p.debut.annee}",
        periodes.Periodicite.SEMESTRIELLE: f"{ordinal} semestre {p.debut.annee}",
        periodes.Periodicite.ANNUELLE: f"année {p.debut.annee}",
    }[p.periodicite]


Preposition = Literal["de", "en", "depuis"]
_DEVANT = {  # préposition → (mois, trimestre ou semestre, année)
    "de": ("de {}", "du {}", "de l'{}"),
    "en": ("en {}", "au cours du {}", "en {annee}"),
    "depuis": ("depuis {}", "depuis le {}", "depuis {annee}"),
}


def periode_precedee(code: str, preposition: Preposition = "de") -> str:
    """La période dans une phrase, la préposition accordée à sa périodicité.

    « de juin 2019 », « d'avril 2019 », « du 2e trimestre 2019 », « du 1er semestre 2019 »,
    « de l'année 2018 » ; « en juin 2019 », « au cours du 2e trimestre 2019 », « en 2018 » ;
    « depuis juin 2019 », « depuis le 2e trimestre 2019 », « depuis 2018 ». Une seule règle
    pour l'écran, les diapositives du comité et les exports : « au » devant un mois ou une
    année (« données au juin 2019 ») est fautif, et devant un trimestre il se confond avec une
    date d'arrêté (« données au 30 juin »).
    """
    p = periodes.parse(code)
    mois, partie, annee = _DEVANT[preposition]
    texte = periode(code)
    if p.periodicite is periodes.Periodicite.MENSUELLE:
        if preposition == "de" and texte[0] in "ao":  # avril, août, octobre
            return f"d'{texte}"
        return mois.format(texte)
    if p.periodicite is periodes.Periodicite.ANNUELLE:
        return annee.format(texte, annee=p.debut.annee)
    return partie.format(texte)


def donnees_de(code: str | None, *, majuscule: bool = True) -> str:
    """« Données de juin 2019 », « Données du 2e trimestre 2019 » ; sans période, « Aucune
    donnée » (jamais « Données au non renseigné »). `majuscule=False` : en milieu de phrase."""
    texte = f"Données {periode_precedee(code)}" if code else AUCUNE_DONNEE
    return texte if majuscule else texte[0].lower() + texte[1:]


def date_relative(quand: datetime, maintenant: datetime | None = None) -> str:
    """« à l'instant », « il y a 5 minutes », « hier », « il y a 3 jours », sinon la date."""
    maintenant = maintenant or datetime.now(quand.tzinfo)
    secondes = (maintenant - quand).total_seconds()
    if secondes < 60:
        return "à l'instant"
    if secondes < 3600:
        minutes = int(secondes // 60)
        return f"il y a {minutes} minute{'s' * (minutes > 1)}"
    if secondes < 86_400:
        heures = int(secondes // 3600)
        return f"il y a {heures} heure{'s' * (heures > 1)}"
    jours = (maintenant.date() - quand.date()).days
    if jours == 1:
        return "hier"
    if jours < 7:
        return f"il y a {jours} jours"
    return f"le {quand.day} {MOIS[quand.month - 1]} {quand.year}"


def date_longue(iso: str) -> str:
    """`2019-07-03T12:05:00+00:00` → « 3 juillet 2019 à 14 h 05 » (heure de Paris : celle
    des lecteurs d'une édition, quel que soit le fuseau du serveur)."""
    quand = datetime.fromisoformat(iso)
    if quand.tzinfo is not None:
        quand = quand.astimezone(ZoneInfo("Europe/Paris"))
    jour = "1er" if quand.day == 1 else str(quand.day)
    return f"{jour} {MOIS[quand.month - 1]} {quand.year} à {quand.hour} h {quand.minute:02d}"


def manquant(x: object) -> bool:
    """Valeur absente : None, NA de pandas ou NaN (les cadres mélangent les trois)."""
    return x is None or x is pd.NA or (isinstance(x, float) and x != x)


def texte_ou_vide(x: object) -> str:
    """Le texte d'une cellule, ou une chaîne vide si elle est absente (jamais « nan »)."""
    return "" if manquant(x) else str(x)


def decimales(unite: str) -> int:
    """La précision d'une unité, la même à l'écran et dans les exports : un taux au dixième de
    point (45,2 %), des ETP au centième (0,15 ETP de la convention MDE), des euros et des
    comptes (personnes, contrats…) à l'unité."""
    return PRECISIONS.get(unite, 0)


def arrondi(x: float | None, unite: str) -> float | None:
    """Une valeur arrondie à la précision de son unité (`decimales`), comme elle s'affiche et
    comme l'écrivent les exports : 8 333,33 retours à l'emploi attendus valent 8 333,
    77,279 % vaut 77,3 %. Arrondi commercial (9 332,5 → 9 333, 1 866,5 → 1 867) : le `round`
    de Python arrondit au pair (→ 9 332), et l'écran et l'export diraient deux chiffres."""
    return arrondi_decimales(x, decimales(unite))


def arrondi_decimales(x: float | None, decimales: int) -> float | None:
    """`x` arrondi à `decimales` chiffres après la virgule, arrondi commercial (voir `arrondi`)."""
    if manquant(x) or not math.isfinite(float(x)):  # type: ignore[arg-type]
        return None if manquant(x) else x
    assert x is not None
    pas = Decimal(1).scaleb(-decimales)
    return float(Decimal(repr(float(x))).quantize(pas, rounding=ROUND_HALF_UP))


def valeur_arrondie(x: float | None, unite: str) -> str:
    """Une valeur (attendue) au format de son unité, arrondie comme partout (`arrondi`) : une
    valeur attendue de 8 333,3 retours à l'emploi s'affiche 8 333."""
    return valeur(x, unite)
