"""Ce que trace la courbe d'un indicateur, calculé une fois pour l'écran et pour le PDF.

Une courbe d'évolution a son étalon : la cible du plan et la trajectoire attendue quand
l'indicateur en a une, le statut au dernier point (forme, couleur et mot), les événements
datés numérotés, et l'échelle des ordonnées de `echelle`. Altair (`courbes.build_serie`) et
reportlab (`exports.en_pdf.dessin_courbe`) dessinent le même `Trace` : mêmes séries, mêmes
valeurs attendues, même axe, sur la page comme dans le PDF.

La trajectoire attendue n'est pas recalculée à part : chaque valeur vient de
`trajectoire.valeur_attendue`, la fonction qui juge le statut, au prorata des mois de la plage
de la cible (une ligne droite de 0, ou de la situation de départ, à la cible).

Module pur (ni Streamlit, ni Altair, ni base).
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass, replace

import pandas as pd

from dashboard import apparence, formats
from dashboard.formats import manquant, texte_ou_vide, valeur_arrondie
from dashboard.graphiques import annotations as graphiques_annotations
from dashboard.graphiques import echelle
from dashboard.modeles.synthese import libelle_statut
from dashboard.sources import lisible
from data_access import periodes, trajectoire

# Couleurs et tirets des séries, les mêmes à l'écran et dans le PDF : le réalisé en bleu nuit,
# chaque cible en gris (la deuxième d'une plage plus clair), sa trajectoire en tirets du même gris.
COULEUR_REALISE = "#1f4e79"
COULEURS_CIBLES = ("#444444", "#8c8c8c")
TIRETS_TRAJECTOIRE = (6.0, 4.0)
SANS_TRAJECTOIRE = frozenset({trajectoire.Statut.REPERE, trajectoire.Statut.NON_EVALUABLE})
COLONNES_POINTS = ["date", "mois", "y", "periode", "valeur", "cumul", "debut", "fin", "segment"]
COLONNES_ATTENDUS = ["mois", "date", "attendu"]


@functools.lru_cache(maxsize=4096)
def fin_de_mois(mois: str) -> pd.Timestamp:
    """Dernier jour du mois `AAAA-MM` : une valeur trimestrielle est placée à la fin de son
    trimestre, là où la trajectoire attendue la juge. En cache : une trajectoire en demande une
    par mois de sa plage, et un `Timestamp` ne change pas."""
    annee, numero = (int(x) for x in mois.split("-"))
    return pd.Timestamp(year=annee, month=numero, day=calendar.monthrange(annee, numero)[1])


@dataclass(frozen=True)
class CibleTracee:
    """Une cible tracée : son trait sur sa plage et, si elle est jugée, sa trajectoire.

    `attendus` : la valeur attendue à la fin de chaque mois, du mois qui précède la plage
    (part écoulée nulle) à son dernier mois (la cible) ; vide pour un repère, une cible non
    évaluable, ou un stock sans situation de départ (son attendu est la cible elle-même, déjà
    tracée). `nom_trajectoire` : le nom de la trajectoire dans la légende.
    """

    valeur: float
    plage: periodes.Plage
    libelle: str
    source: str
    attendus: pd.DataFrame
    repere: bool = False
    nom_trajectoire: str = "Trajectoire attendue"


@dataclass(frozen=True)
class Trace:
    """Une courbe prête à dessiner.

    `points` : colonnes `COLONNES_POINTS` (`y` : le cumul depuis le début de `plage` pour un
    flux à cible, sinon la valeur de la période). `statut` : le statut au dernier point (clé de
    `apparence`), vide sans cible jugée ; `statut_libelle` : « ▲ en avance ». `evenements` :
    ceux de l'étendue de la courbe, numérotés (`numero`), dans l'ordre de leur liste.
    `graduations` : l'axe des ordonnées (`echelle.axe_y`).
    """

    points: pd.DataFrame
    plage: periodes.Plage | None
    cibles: tuple[CibleTracee, ...]
    statut: str
    statut_libelle: str
    evenements: pd.DataFrame
    graduations: list[float]
    titre_y: str
    sous_titre: str

    @property
    def nom_serie(self) -> str:
        return "Réalisé (cumul)" if self.plage is not None else "Réalisé"

    @property
    def styles(self) -> list[tuple[str, str, tuple[float, ...]]]:
        """(nom, couleur, tirets) de chaque série de la légende, dans l'ordre : le réalisé,
        puis chaque cible et sa trajectoire ; tirets vides : trait plein."""
        styles: list[tuple[str, str, tuple[float, ...]]] = [(self.nom_serie, COULEUR_REALISE, ())]
        for rang, cible in enumerate(self.cibles):
            couleur = COULEURS_CIBLES[min(rang, len(COULEURS_CIBLES) - 1)]
            styles.append((cible.libelle, couleur, ()))
            if not cible.attendus.empty:
                styles.append((cible.nom_trajectoire, couleur, TIRETS_TRAJECTOIRE))
        return styles

    @property
    def series(self) -> list[str]:
        """Les noms des séries, dans l'ordre de la légende (une légende dès qu'il y en a deux)."""
        return [nom for nom, _, _ in self.styles]

    @property
    def statut_mot(self) -> str:
        """Le statut au dernier point en mots, sans sa forme (« en avance »)."""
        return self.statut_libelle.split(" ", 1)[-1]

    def tableau_cibles(self) -> pd.DataFrame:
        """Les cibles tracées pour `resumes.cibles` (`periode_cible`, `cible`, `statut`)."""
        return pd.DataFrame(
            {
                "periode_cible": [c.plage.code for c in self.cibles],
                "cible": [c.valeur for c in self.cibles],
                "statut": [
                    trajectoire.Statut.REPERE.value if c.repere else "" for c in self.cibles
                ],
            }
        )

    @property
    def domaine_y(self) -> tuple[float, float]:
        return echelle.domaine(self.graduations)


def _points(
    serie: pd.DataFrame,
    unite: str,
    plage: periodes.Plage | None,
    annotations: pd.DataFrame | None,
    depart: float,
) -> pd.DataFrame:
    """Les valeurs à tracer ; avec une plage de flux, le cumul depuis son début (`depart` : le
    cumul avant le premier point, quand la série commence après le début de la plage)."""
    propres = serie[serie["valeur"].notna()].sort_values("fin")
    if plage is not None:
        propres = propres[
            (propres["debut"] >= str(plage.debut)) & (propres["fin"] <= str(plage.fin))
        ]
    y = propres["valeur"].astype("float64")
    if plage is not None:
        y = y.cumsum() + depart
    fins = propres["fin"].astype(str)
    return pd.DataFrame(
        {
            "date": [fin_de_mois(f) for f in fins],
            "mois": fins.to_numpy(),
            "y": y.to_numpy(),
            "periode": [formats.periode(str(p)) for p in propres["periode"]],
            "valeur": [formats.valeur(float(v), unite) for v in propres["valeur"]],
            "cumul": [formats.valeur(float(v), unite) for v in y],
            "debut": propres["debut"].astype(str).to_numpy(),
            "fin": fins.to_numpy(),
            "segment": graphiques_annotations.segments(fins, annotations),
        },
        columns=COLONNES_POINTS,
    )


def cibles_tracees(cibles: pd.DataFrame | None, flux: bool) -> pd.DataFrame:
    """Les cibles à tracer : pour un flux cumulé, celles de la même plage que la première (10 000
    et 11 199 ensemble), sinon toutes (un stock a une cible par an)."""
    if cibles is None or cibles.empty:
        return pd.DataFrame(columns=["periode_cible", "cible", "valeur_reference", "source"])
    cibles = cibles[cibles["cible"].notna()].reset_index(drop=True)
    if flux and not cibles.empty:
        cibles = cibles[cibles["periode_cible"] == cibles.loc[0, "periode_cible"]]
    return cibles.drop_duplicates(subset=["periode_cible", "cible"])


def plage_du_cumul(cibles: pd.DataFrame | None, nature: str) -> periodes.Plage | None:
    """Pour un flux ou un montant à cible, la plage de la première cible (celle du cumul)."""
    if nature not in trajectoire.NATURES_PRORATISEES:
        return None
    return _plage(cibles_tracees(cibles, True), nature)


def _plage(tracees: pd.DataFrame, nature: str) -> periodes.Plage | None:
    if nature not in trajectoire.NATURES_PRORATISEES or tracees.empty:
        return None
    return periodes.parse_plage(str(tracees.iloc[0]["periode_cible"]))


@functools.lru_cache(maxsize=256)
def _attendus(
    nature: str, cible: float, code_plage: str, valeur_reference: float | None
) -> tuple[tuple[str, ...], tuple[pd.Timestamp, ...], tuple[float, ...]]:
    plage = periodes.parse_plage(code_plage)
    rangs = range(plage.debut.rang - 1, plage.fin.rang + 1)
    mois = tuple(str(periodes.Mois.depuis_rang(r)) for r in rangs)
    valeurs = tuple(
        trajectoire.valeur_attendue(
            nature=nature,
            cible=cible,
            valeur_reference=valeur_reference,
            part=(r - plage.debut.rang + 1) / plage.nb_mois,
        )  # fmt: skip
        for r in rangs
    )
    return mois, tuple(fin_de_mois(m) for m in mois), valeurs


def attendus(
    *, nature: str, cible: float, plage: periodes.Plage, valeur_reference: float | None
) -> pd.DataFrame:
    """La valeur attendue à la fin de chaque mois de la plage (et du mois qui la précède, part
    nulle) : `trajectoire.valeur_attendue`, la règle qui juge le statut (en cache par cible)."""
    mois, dates, valeurs = _attendus(nature, cible, plage.code, valeur_reference)
    return pd.DataFrame(
        {"mois": mois, "date": dates, "attendu": valeurs}, columns=COLONNES_ATTENDUS
    )


def _cible(ligne: pd.Series, *, nature: str, unite: str) -> CibleTracee:
    plage = periodes.parse_plage(str(ligne["periode_cible"]))
    valeur = float(ligne["cible"])
    brute = ligne.get("valeur_reference")
    reference = None if manquant(brute) else float(brute)
    statut = texte_ou_vide(ligne.get("statut"))
    nom = "Repère" if statut == trajectoire.Statut.REPERE else "Cible"
    jugee = statut not in SANS_TRAJECTOIRE
    a_trajectoire = jugee and (reference is not None or nature in trajectoire.NATURES_PRORATISEES)
    return CibleTracee(
        valeur=valeur,
        plage=plage,
        libelle=f"{nom} {valeur_arrondie(valeur, unite)} ({plage.code})",
        source=lisible(texte_ou_vide(ligne.get("source"))),
        repere=statut == trajectoire.Statut.REPERE,
        attendus=(
            attendus(nature=nature, cible=valeur, plage=plage, valeur_reference=reference)
            if a_trajectoire
            else pd.DataFrame(columns=COLONNES_ATTENDUS)
        ),
    )


def _noms_uniques(cibles: tuple[CibleTracee, ...], unite: str) -> tuple[CibleTracee, ...]:
    """Plusieurs trajectoires (10 000 et 11 199) : chacune nommée par sa cible dans la légende."""
    if sum(1 for c in cibles if not c.attendus.empty) < 2:
        return cibles
    return tuple(
        replace(c, nom_trajectoire=f"Trajectoire attendue ({valeur_arrondie(c.valeur, unite)})")
        for c in cibles
    )


def _statut(cibles: pd.DataFrame) -> tuple[str, str]:
    """Le statut de la cible principale au dernier point, et son libellé (forme et mot)."""
    if cibles.empty or "statut" not in cibles or manquant(cibles.iloc[0]["statut"]):
        return "", ""
    premiere = cibles.iloc[0]
    statut = apparence.connu(str(premiere["statut"]))
    libelle = libelle_statut(statut, texte_ou_vide(premiere.get("nature_cible")),
                             texte_ou_vide(premiere.get("regle_cible")))  # fmt: skip
    return statut, libelle


def build_trace(
    serie: pd.DataFrame,
    cibles: pd.DataFrame | None = None,
    *,
    nature: str,
    unite: str = "",
    annotations: pd.DataFrame | None = None,
    depart: float = 0.0,
) -> Trace:
    """La courbe d'un indicateur face à ses cibles.

    `serie` : colonnes de `series.read_serie` (periode, debut, fin, valeur). `cibles` : lignes
    de progression (`periode_cible`, `cible`, `valeur_reference`, `source`, et `statut`,
    `nature_cible`, `regle_cible` s'ils sont connus), la cible principale d'abord. Un flux ou un
    montant à cible est tracé en cumul depuis le début de la plage de sa cible ; un stock ou un
    taux en niveaux. `depart` : le cumul acquis avant le premier point de `serie`.
    """
    flux = nature in trajectoire.NATURES_PRORATISEES
    tracees = cibles_tracees(cibles, flux)
    plage = _plage(tracees, nature)
    points = _points(serie, unite, plage, annotations, depart)
    dessinees = _noms_uniques(
        tuple(_cible(ligne, nature=nature, unite=unite) for _, ligne in tracees.iterrows()), unite
    )
    statut, statut_libelle = _statut(tracees)
    evenements = (
        graphiques_annotations.build_evenements(
            annotations, debut=str(points["debut"].min()), fin=str(points["fin"].max())
        )
        if not points.empty
        else graphiques_annotations.build_evenements(None)
    )
    valeurs = [*points["y"], *(c.valeur for c in dessinees)]
    valeurs += [v for c in dessinees for v in c.attendus["attendu"]]
    titre_y = f"Cumul depuis {formats.periode(str(plage.debut))}" if plage else "Valeur"
    jugees = "statut" not in tracees or bool(
        (~tracees["statut"].isin(list(SANS_TRAJECTOIRE))).any()
    )
    return Trace(
        points=points,
        plage=plage,
        cibles=dessinees,
        statut=statut,
        statut_libelle=statut_libelle,
        evenements=evenements,
        graduations=echelle.axe_y(valeurs),
        titre_y=titre_y + (f" ({unite})" if unite else ""),
        sous_titre=trajectoire.phrase_modele(nature) if dessinees and jugees else "",
    )
