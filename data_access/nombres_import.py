"""Lecture d'un nombre importé : ce qu'une personne a voulu écrire, ou un refus qui dit pourquoi.

Un tableur français écrit `1 234,5` ; un export anglais `1,234.5`, allemand `1.234,5`, suisse
`1'234.5`. Lire `1,234` contrôles comme 1,234 ou `12,500` € comme 12,5 range un chiffre faux sans
que personne le voie : ici, un séparateur des milliers autre que l'espace est refusé, un compte
doit être entier, et un nombre dont les deux lectures sont possibles pour son unité est refusé
avec les deux lectures écrites en chiffres et en lettres. Les nombres non finis, démesurés
(bornes par nature dans `config/import.toml`, section `[nombres]`) ou plus précis qu'un tableur
(15 chiffres significatifs) sont refusés aussi. Sans base de données ni pandas.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from data_access.fichiers_import import BornesNombre, ConfigImport

_NOMBRE = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_ESPACES = re.compile(r"[ \u00a0\u202f]")
_AMBIGU = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}")
_ENTIER_SIMPLE = re.compile(r"\d{1,15}")
_NON_FINIS = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan", "+nan", "-nan"}
_APOSTROPHES = re.compile(r"\d['’]\d")
_ESPACE_FINE = "\u00a0"


class NombreRefuse(ValueError):
    """Le texte n'est pas un nombre acceptable ; `args[0]` dit pourquoi, en français."""


class NonNumerique(NombreRefuse):
    """Le texte n'est pas un nombre du tout (« douze ») : l'appelant nomme la colonne."""


def en_chiffres(x: float | int | Decimal) -> str:
    """`12 500`, `12,5`, `1 234,567` : un nombre écrit à la française, sans zéros inutiles."""
    texte = format(Decimal(str(x)).normalize(), "f")
    entier, _, decimales = texte.partition(".")
    signe = "-" if entier.startswith("-") else ""
    groupes = f"{int(entier.lstrip('-')):_}".replace("_", _ESPACE_FINE)
    return signe + groupes + ("," + decimales if decimales else "")


_UNITES = ("zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
           "quinze seize dix-sept dix-huit dix-neuf").split()  # fmt: skip
_DIZAINES = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _moins_de_cent(n: int) -> str:
    if n < 20:
        return _UNITES[n]
    dizaine, unite = divmod(n, 10)
    if dizaine in (7, 9):  # soixante-dix…, quatre-vingt-dix…
        base = "soixante" if dizaine == 7 else "quatre-vingt"
        et = " et " if n == 71 else "-"
        return f"{base}{et}{_UNITES[10 + unite]}"
    if dizaine == 8:
        return "quatre-vingts" if unite == 0 else f"quatre-vingt-{_UNITES[unite]}"
    if unite == 0:
        return _DIZAINES[dizaine]
    return f"{_DIZAINES[dizaine]}{' et ' if unite == 1 else '-'}{_UNITES[unite]}"


def _moins_de_mille(n: int, final: bool) -> str:
    """`final` : rien ne suit (« deux cents » mais « deux cent mille »)."""
    centaines, reste = divmod(n, 100)
    if centaines == 0:
        return _moins_de_cent(reste)
    tete = "cent" if centaines == 1 else f"{_UNITES[centaines]} cent"
    if reste == 0:
        return tete + ("s" if centaines > 1 and final else "")
    return f"{tete} {_moins_de_cent(reste)}"


def en_lettres_entier(n: int) -> str:
    """Un entier de 0 à 999 999 999 999 en toutes lettres : 12500 → « douze mille cinq cents »."""
    if n == 0:
        return "zéro"
    morceaux: list[str] = []
    for valeur, nom in ((10**9, "milliard"), (10**6, "million")):
        compte, n = divmod(n, valeur)
        if compte:
            morceaux.append(f"{en_lettres_entier(compte)} {nom}{'s' if compte > 1 else ''}")
    milliers, n = divmod(n, 1000)
    if milliers:
        morceaux.append("mille" if milliers == 1 else f"{_moins_de_mille(milliers, False)} mille")
    if n:
        morceaux.append(_moins_de_mille(n, True))
    return " ".join(morceaux)


def en_lettres(x: Decimal) -> str:
    """Un nombre positif en toutes lettres : 12,5 → « douze virgule cinq »."""
    texte = format(x.normalize(), "f")
    entier, _, decimales = texte.partition(".")
    lettres = en_lettres_entier(int(entier))
    if not decimales:
        return lettres
    zeros = len(decimales) - len(decimales.lstrip("0"))
    apres = " ".join(["zéro"] * zeros + [en_lettres_entier(int(decimales))])
    return f"{lettres} virgule {apres}"


def _cite(texte: str) -> str:
    return f"« {texte if len(texte) <= 40 else texte[:39] + '…'} »"


def _convention(texte: str, compact: str) -> str | None:
    """Un séparateur des milliers d'une autre convention que l'espace française : le refus."""
    virgules, points = compact.count(","), compact.count(".")
    if _APOSTROPHES.search(compact):
        convention, sep = "suisse", "'"
    elif virgules and points:
        decimal = "," if compact.rfind(",") > compact.rfind(".") else "."
        convention, sep = ("allemande", ".") if decimal == "," else ("anglaise", ",")
    elif virgules > 1:
        convention, sep = "anglaise", ","
    elif points > 1:
        convention, sep = "allemande", "."
    else:
        return None
    chiffres = re.sub(r"[^0-9.,+-]", "", compact.replace("'", "").replace("’", ""))
    if convention == "anglaise":
        lu = chiffres.replace(",", "")
    else:
        lu = chiffres.replace(".", "").replace(",", ".")
    try:
        nombre = en_chiffres(Decimal(lu))
        lecture = f"s'il s'agit de {nombre}, écrivez {nombre.replace(_ESPACE_FINE, '')}"
    except InvalidOperation:
        lecture = "écrivez le nombre sans séparateur des milliers"
    return (f"séparateur des milliers « {sep} » (convention {convention}) non accepté dans "
            f"{_cite(texte)} : {lecture} (milliers séparés par une espace ou rien, décimales "
            "par une virgule)")  # fmt: skip


def _quoi(nature: str, unite: str) -> str:
    if nature in {"flux", "stock"}:
        return f"un effectif ({unite or nature})"
    if nature == "montant":
        return f"un montant ({unite or '€'})"
    if nature == "taux":
        return f"un taux ({unite})" if unite else "un taux"
    return f"une valeur ({nature})"


def _admissible(x: Decimal, bornes: BornesNombre | None, pourcent: bool) -> bool:
    if bornes is not None:
        if bornes.entier and x != x.to_integral_value():
            return False
        if bornes.minimum is not None and x < Decimal(str(bornes.minimum)):
            return False
        if bornes.plafond is not None and x >= Decimal(str(bornes.plafond)):
            return False
    return not (pourcent and x > 100)


def lire_nombre(
    texte: str,
    *,
    config: ConfigImport,
    nature: str | None,
    unite: str = "",
    type_nombre: bool = False,
    pourcent: bool = False,
) -> float | None:
    """Le nombre écrit dans `texte` (None si vide) ; lève NombreRefuse avec la raison.

    `nature` et `unite` sont ceux de l'indicateur (None : indicateur inconnu, seule la forme est
    contrôlée) ; `type_nombre` : la cellule était un nombre dans un classeur (pas de séparateur à
    interpréter) ; `pourcent` : un taux en % (une lecture au-delà de 100 n'est pas plausible).
    """
    compact = _ESPACES.sub("", texte)
    if not compact:
        return None
    if _ENTIER_SIMPLE.fullmatch(compact) and _dans_les_bornes(int(compact), config, nature):
        return float(compact)  # le cas courant (un effectif), sans Decimal : 100 000 lignes
    if compact.lower() in _NON_FINIS:
        raise NombreRefuse(f"nombre non fini {_cite(texte)} : écrivez un nombre ordinaire")
    if not type_nombre and (refus := _convention(texte, compact)):
        raise NombreRefuse(refus)
    if not _NOMBRE.fullmatch(compact):
        raise NonNumerique(texte)
    d = Decimal(compact.replace(",", "."))
    if not math.isfinite(float(d)):
        raise NombreRefuse(f"nombre non fini {_cite(texte)} : il dépasse ce qu'un ordinateur "
                           "représente (environ 1,8 × 10^308)")  # fmt: skip
    _verifier_precision(texte, d, config)
    if nature is None:
        return float(d)
    bornes = config.bornes.get(nature)
    if not type_nombre and _AMBIGU.fullmatch(compact):
        _verifier_ambigu(texte, compact, d, bornes, pourcent, _quoi(nature, unite))
    if bornes is not None:
        _verifier_bornes(texte, d, bornes, nature, _quoi(nature, unite))
    return float(d)


def _dans_les_bornes(x: int, config: ConfigImport, nature: str | None) -> bool:
    """Vrai si l'entier `x` passe les bornes de sa nature (le taux en % est vu à part)."""
    bornes = config.bornes.get(nature) if nature else None
    if bornes is None:
        return True
    return (bornes.minimum is None or x >= bornes.minimum) and (
        bornes.plafond is None or x < bornes.plafond
    )


def _verifier_precision(texte: str, d: Decimal, config: ConfigImport) -> None:
    chiffres, exposant = d.normalize().as_tuple()[1:]
    assert isinstance(exposant, int)  # d est fini
    if d != 0 and len(chiffres) > config.chiffres_significatifs_max:
        raise NombreRefuse(
            f"{_cite(texte)} a {len(chiffres)} chiffres significatifs : "
            f"{config.chiffres_significatifs_max} au plus (un tableur n'en garde pas davantage ; "
            "réglage chiffres_significatifs_max de config/import.toml)"
        )
    if d != 0 and -exposant > config.decimales_max:
        raise NombreRefuse(
            f"{_cite(texte)} a {-exposant} décimales : {config.decimales_max} au plus (réglage "
            "decimales_max de config/import.toml)"
        )


def _verifier_ambigu(texte: str, compact: str, d: Decimal, bornes: BornesNombre | None,
                     pourcent: bool, quoi: str) -> None:  # fmt: skip
    """`12,500` : 12,5 ou 12 500 ? Refusé si la lecture « milliers » est plausible pour l'unité."""
    milliers = Decimal(re.sub(r"[.,]", "", compact))
    signe = "-" if d < 0 else ""
    decimal_lu = f"{signe}{en_chiffres(abs(d))} ({signe and 'moins '}{en_lettres(abs(d))})"
    milliers_lu = f"{signe}{en_chiffres(abs(milliers))} ({signe and 'moins '}" \
                  f"{en_lettres(abs(milliers))})"  # fmt: skip
    sep = compact[-4]
    if bornes is not None and bornes.entier and d != d.to_integral_value():
        raise NombreRefuse(
            f"{quoi} est un nombre entier : {_cite(texte)} se lit {decimal_lu}, avec une virgule "
            f"décimale ; s'il s'agit de {milliers_lu}, écrivez {milliers} sans séparateur"
        )
    if _admissible(abs(milliers), bornes, pourcent):
        nom_sep = "la virgule peut être décimale" if sep == "," else "le point peut être décimal"
        raise NombreRefuse(
            f"séparateur ambigu dans {_cite(texte)} : {nom_sep}, {decimal_lu}, ou séparer les "
            f"milliers, {milliers_lu} ; écrivez {en_chiffres(d)} ou {milliers} sans séparateur "
            "des milliers"
        )


def _verifier_bornes(texte: str, d: Decimal, bornes: BornesNombre, nature: str,
                     quoi: str) -> None:  # fmt: skip
    if bornes.entier and d != d.to_integral_value():
        raise NombreRefuse(f"{quoi} est un nombre entier : lu {_cite(texte)}")
    if bornes.minimum is not None and d < Decimal(str(bornes.minimum)):
        if bornes.minimum == 0:
            raise NombreRefuse(f"nombre négatif ({en_chiffres(d)}) : {quoi} ne peut pas être "
                               "négatif")  # fmt: skip
        raise NombreRefuse(f"{_cite(texte)} trop petit pour {quoi} : au moins "
                           f"{en_chiffres(bornes.minimum)} (réglage minimum de [nombres.{nature}] "
                           "dans config/import.toml)")  # fmt: skip
    if bornes.plafond is not None and d >= Decimal(str(bornes.plafond)):
        raise NombreRefuse(f"{_cite(texte)} trop grand pour {quoi} : moins de "
                           f"{en_chiffres(bornes.plafond)} attendu (réglage plafond de "
                           f"[nombres.{nature}] dans config/import.toml)")  # fmt: skip
