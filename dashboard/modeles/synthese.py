"""Synthèse : les objectifs phares du plan en cartes (et en tableau), à une date.

Modèle pur : à partir des progressions lues par `data_access.progression.read_progressions`, il
rend des cartes dont chaque texte est déjà en français et formaté ; la page ne fait que les
poser. Les statuts s'affichent toujours avec une icône et un mot, jamais par la couleur seule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard import apparence, formats, sources
from dashboard.modeles import natures_cibles
from data_access import periodes, trajectoire

# Indicateurs phares : les objectifs chiffrés du §3 du PDIE (002), dans l'ordre du plan.

# La forme de chaque statut (`apparence`, le langage visuel commun) : un texte de tableau ou de
# carte la porte devant le mot, sans émoji ni police à télécharger.
ICONES_STATUT = {statut: style.forme for statut, style in apparence.STATUTS.items()}
ICONES = {statut: apparence.forme_et_mot(statut) for statut in apparence.STATUTS}

NON_RENSEIGNE = trajectoire.Statut.NON_RENSEIGNE.value
MOINS = "\u2212"

EXPLICATION_OO2 = (
    "Le plan vise 10 000 retours à l'emploi (§3.1) ; les objectifs des quatre territoires (§4) "
    "totalisent 11 199 : les deux sont montrés, aucun n'est recalculé."
)


AUCUNE_CIBLE = "aucune cible"
SANS_CIBLE_ICI = "Le plan ne fixe pas de cible pour ce territoire : seule la valeur est montrée."


@dataclass(frozen=True)
class SpecCarte:
    """Ce qu'une carte montre : un indicateur, un titre, la cible retenue.

    `cible` : « plan » (la cible en cours la plus longue, cumulée depuis le début du plan),
    « annee » (la cible de l'année de la date), « aucune » (indicateur sans cible : évolution).
    `plusieurs` : la phrase à montrer quand deux cibles différentes coexistent.
    `note` : ce qu'il faut dire honnêtement quand l'indicateur n'a aucune valeur.
    """

    code: str
    titre: str
    cible: str
    plusieurs: str = ""
    note: str = ""


_NOTE_SYN = (
    "Aucune valeur importée. La fiche 5.1.6 cite ce taux sans le définir ni fixer sa "
    "périodicité : il reste non renseigné tant qu'il n'est pas défini et mesuré."
)

CARTES = (
    SpecCarte("OO2-S.1", "Retours à l'emploi durable", "plan", plusieurs=EXPLICATION_OO2),
    SpecCarte("OO3-S.1", "Voies d'insertion", "plan"),
    SpecCarte("OO1-S.1", "Allocataires en formation", "annee"),
    SpecCarte("A31.1", "Contrôles des droits", "plan"),
    SpecCarte("FIN-2.1", "Nombre d'allocataires", "aucune"),
    SpecCarte("SYN-1", "Taux de sortie à 12 mois des nouveaux entrants", "aucune", note=_NOTE_SYN),
    SpecCarte("SYN-2", "Taux de sortie global à 12 mois", "aucune", note=_NOTE_SYN),
)
INDICATEURS_CARTES = tuple(spec.code for spec in CARTES)


@dataclass(frozen=True)
class CibleCarte:
    """Une cible d'une carte, avec sa valeur attendue à la date et son statut, formatés."""

    valeur: str
    periode: str
    libelle: str
    attendu: str
    statut: str
    icone: str
    source: str
    progression: float | None
    nature: str = ""
    motif: str = ""


@dataclass(frozen=True)
class Carte:
    """Une carte de la synthèse : tout est texte français prêt à afficher, sauf `progression`.

    `cible`, `attendu`, `statut`, `icone` reprennent la première cible (l'objectif du plan) ;
    `cibles` les donne toutes (10 000 et 11 199 pour les retours à l'emploi).
    `progression` : réalisé / cible entre 0 et 1, pour une barre, ou None.
    """

    titre: str
    code: str
    libelle: str
    reel: str
    precision: str
    cible: str
    attendu: str
    statut: str
    icone: str
    evolution: str
    donnees_au: str
    explication: str
    modele: str
    source: str
    cibles: tuple[CibleCarte, ...]
    progression: float | None


def libelle_statut(statut: str | None, nature: str = "", regle: str = "") -> str:
    """« ● dans la trajectoire » : la forme et le mot (un statut absent est non renseigné) ;
    un repère dit la nature de sa cible : « ◇ repère (plafond) »."""
    mot = apparence.connu(statut if isinstance(statut, str) else None)
    return apparence.forme_et_mot(mot, natures_cibles.mot_statut(mot, nature, regle))


def _progression(reel: float, cible: float) -> float | None:
    if formats.manquant(reel) or formats.manquant(cible) or cible <= 0:
        return None
    return max(0.0, min(1.0, float(reel) / float(cible)))


def choisir_cibles(progressions: pd.DataFrame, mode: str, mois: str) -> pd.DataFrame:
    """Les lignes de cible à montrer pour chaque indicateur : celles d'une même période.

    Préférences, dans l'ordre : une cible qui reçoit un statut plutôt qu'un repère (le plan
    avant un lien inféré ou un plafond) ; une cible déjà mesurable (un annuel vu en août 2019
    est jugé sur 2018, sa dernière année close, pas sur 2019 encore vide) ; en mode « annee »,
    celle de l'année de la date ; une cible en cours ; la plus longue (l'objectif du plan) ; la
    plus récente. Deux cibles de même valeur (6 000 au §3.2 et au §4) ne font qu'une ligne.
    Vectorisé : la page Objectifs l'applique à ~70 indicateurs à la fois.
    """
    cibles = progressions[progressions["suivi"] == "cible"]
    if mode == "aucune" or cibles.empty:
        return cibles.iloc[0:0]
    plages = {code: periodes.parse_plage(code) for code in cibles["periode_cible"].unique()}
    code = cibles["periode_cible"].astype(str)
    cle = pd.DataFrame(
        {
            "indicateur": cibles["indicateur"],
            "juge": ~cibles["statut"].isin(list(natures_cibles.NON_JUGES)).fillna(False),
            "mesurable": cibles["reel"].notna(),
            "annee": (code == mois[:4]) & (mode == "annee"),
            "en_cours": cibles["en_cours"].astype(bool),
            "nb_mois": code.map(lambda c: plages[c].nb_mois),
            "fin": code.map(lambda c: plages[c].fin.rang),
        }
    )
    ordre = ["juge", "mesurable", "annee", "en_cours", "nb_mois", "fin"]
    if mode == "annee":
        ordre = ["juge", "mesurable", "annee", "en_cours", "fin", "nb_mois"]
    meilleures = (
        cle.sort_values(ordre, ascending=False, kind="stable")
        .groupby("indicateur", sort=False)
        .head(1)
    )
    choisies = set(zip(meilleures["indicateur"], code[meilleures.index], strict=True))
    garde = [(i, c) in choisies for i, c in zip(cibles["indicateur"], code, strict=True)]
    # Dans la période retenue, les cibles jugées d'abord : la première est la principale.
    retenues = cibles[garde].assign(_juge=cle.loc[garde, "juge"].to_numpy())
    retenues = retenues.sort_values("_juge", ascending=False, kind="stable").drop(columns="_juge")
    return retenues.drop_duplicates(subset=["indicateur", "cible"], keep="first")


def _cible_carte(ligne: pd.Series, sources: str, unite: str) -> CibleCarte:
    statut = formats.texte_ou_vide(ligne["statut"]) or NON_RENSEIGNE
    return CibleCarte(
        valeur=formats.valeur(ligne["cible"], unite),
        periode=str(ligne["periode_cible"]),
        libelle=formats.texte_ou_vide(ligne["libelle_cible"]),
        attendu=formats.valeur_arrondie(ligne["attendu"], unite),
        statut=statut,
        icone=ICONES_STATUT[statut],
        source=sources,
        progression=_progression(ligne["reel"], ligne["cible"]),
        nature=natures_cibles.nature(ligne),
        motif=natures_cibles.motif(ligne),
    )


def _sources(lignes: pd.DataFrame, cible: float) -> str:
    """Sources de toutes les lignes de même valeur (6 000 au §3.2 et au §4 : une figure), par le
    nom de leur document (« PDIE 2017-2019, §3.1 »)."""
    textes = (formats.texte_ou_vide(x) for x in lignes.loc[lignes["cible"] == cible, "source"])
    return " ; ".join(dict.fromkeys(sources.lisible(s) for s in textes if s))


def quand(code: str, *, depuis: bool = False) -> str:
    """La période dans une phrase : « en juin 2019 », « au cours du 2e trimestre 2019 »,
    « en 2019 » ; avec `depuis` : « depuis mai 2019 », « depuis le 1er trimestre 2019 »."""
    return formats.periode_precedee(code, "depuis" if depuis else "en")


def _signe(x: float, unite: str) -> str:
    texte = formats.valeur(abs(x), unite)
    if unite == "%":
        texte = texte.replace("\u202f%", "\u202fpoint" + ("s" if abs(x) >= 2 else ""))
    return ("+" if x > 0 else MOINS if x < 0 else "") + texte


def _evolution(ligne: pd.Series, cumul: bool) -> str:
    """Évolution depuis la période précédente : ce qu'a ajouté la dernière période à un cumul,
    ou l'écart de niveau entre les deux dernières périodes connues."""
    unite = formats.texte_ou_vide(ligne["unite"])
    if cumul and not formats.manquant(ligne["derniere_valeur"]):
        periode = quand(formats.texte_ou_vide(ligne["derniere_periode"]))
        return f"{_signe(float(ligne['derniere_valeur']), unite)} {periode}"
    if formats.manquant(ligne["derniere_valeur"]) or formats.manquant(ligne["valeur_precedente"]):
        return formats.MANQUANT
    ecart = float(ligne["derniere_valeur"]) - float(ligne["valeur_precedente"])
    depuis = quand(formats.texte_ou_vide(ligne["periode_precedente"]), depuis=True)
    return f"{_signe(ecart, unite)} {depuis}"


def _precision(ligne: pd.Series, cible: pd.Series | None) -> str:
    """Ce que le chiffre réalisé mesure : un cumul depuis le début de la plage, ou un niveau."""
    if formats.manquant(ligne["derniere_valeur"]):
        return ""
    if cible is not None and ligne["nature"] in trajectoire.NATURES_PRORATISEES:
        debut = periodes.parse_plage(str(cible["periode_cible"])).debut
        return f"cumul depuis {formats.periode(str(debut))}"
    code = formats.texte_ou_vide(
        ligne["derniere_periode"] if cible is None else cible["donnees_au"]
    )
    if not code:
        return ""
    flux = ligne["nature"] in trajectoire.NATURES_PRORATISEES
    return quand(code) if flux else f"niveau {formats.periode_precedee(code)}"


def _modele(ligne: pd.Series, cible: pd.Series | None) -> str:
    if cible is None:
        return ""
    return trajectoire.phrase_modele(
        str(ligne["nature"]), reference=not formats.manquant(cible["valeur_reference"])
    )


def _carte(spec: SpecCarte, lignes: pd.DataFrame, mois: str, libelle: str) -> Carte:
    """Une carte à partir des lignes de progression d'un indicateur."""
    ligne = lignes.iloc[0]
    unite = formats.texte_ou_vide(ligne["unite"])
    retenues = choisir_cibles(lignes, spec.cible, mois)
    cibles = tuple(
        _cible_carte(r, _sources(retenues, r["cible"]), unite) for _, r in retenues.iterrows()
    )
    tete = retenues.iloc[0] if not retenues.empty else None
    reel_brut = tete["reel"] if tete is not None else ligne["derniere_valeur"]
    donnees_au = formats.texte_ou_vide((ligne if tete is None else tete)["donnees_au"])
    cumul = tete is not None and ligne["nature"] in trajectoire.NATURES_PRORATISEES
    explication = spec.plusieurs if len(cibles) > 1 else ""
    if spec.cible != "aucune" and not cibles:
        explication = SANS_CIBLE_ICI
    if formats.manquant(ligne["derniere_valeur"]) and spec.note:
        explication = spec.note
    premiere = cibles[0] if cibles else None
    return Carte(
        titre=spec.titre,
        code=spec.code,
        libelle=libelle or formats.texte_ou_vide(ligne["libelle"]),
        reel=NON_RENSEIGNE if formats.manquant(reel_brut) else formats.valeur(reel_brut, unite),
        precision=_precision(ligne, tete),
        cible=premiere.valeur if premiere else AUCUNE_CIBLE,
        attendu=premiere.attendu if premiere else formats.MANQUANT,
        statut=premiere.statut if premiere else NON_RENSEIGNE,
        icone=ICONES_STATUT[premiere.statut if premiere else NON_RENSEIGNE],
        evolution=_evolution(ligne, cumul),
        donnees_au=formats.periode(donnees_au) if donnees_au else NON_RENSEIGNE,
        explication=explication,
        modele=_modele(ligne, tete),
        source=premiere.source
        if premiere
        else sources.lisible(formats.texte_ou_vide(ligne["source_indicateur"])),
        cibles=cibles,
        progression=premiere.progression if premiere else None,
    )


def build_cartes(
    progressions: pd.DataFrame,
    *,
    mois: str,
    specs: tuple[SpecCarte, ...] = CARTES,
    libelles: Mapping[str, str] | None = None,
) -> list[Carte]:
    """Les cartes de la synthèse, dans l'ordre de `specs`, à la date `mois` (`AAAA-MM`).

    `progressions` : `read_progressions(conn, indicateurs=INDICATEURS_CARTES, territoire=…,
    mois=mois)`. Un indicateur absent du cadre n'a pas de carte (référentiel incomplet).
    """
    libelles = libelles or {}
    cartes = []
    for spec in specs:
        lignes = progressions[progressions["indicateur"] == spec.code]
        if not lignes.empty:
            cartes.append(_carte(spec, lignes, mois, libelles.get(spec.code, "")))
    return cartes


def serie_recente(series: pd.DataFrame, code: str, *, mois: str, nombre: int = 12) -> pd.DataFrame:
    """Les `nombre` dernières valeurs d'un indicateur closes à la date, de la plus ancienne à la
    plus récente (`periode`, `fin`, `valeur`) : la petite courbe d'une carte sans cible
    (évolution mensuelle des allocataires), sa phrase et son tableau. `series` :
    `progression.read_series(...)`."""
    lignes = series[
        (series["indicateur"] == code) & (series["fin"] <= mois) & series["valeur"].notna()
    ]
    recentes = lignes.sort_values("fin").tail(nombre)
    return recentes[["periode", "fin", "valeur"]].reset_index(drop=True)
