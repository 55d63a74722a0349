"""Résumés en une phrase des graphiques et de la carte : l'alternative textuelle d'un dessin.

Chaque graphique est suivi de sa phrase (légende visible) et la porte aussi comme description
Vega-Lite, que le navigateur donne pour nom accessible au graphique (`aria-label`) : un lecteur
d'écran lit ce qu'une personne voit sous le dessin, et les valeurs détaillées sont dans le
tableau qui accompagne chaque graphique. Les repères que Vega pose sur chaque point (« date: Jun
30, 2019; y: 9450 ») restent : les retirer (`aria: false`) laisse des groupes SVG de rôle
`graphics-symbol` sans nom, que la règle svg-img-alt d'axe-core refuse. Fonctions pures : textes
déjà formatés en français par `formats`, sans Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from dashboard import formats
from dashboard.formats import manquant
from data_access import periodes, trajectoire

GraphiqueAltair = (
    alt.Chart | alt.LayerChart | alt.FacetChart | alt.HConcatChart | alt.VConcatChart
    | alt.ConcatChart | alt.RepeatChart
)  # fmt: skip
"""Ce que `st.altair_chart` sait poser : un graphique Altair de premier niveau."""

NOMS_PERIODES = {
    periodes.Periodicite.MENSUELLE: ("mois", "mois"),
    periodes.Periodicite.TRIMESTRIELLE: ("trimestre", "trimestres"),
    periodes.Periodicite.SEMESTRIELLE: ("semestre", "semestres"),
    periodes.Periodicite.ANNUELLE: ("année", "années"),
}


def decrire(graphique: GraphiqueAltair, phrase: str) -> GraphiqueAltair:
    """Le graphique avec sa phrase pour description : Vega en fait son nom accessible."""
    return graphique.properties(description=phrase)


def _pluriel(n: int, singulier: str, pluriel: str | None = None) -> str:
    return f"{n} {singulier if n == 1 else (pluriel or singulier + 's')}"


def duree(codes: Sequence[str]) -> str:
    """« 24 mois », « 1 trimestre », « 3 années » ; périodicités mêlées : « 5 périodes »."""
    periodicites = {periodes.parse(c).periodicite for c in codes}
    if len(periodicites) != 1:
        return _pluriel(len(codes), "période")
    return _pluriel(len(codes), *NOMS_PERIODES[periodicites.pop()])


def a_la_periode(code: str) -> str:
    """« en juin 2019 », « au cours du 2e trimestre 2019 », « en 2019 »."""
    return formats.periode_precedee(code, "en")


def _presents(codes: Sequence[str], valeurs: Sequence[float | None]) -> list[tuple[str, float]]:
    """Les couples (période, valeur) renseignés, dans l'ordre donné."""
    couples = zip(codes, valeurs, strict=True)
    return [(str(c), float(v)) for c, v in couples if v is not None and not manquant(v)]


def serie(
    codes: Sequence[str], valeurs: Sequence[float | None], *, unite: str, sujet: str = "Série"
) -> str:
    """« Série sur 24 mois (juillet 2017 à juin 2019) : 1 300 au début, 1 420 en juin 2019 ;
    minimum 1 200, maximum 1 450. » Les périodes sans valeur sont ignorées."""
    points = _presents(codes, valeurs)
    if not points:
        return f"{sujet} : aucune valeur à tracer."
    (premier, v0), (dernier, vn) = points[0], points[-1]
    if len(points) == 1:
        valeur = formats.valeur(v0, unite)
        return f"{sujet} : une seule valeur, {valeur} ({formats.periode(premier)})."
    nombres = [v for _, v in points]
    return (
        f"{sujet} sur {duree([c for c, _ in points])} ({formats.periode(premier)} à "
        f"{formats.periode(dernier)}) : {formats.valeur(v0, unite)} au début, "
        f"{formats.valeur(vn, unite)} {a_la_periode(dernier)} ; minimum "
        f"{formats.valeur(min(nombres), unite)}, maximum {formats.valeur(max(nombres), unite)}."
    )


def cibles(lignes: pd.DataFrame | None, unite: str) -> str:
    """« Cible : 10 000 (2017-2019). » (« Repère : … » pour un repère) ; vide sans cible.
    `lignes` : `periode_cible`, `cible`, et `statut` s'il est connu."""
    if lignes is None or lignes.empty:
        return ""
    textes = [
        f"{formats.valeur(float(c), unite)} ({p})"
        for p, c in zip(lignes["periode_cible"], lignes["cible"], strict=True)
        if not manquant(c)
    ]
    if not textes:
        return ""
    reperes = "statut" in lignes and bool((lignes["statut"] == trajectoire.Statut.REPERE).all())
    nom = "Repère" if reperes else "Cible"
    return f"{nom if len(textes) == 1 else nom + 's'} : {', '.join(textes)}."


def comparaison(courbes: Mapping[str, pd.DataFrame], *, mesure: str, decimales: int = 1) -> str:
    """Des courbes comparées (`periode`, `valeur`) : leur étendue, puis la valeur de chacune à la
    dernière période de la première (la zone), « – » là où elle manque ou est masquée."""
    noms = list(courbes)
    premiere = courbes[noms[0]]
    points = _presents(list(premiere["periode"]), list(premiere["valeur"]))
    if not points:
        return f"{', '.join(noms)} ({mesure}) : aucune valeur à tracer pour {noms[0]}."
    derniere = points[-1][0]
    valeurs = []
    for nom, cadre in courbes.items():
        a_date = cadre.loc[cadre["periode"].astype(str) == derniere, "valeur"]
        v = None if a_date.empty or manquant(a_date.iloc[0]) else float(a_date.iloc[0])
        valeurs.append(f"{nom} {formats.nombre(v, decimales)}")
    tous = sorted({str(p) for c in courbes.values() for p in c["periode"]})
    return (
        f"{_liste(noms)} ({mesure}), sur {duree(tous)} ({formats.periode(tous[0])} à "
        f"{formats.periode(tous[-1])}) ; {a_la_periode(derniere)} : {', '.join(valeurs)}."
    )


def _liste(noms: Sequence[str]) -> str:
    return noms[0] if len(noms) == 1 else f"{', '.join(noms[:-1])} et {noms[-1]}"


def territoires(lignes: pd.DataFrame, *, sujet: str) -> str:
    """Le réalisé et le statut de chaque territoire d'action, dans l'ordre des barres.

    `lignes` : `libelle_territoire`, `reel_affiche`, `attendu_affiche`, `statut` (le mot)."""
    if lignes.empty:
        return f"{sujet} : aucun territoire à montrer."
    textes = [
        f"{t} {r} pour {a} attendus ({'non renseigné' if manquant(s) else s})"
        for t, r, a, s in zip(lignes["libelle_territoire"], lignes["reel_affiche"],
                              lignes["attendu_affiche"], lignes["statut"], strict=True)
    ]  # fmt: skip
    nombre = _pluriel(len(textes), "territoire")
    return f"{sujet}, réalisé de {nombre} face à l'attendu à la date : {' ; '.join(textes)}."


def cantons(contributions: pd.DataFrame, *, sujet: str) -> str:
    """Le canton qui contribue le plus, celui qui contribue le moins, et combien sont masqués.

    `contributions` : `libelle`, `valeur`, `valeur_affichee`, `part_affichee`, `masque`."""
    masque = contributions["masque"].astype(bool)
    visibles = contributions[~masque & contributions["valeur"].notna()]
    masques = int(masque.sum())
    debut = f"{sujet} : {_pluriel(len(contributions), 'canton')}"
    if visibles.empty:
        texte = f"{debut}, aucun réalisé affichable"
    else:
        tries = visibles.sort_values("valeur", ascending=False)
        haut, bas = tries.iloc[0], tries.iloc[-1]
        texte = f"{debut} ; le plus fort {haut['libelle']} ({haut['valeur_affichee']}, " \
                f"{haut['part_affichee']} du territoire)"  # fmt: skip
        if len(tries) > 1:
            texte += f", le plus faible {bas['libelle']} ({bas['valeur_affichee']}, " \
                     f"{bas['part_affichee']})"  # fmt: skip
    if masques:
        texte += f" ; {masques} sous secret statistique"
    return texte + "."


def etp(lignes: pd.DataFrame) -> str:
    """ETP par partenaire et stratégie la plus dotée, hors lignes écrites pour un axe entier
    (comptées à part, comme sur le graphique). `lignes` : `moyens.lignes_etp_convention`."""
    strategies = lignes[~lignes["a_part"].astype(bool)]
    par_partenaire = strategies.groupby("partenaire", sort=False)["valeur"].sum()
    totaux = ", ".join(f"{p} {formats.etp(round(float(v), 6))}" for p, v in par_partenaire.items())
    par_strategie = strategies.groupby(["objectif", "objectif_libelle"], sort=False)["valeur"].sum()
    texte = f"ETP de {_pluriel(len(par_strategie), 'stratégie')} par partenaire : {totaux}"
    if not par_strategie.empty:
        (code, libelle), valeur = par_strategie.idxmax(), par_strategie.max()
        texte += f" ; la plus dotée : {code} · {libelle} ({formats.etp(round(float(valeur), 6))})"
    a_part = int(lignes["a_part"].astype(bool).sum())
    if a_part:
        texte += (
            f" ; {_pluriel(a_part, 'ligne écrite', 'lignes écrites')} pour un axe entier, à part"
        )
    return texte + "."


def points(points: pd.DataFrame, *, sujet: str, references: Sequence[str] = ()) -> str:
    """Chaque point d'un nuage ou d'un ratio année par année : son résultat, son moyen, son
    ratio ; puis les repères tracés. `points` : colonnes de `moyens.COLONNES_POINTS`."""
    if points.empty:
        return f"{sujet} : aucun point."
    textes = [
        f"{li} : {r} pour {m} ({ra})"
        for li, r, m, ra in zip(points["libelle"], points["resultat_texte"], points["moyen_texte"],
                                points["ratio"], strict=True)
    ]  # fmt: skip
    texte = f"{sujet}, {_pluriel(len(textes), 'point')} : {' ; '.join(textes)}"
    if references:
        texte += f" ; {' ; '.join(references)}"
    return texte + "."


def carte(zones: pd.DataFrame, textes: Sequence[str], *, mesure: str, periode: str) -> str:
    """La zone la plus haute, la plus basse, et les zones masquées ou non renseignées.

    `zones` : `mesures_carte.COLONNES_ZONES` ; `textes` : la valeur écrite de chaque zone."""
    cadre = zones.assign(texte=list(textes))
    valeurs = cadre[~cadre["masque"].astype(bool) & cadre["valeur"].notna()]
    texte = f"Carte de {_pluriel(len(cadre), 'zone')}, {mesure} ({formats.periode(periode)})"
    if not valeurs.empty:
        tries = valeurs.sort_values("valeur", ascending=False)
        haut, bas = tries.iloc[0], tries.iloc[-1]
        texte += f" : la plus haute {haut['libelle']} ({haut['texte']}), la plus basse " \
                 f"{bas['libelle']} ({bas['texte']})"  # fmt: skip
    masquees = int(cadre["masque"].astype(bool).sum())
    absentes = int((~cadre["masque"].astype(bool) & cadre["valeur"].isna()).sum())
    if masquees:
        texte += f" ; {masquees} sous secret statistique"
    if absentes:
        texte += f" ; {_pluriel(absentes, 'non renseignée')}"
    return texte + "."


def statuts(lignes: Sequence[tuple[str, str]], *, sujet: str) -> str:
    """« Sujet : Nord 1 234 sur 1 100, en avance ; … » depuis (territoire, texte) déjà écrits."""
    if not lignes:
        return f"{sujet} : aucun territoire."
    return f"{sujet} : {' ; '.join(f'{t} {x}' for t, x in lignes)}."
