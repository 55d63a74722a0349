"""La barre de progression d'un objectif (OS, OO, axe de la convention MDE) : la part de ses
indicateurs dans chaque statut en une barre empilée, les comptes en mots, et, là où ses
indicateurs chiffrés partagent une unité et une cible, la progression vers la cible additionnée.

Pourquoi ici et en HTML : la page Objectifs et les diapositives du comité la montrent, et un
graphique Altair par objectif (une vingtaine sur la page) coûterait un composant chacun ; un
bloc HTML construit d'avance ne coûte rien à chaque relance. Chaque segment porte la forme de son
statut (`apparence`), jamais la couleur seule, et le texte sous la barre dit tous les comptes :
la barre elle-même est cachée aux lecteurs d'écran, qui lisent ce texte.

Module pur (ni Streamlit, ni base).
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dashboard import apparence, formats
from dashboard.formats import manquant, texte_ou_vide

# Un indicateur sans cible n'a pas de statut : il compte dans la barre sous ce mot, avec un
# tiret pour forme (il n'est ni en retard ni dans la trajectoire).
SANS_CIBLE = "sans cible"
SANS_TRAJECTOIRE = "sans trajectoire"  # le même cas, dans le mot des diapositives du comité
STYLE_SANS_CIBLE = apparence.StyleStatut("\u2013", "", "#767676", "#f4f4f4", "gray")
# L'ordre de lecture : ce qui demande une action d'abord.
ORDRE = (
    apparence.EN_RETARD, apparence.DANS_LA_TRAJECTOIRE, apparence.EN_AVANCE,
    apparence.NON_RENSEIGNE, apparence.NON_EVALUABLE, apparence.REPERE, SANS_CIBLE,
    SANS_TRAJECTOIRE,
)  # fmt: skip
_PLURIELS = {apparence.NON_RENSEIGNE: "non renseignés", apparence.NON_EVALUABLE: "non évaluables",
             apparence.REPERE: "repères"}  # fmt: skip
# Natures dont la somme a un sens : un taux ne s'additionne pas, un jalon n'a pas de quantité.
NATURES_ADDITIVES = frozenset({"flux", "stock", "montant"})


def style(statut: str) -> apparence.StyleStatut:
    """Le style d'un statut de la barre (`apparence`), ou celui d'un indicateur sans cible."""
    return STYLE_SANS_CIBLE if statut in (SANS_CIBLE, SANS_TRAJECTOIRE) else apparence.style(statut)


@dataclass(frozen=True)
class Segment:
    """Un statut de la barre : combien d'indicateurs, quelle part de la barre."""

    statut: str
    nombre: int
    part: float

    @property
    def mots(self) -> str:
        """« 2 en retard », « 3 non renseignés »."""
        mot = _PLURIELS.get(self.statut, self.statut) if self.nombre > 1 else self.statut
        return f"{self.nombre} {mot}"


@dataclass(frozen=True)
class CibleAdditionnee:
    """La progression d'un objectif vers la somme des cibles de ses indicateurs chiffrés."""

    nombre: int
    unite: str
    periode: str
    reel: float
    cible: float
    attendu: float | None

    @property
    def part(self) -> float:
        return max(0.0, min(1.0, self.reel / self.cible))

    @property
    def texte(self) -> str:
        """« Cibles additionnées de 2 indicateurs (2017-2019) : réalisé 5 000 sur 12 000
        personnes (41,7 %) · attendu à la date : 6 000 »."""

        def nombre(x: float) -> str:
            return formats.valeur_arrondie(x, self.unite)

        attendu = "" if self.attendu is None else f" · attendu à la date : {nombre(self.attendu)}"
        cible = nombre(self.cible)
        unite = "" if not self.unite or cible.endswith(self.unite) else f" {self.unite}"
        return (
            f"Cibles additionnées de {self.nombre} indicateurs ({self.periode}) : réalisé "
            f"{nombre(self.reel)} sur {cible}{unite} "
            f"({formats.pourcentage(self.reel / self.cible * 100, 1)}){attendu}"
        )


@dataclass(frozen=True)
class Barre:
    """La barre d'un objectif : ses segments dans l'ordre `ORDRE`, le nombre d'indicateurs
    comptés, ceux laissés hors du compte (non déclinés au territoire) et sa cible additionnée."""

    code: str
    segments: tuple[Segment, ...]
    total: int
    hors_compte: int = 0
    cible: CibleAdditionnee | None = None

    def nombre(self, statut: str) -> int:
        return next((s.nombre for s in self.segments if s.statut == statut), 0)

    @property
    def texte(self) -> str:
        """« 6 indicateurs : 2 en retard, 3 dans la trajectoire, 1 non renseigné »."""
        if self.total == 0:
            texte = "aucun indicateur suivi à ce niveau"
        else:
            detail = ", ".join(s.mots for s in self.segments)
            texte = f"{self.total} indicateur{'s' * (self.total > 1)} : {detail}"
        if self.hors_compte:
            texte += f" (et {self.hors_compte} non décliné{'s' * (self.hors_compte > 1)})"
        return texte


def build_barre(code: str, statuts: Iterable[str], *, hors_compte: int = 0,
                cible: CibleAdditionnee | None = None) -> Barre:  # fmt: skip
    """La barre de l'objectif `code` à partir du statut de chacun de ses indicateurs (un mot de
    `ORDRE` ; tout autre mot compte « non renseigné »)."""
    comptes = Counter(s if s in ORDRE else apparence.NON_RENSEIGNE for s in statuts)
    total = sum(comptes.values())
    segments = tuple(Segment(s, comptes[s], comptes[s] / total) for s in ORDRE if comptes[s])
    return Barre(code, segments, total, hors_compte, cible)


def cible_additionnee(lignes: Iterable[Mapping[str, Any]]) -> CibleAdditionnee | None:
    """La somme des cibles des indicateurs chiffrés d'un objectif, s'ils la permettent.

    `lignes` : la cible principale de chaque indicateur jugé (colonnes de
    `progression.read_progressions`). Il faut au moins deux indicateurs, tous avec une cible
    comparable, la même unité, la même période de cible, la même nature, qui s'additionne, et un
    réalisé connu : sinon la somme mêlerait des choses différentes ou des trous, et rien n'est
    montré.
    """
    lignes = list(lignes)
    if len(lignes) < 2:
        return None
    unites = {texte_ou_vide(li["unite"]) for li in lignes}
    periodes = {texte_ou_vide(li["periode_cible"]) for li in lignes}
    natures = {texte_ou_vide(li["nature"]) for li in lignes}
    if {len(unites), len(periodes), len(natures)} != {1} or not all(map(_additive, lignes)):
        return None
    attendus = [li["attendu"] for li in lignes]
    cible = sum(float(li["cible"]) for li in lignes)
    if cible <= 0:
        return None
    return CibleAdditionnee(
        len(lignes), unites.pop(), periodes.pop(), sum(float(li["reel"]) for li in lignes), cible,
        None if any(manquant(a) for a in attendus) else sum(float(a) for a in attendus),
    )  # fmt: skip


def _additive(ligne: Mapping[str, Any]) -> bool:
    return (
        ligne["suivi"] == "cible"
        and bool(ligne["comparable"])
        and texte_ou_vide(ligne["nature"]) in NATURES_ADDITIVES
        and not manquant(ligne["cible"])
        and not manquant(ligne["reel"])
    )


def html_barre(barre: Barre, titre: str = "", classe: str = "") -> str:
    """La barre en HTML : segments proportionnels (forme du statut dessus, cachés aux lecteurs
    d'écran), puis le texte des comptes, et la cible additionnée s'il y en a une.

    `titre` précède les comptes (« OO2 · … ») ; `classe` : celle du texte (la taille des
    diapositives du comité) ; `data-code` nomme l'objectif pour les tests.
    """
    segments = "".join(_segment_html(s) for s in barre.segments)
    tete = f"<strong>{html.escape(titre)}</strong> · " if titre else ""
    morceaux = [
        f'<div class="barre-statuts" data-code="{html.escape(barre.code)}" '
        'style="margin:0.2rem 0 0.6rem 0">',
        '<div aria-hidden="true" style="display:flex;height:1.3rem;border:1px solid #999;'
        f'border-radius:3px;overflow:hidden">{segments}</div>',
        f'<p class="{classe}" style="margin:0.2rem 0 0 0">{tete}{html.escape(barre.texte)}</p>',
    ]
    if barre.cible is not None:
        morceaux.append(_cible_html(barre.cible))
    return "".join(morceaux) + "</div>"


def _segment_html(segment: Segment) -> str:
    s = style(segment.statut)
    largeur = f"{segment.part * 100:.2f}%"
    return (
        f'<div title="{html.escape(segment.mots)}" style="width:{largeur};background:{s.fond};'
        f"color:#000;display:flex;align-items:center;justify-content:center;overflow:hidden;"
        f'white-space:nowrap;font-size:0.8rem;border-right:1px solid #fff">'
        f"{s.forme}\u00a0{segment.nombre}</div>"
    )


def _cible_html(cible: CibleAdditionnee) -> str:
    """Une barre simple (réalisé sur cible additionnée), son texte dit les chiffres."""
    largeur = f"{cible.part * 100:.2f}%"
    return (
        '<div aria-hidden="true" style="height:0.5rem;background:#eee;border:1px solid #999;'
        f'border-radius:3px;margin-top:0.3rem"><div style="width:{largeur};height:100%;'
        'background:#555"></div></div>'
        f'<p class="cible-additionnee" style="margin:0.2rem 0 0 0">{html.escape(cible.texte)}</p>'
    )
