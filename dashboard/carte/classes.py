"""Classes d'une carte choroplèthe : bornes, couleurs et entrées de légende.

Quantiles par défaut : chaque couleur couvre à peu près autant de zones. Les 18 zones du
Bas-Rhin sont très inégales (Strasbourg pèse cinq cantons) ; en intervalles égaux, une couleur
irait à Strasbourg et une autre à presque tout le reste. Les intervalles égaux restent une option.

Conventions, pour qu'une légende se lise sans ambiguïté :
- classes fermées à gauche, `[b0 ; b1[`, la dernière fermée des deux côtés : « de 25 à moins
  de 31 », …, « de 45 à 58 » ;
- valeurs toutes entières (des effectifs) : les bornes intérieures sont arrondies à l'entier
  supérieur, ce qui ne change l'affectation d'aucune zone et évite « 27,5 personnes » ;
- moins de valeurs distinctes que de classes : une classe par valeur ;
- mesure divergente (écart, évolution) : bornes symétriques autour de zéro, la moitié des
  classes de chaque côté, pour que la couleur dise d'abord « au-dessus » ou « en dessous ».

Palettes ColorBrewer (Cynthia Brewer, Penn State, marquées « colorblind safe ») et viridis
(Smith et van der Walt), écrites ici pour ne rien charger d'un CDN. Aucune ne contient de gris :
le gris est réservé aux zones non renseignées ou sous secret statistique, toujours hachurées.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class Methode(StrEnum):
    """Méthode de discrétisation, dans les mots de `config/carte.toml`."""

    QUANTILES = "quantiles"
    INTERVALLES_EGAUX = "intervalles_egaux"


# Du plus clair (faibles valeurs) au plus foncé (fortes valeurs).
PALETTES_SEQUENTIELLES: dict[str, tuple[str, ...]] = {
    "YlGnBu": ("#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4",
               "#1d91c0", "#225ea8", "#253494", "#081d58"),
    # viridis pris à rebours : jaune pour les faibles valeurs, violet foncé pour les fortes.
    "viridis": ("#fde725", "#b5de2b", "#6ece58", "#35b779", "#1f9e89",
                "#26828e", "#31688e", "#3e4989", "#482878", "#440154"),
}  # fmt: skip
# Onze couleurs : cinq sous zéro (foncé → clair), un neutre, cinq au-dessus (clair → foncé).
PALETTES_DIVERGENTES: dict[str, tuple[str, ...]] = {
    "PuOr": ("#7f3b08", "#b35806", "#e08214", "#fdb863", "#fee0b6", "#f7f7f7",
             "#d8daeb", "#b2abd2", "#8073ac", "#542788", "#2d004b"),
    "BrBG": ("#543005", "#8c510a", "#bf812d", "#dfc27d", "#f6e8c3", "#f5f5f5",
             "#c7eae5", "#80cdc1", "#35978f", "#01665e", "#003c30"),
}  # fmt: skip
MAX_CLASSES = 7  # séquentielles : la couleur la plus claire est écartée (trop proche du fond)
MAX_CLASSES_DIVERGENTES = 8


@dataclass(frozen=True)
class Classes:
    """Bornes croissantes (K + 1) et couleurs (K) ; vides quand aucune valeur n'est connue."""

    bornes: tuple[float, ...]
    couleurs: tuple[str, ...]
    discretes: bool = False  # une classe par valeur distincte : bornes [v0, v1, …, vn, vn]

    def index(self, x: float | None) -> int | None:
        """Numéro de classe de `x` (None pour une valeur manquante ou sans classe)."""
        if x is None or math.isnan(x) or not self.couleurs:
            return None
        i = bisect.bisect_right(self.bornes, x) - 1
        return min(max(i, 0), len(self.couleurs) - 1)

    def couleur(self, x: float | None) -> str | None:
        """Couleur de remplissage de `x`, None si elle n'a pas de classe."""
        i = self.index(x)
        return None if i is None else self.couleurs[i]


@dataclass(frozen=True)
class EntreeLegende:
    """Une ligne de légende : ce qu'on lit, la couleur ou le motif, le nombre de zones."""

    libelle: str
    couleur: str
    motif: str  # « plein », « non_renseigne » ou « secret »
    nb_zones: int


def _propres(valeurs: Iterable[float | None]) -> np.ndarray:
    tableau = np.asarray([np.nan if v is None else v for v in valeurs], dtype="float64")
    return tableau[~np.isnan(tableau)]


def _entieres(valeurs: np.ndarray) -> bool:
    return bool(np.all(np.mod(valeurs, 1) == 0))


def _arrondir_interieures(bornes: np.ndarray, valeurs: np.ndarray) -> list[float]:
    """Bornes uniques ; intérieures à l'entier supérieur quand toutes les valeurs sont entières."""
    if _entieres(valeurs) and len(bornes) > 2:
        bornes = np.concatenate([bornes[:1], np.ceil(bornes[1:-1]), bornes[-1:]])
    return [float(b) for b in np.unique(bornes)]


def bornes_quantiles(valeurs: np.ndarray, nb_classes: int) -> list[float]:
    """Quantiles aux rangs 0, 1/k, …, 1 ; les bornes égales (ex aequo) fusionnent leurs classes."""
    bornes = np.quantile(valeurs, np.linspace(0, 1, nb_classes + 1))
    return _arrondir_interieures(bornes, valeurs)


def bornes_egales(valeurs: np.ndarray, nb_classes: int) -> list[float]:
    """Intervalles de même largeur entre le minimum et le maximum."""
    bornes = np.linspace(valeurs.min(), valeurs.max(), nb_classes + 1)
    return _arrondir_interieures(bornes, valeurs)


def bornes_divergentes(valeurs: np.ndarray, nb_classes: int, methode: Methode) -> list[float]:
    """Bornes symétriques autour de zéro, zéro compris : la moitié des classes de chaque côté."""
    ecarts = np.abs(valeurs)
    maximum = float(ecarts.max())
    if maximum == 0:
        return [0.0, 0.0]
    demi = max(nb_classes // 2, 1)
    if methode is Methode.QUANTILES:
        positives = np.quantile(ecarts, np.linspace(0, 1, demi + 1))[1:-1]
    else:
        positives = np.linspace(0, maximum, demi + 1)[1:-1]
    cote = np.unique(np.concatenate([[0.0], positives, [maximum]]))
    return [float(b) for b in np.unique(np.concatenate([-cote, cote]))]


def _choisir(couleurs: tuple[str, ...], nb: int) -> list[str]:
    """`nb` couleurs réparties dans `couleurs`, dans l'ordre ; une seule : celle du milieu."""
    if nb == 1:
        return [couleurs[(len(couleurs) - 1) // 2]]
    return [couleurs[int(round(i))] for i in np.linspace(0, len(couleurs) - 1, nb)]


def couleurs_sequentielles(palette: str, nb_classes: int) -> list[str]:
    """Couleurs d'une palette séquentielle, sans la plus claire (trop proche du fond de carte)."""
    return _choisir(PALETTES_SEQUENTIELLES[palette][1:], nb_classes)


def couleurs_divergentes(palette: str, nb_classes: int) -> list[str]:
    """Classes négatives du côté gauche de la palette, positives du côté droit ; 1 : le neutre."""
    couleurs = PALETTES_DIVERGENTES[palette]
    milieu = len(couleurs) // 2
    if nb_classes == 1:
        return [couleurs[milieu]]
    demi = nb_classes // 2
    return _choisir(couleurs[:milieu], demi) + _choisir(couleurs[milieu + 1 :], demi)


def build_classes(
    valeurs: Iterable[float | None],
    *,
    nb_classes: int,
    methode: Methode,
    palette: str,
    divergente: bool = False,
) -> Classes:
    """Bornes et couleurs pour les valeurs connues (les manquantes sont ignorées)."""
    propres = _propres(valeurs)
    if propres.size == 0:
        return Classes((), ())
    if divergente:
        bornes = bornes_divergentes(propres, nb_classes, methode)
        return Classes(tuple(bornes), tuple(couleurs_divergentes(palette, len(bornes) - 1)))
    distinctes = [float(v) for v in np.unique(propres)]
    if len(distinctes) <= nb_classes:
        bornes = [*distinctes, distinctes[-1]]
        couleurs = couleurs_sequentielles(palette, len(distinctes))
        return Classes(tuple(bornes), tuple(couleurs), discretes=True)
    if methode is Methode.QUANTILES:
        bornes = bornes_quantiles(propres, nb_classes)
    else:
        bornes = bornes_egales(propres, nb_classes)
    return Classes(tuple(bornes), tuple(couleurs_sequentielles(palette, len(bornes) - 1)))


def decimales_lisibles(
    bornes: Iterable[float], texte: Callable[[float, int], str], minimum: int = 0
) -> int:
    """Le moins de décimales qui garde des bornes distinctes à l'écrit (`minimum` au moins).

    Une borne non entière a au moins une décimale : 3,5 ne s'écrit pas « 4 ».
    """
    distinctes = sorted(set(bornes))
    if not all(float(b).is_integer() for b in distinctes):
        minimum = max(minimum, 1)
    for decimales in range(minimum, minimum + 4):
        if len({texte(b, decimales) for b in distinctes}) == len(distinctes):
            return decimales
    return minimum + 3


def libelles_classes(
    classes: Classes, texte: Callable[[float, int], str], minimum: int = 0
) -> list[str]:
    """« de 25 à moins de 31 », …, « de 45 à 58 » ; une classe d'une seule valeur : la valeur."""
    d = decimales_lisibles(classes.bornes, texte, minimum)
    libelles = []
    for i in range(len(classes.couleurs)):
        bas, haut = classes.bornes[i], classes.bornes[i + 1]
        if classes.discretes or bas == haut:
            libelles.append(texte(bas, d))
        elif i == len(classes.couleurs) - 1:
            libelles.append(f"de {texte(bas, d)} à {texte(haut, d)}")
        else:
            libelles.append(f"de {texte(bas, d)} à moins de {texte(haut, d)}")
    return libelles


def build_entrees(
    classes: Classes,
    valeurs: Iterable[float | None],
    texte: Callable[[float, int], str],
    minimum: int = 0,
) -> list[EntreeLegende]:
    """Une entrée par classe, avec le nombre de zones qu'elle colore."""
    index = [classes.index(v) for v in _propres(valeurs)]
    return [
        EntreeLegende(libelle, couleur, "plein", index.count(i))
        for i, (libelle, couleur) in enumerate(
            zip(libelles_classes(classes, texte, minimum), classes.couleurs, strict=True)
        )
    ]
