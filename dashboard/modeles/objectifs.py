"""Objectifs : l'arbre du plan avec, pour chaque indicateur, sa progression, et des bilans par
objectif (part des indicateurs sur la trajectoire, en retard, sans donnée).

Modèle pur : il assemble l'arbre (`data_access.plan.read_arbre`) et les progressions
(`data_access.progression.read_progressions`, tous les indicateurs d'un territoire à une date)
en cadres prêts à afficher. Chaque indicateur est jugé dans sa périodicité, sur sa dernière
période close, étiquetée comme telle (« 1er semestre 2019 »), jamais sur le mois en cours.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard import formats, sources
from dashboard.formats import manquant, texte_ou_vide, valeur_arrondie
from dashboard.modeles import barres, natures_cibles
from dashboard.modeles.synthese import AUCUNE_CIBLE, choisir_cibles, libelle_statut
from data_access import periodes, territoires, trajectoire

# Catégories des bilans. « sans cible » : des valeurs mais rien à quoi les comparer ;
# « repère » : une cible qui n'est pas un engagement du plan (lien inféré, plafond…) ;
# « non évaluable » : une cible dont la plage commence avant toute donnée possible ;
# « non décliné » : indicateur suivi au seul niveau du département, hors d'un territoire.
SUR_LA_TRAJECTOIRE = "sur la trajectoire"
EN_RETARD = "en retard"
NON_RENSEIGNE = "non renseigné"
REPERE = natures_cibles.REPERE
NON_EVALUABLE = natures_cibles.NON_EVALUABLE
SANS_CIBLE = "sans cible"
NON_DECLINE = "non décliné"
CATEGORIES = (SUR_LA_TRAJECTOIRE, EN_RETARD, NON_RENSEIGNE, REPERE, NON_EVALUABLE, SANS_CIBLE,
              NON_DECLINE)  # fmt: skip

NATURES = {
    "flux": "flux : nombre d'événements sur la période, additionné d'une période à l'autre",
    "stock": "stock : niveau à une date, jamais cumulé dans le temps",
    "taux": "taux : recomposé à partir du numérateur et du dénominateur, jamais additionné",
    "montant": "montant en euros, additionné d'une période à l'autre",
    "jalon": "jalon : réalisé ou non réalisé",
}
POLARITES = {
    "hausse": "plus est mieux",
    "baisse": "moins est mieux",
    "neutre": "donnée de contexte, sans sens favorable",
}
ECHELLES = {
    "canton": "canton (domicile de l'allocataire)",
    "territoire": "territoire d'action",
    "departement": "département seulement",
}
PERIODICITE_ABSENTE = "non précisée par le plan"
NON_DECLINE_TEXTE = "suivi au niveau du département seulement"

COLONNES_INDICATEURS = {
    "code": "string",
    "libelle": "string",
    "parent": "string",
    "profondeur": "int64",
    "suivi": "string",
    "categorie": "string",
    "statut": "string",
    "periodicite": "string",
    "reel": "string",
    "cible": "string",
    "periode_cible": "string",
    "attendu": "string",
    "statut_affiche": "string",
    "donnees_au": "string",
    "tendance": "string",
    "progression": "float64",
    "repere": "float64",
    "explication": "string",
    "source_cible": "string",
    "autres_cibles": "string",
}

COLONNES_BILANS = {
    "code": "string",
    "niveau": "string",
    "libelle": "string",
    "profondeur": "int64",
    "nb_indicateurs": "int64",
    **{f"nb_{c.replace(' ', '_')}": "int64" for c in CATEGORIES},
    "part_sur_la_trajectoire": "float64",
    "part_en_retard": "float64",
    "part_non_renseigne": "float64",
    "texte": "string",
}


def decline(echelle: str | None, territoire: str) -> bool:
    """L'indicateur a-t-il un sens pour ce territoire ? Au département, toujours ; pour un
    territoire d'action, seulement s'il est suivi par canton ou par territoire."""
    return territoire == territoires.DEPARTEMENT or echelle in ("canton", "territoire")


def _categorie(ligne: Mapping[str, Any], territoire: str) -> str:
    """Catégorie de bilan d'un indicateur (voir `CATEGORIES`)."""
    if not decline(texte_ou_vide(ligne["echelle"]), territoire):
        return NON_DECLINE
    statut = texte_ou_vide(ligne["statut"])
    if ligne["suivi"] == "sans cible" and not statut:
        return SANS_CIBLE
    if statut in ("en avance", "dans la trajectoire"):
        return SUR_LA_TRAJECTOIRE
    if statut in natures_cibles.NON_JUGES:
        return statut
    return EN_RETARD if statut == "en retard" else NON_RENSEIGNE


def principales(progressions: pd.DataFrame, *, mois: str) -> pd.DataFrame:
    """Une ligne par indicateur : sa cible principale (mesurable, en cours, la plus longue : celle
    du plan), ou sa ligne de suivi s'il n'a pas de cible ; dans l'ordre des progressions."""
    cibles = choisir_cibles(progressions, "plan", mois).drop_duplicates("indicateur")
    autres = progressions[~progressions["indicateur"].isin(cibles["indicateur"])]
    lignes = pd.concat([cibles, autres.drop_duplicates("indicateur")])
    return lignes.loc[sorted(lignes.index)].reset_index(drop=True)


def _reel(ligne: Mapping[str, Any], categorie: str) -> str:
    if categorie == NON_DECLINE:
        return NON_DECLINE_TEXTE
    if ligne["suivi"] == "jalon":
        realise = ligne["realise"]
        return NON_RENSEIGNE if manquant(realise) else ("réalisé" if realise else "non réalisé")
    if manquant(ligne["reel"]):
        return NON_RENSEIGNE
    return formats.valeur(float(ligne["reel"]), texte_ou_vide(ligne["unite"]))


def _a_venir(ligne: Mapping[str, Any], mois: str) -> bool:
    """Cible pas encore commencée à la date (lue avec `cibles_a_venir=True`)."""
    periode = texte_ou_vide(ligne["periode_cible"])
    return bool(periode) and str(periodes.parse_plage(periode).debut) > mois


def _texte_cible(ligne: Mapping[str, Any], unite: str) -> str:
    """« 2 208 », ou « 100 → 200 » quand la cible a une situation de départ écrite."""
    cible = valeur_arrondie(ligne["cible"], unite)
    if manquant(ligne["valeur_reference"]):
        return cible
    return f"{valeur_arrondie(ligne['valeur_reference'], unite)} → {cible}"


def _explication(ligne: Mapping[str, Any], categorie: str, mois: str) -> str:
    """La phrase du modèle pour une cible ou un jalon ; sinon ce qui manque, dit simplement."""
    if categorie == NON_DECLINE:
        return "Le plan suit cet indicateur pour tout le département, pas par territoire."
    if ligne["suivi"] == "jalon":
        return trajectoire.phrase_modele("jalon")
    if ligne["suivi"] == "sans cible":
        return "Aucune cible chiffrée : dernière valeur connue et sens de son évolution."
    if _a_venir(ligne, mois):
        return f"Cible de {ligne['periode_cible']} : pas encore commencée à cette date."
    if motif := natures_cibles.motif(ligne):
        return motif
    if not ligne["comparable"]:
        return "Cible exprimée dans une autre unité que l'indicateur : elle n'est pas comparée."
    reference = not manquant(ligne["valeur_reference"])
    return trajectoire.phrase_modele(str(ligne["nature"]), reference=reference)


def _progression(ligne: Mapping[str, Any]) -> float | None:
    if manquant(ligne["reel"]) or manquant(ligne["cible"]) or float(ligne["cible"]) <= 0:
        return None
    return max(0.0, min(1.0, float(ligne["reel"]) / float(ligne["cible"])))


def _repere(ligne: Mapping[str, Any]) -> float | None:
    """Position de la valeur attendue à la date sur la barre (attendu / cible, de 0 à 1)."""
    if manquant(ligne["attendu"]) or manquant(ligne["cible"]) or float(ligne["cible"]) <= 0:
        return None
    return max(0.0, min(1.0, float(ligne["attendu"]) / float(ligne["cible"])))


def _texte_autres(retenues: pd.DataFrame) -> str:
    """Les cibles retenues après la principale (même période, autre valeur), chacune avec sa
    source, sa valeur attendue et son statut : « Autre cible 11 199 (2017-2019, PDIE 2017-2019,
    §4) · attendu à la date 9 333 · ● dans la trajectoire » ; la principale cite sa source."""
    unite = texte_ou_vide(retenues["unite"].iloc[0])
    tete = retenues.iloc[0]
    morceaux = [f"Cible {valeur_arrondie(tete['cible'], unite)} : "
                f"{sources.lisible(texte_ou_vide(tete['source']))}"]  # fmt: skip
    for _, autre in retenues.iloc[1:].iterrows():
        lieu = f"{autre['periode_cible']}, {sources.lisible(texte_ou_vide(autre['source']))}"
        statut = texte_ou_vide(autre["statut"])
        morceaux.append(
            f"autre cible {valeur_arrondie(autre['cible'], unite)} ({lieu}) · attendu à la "
            f"date {valeur_arrondie(autre['attendu'], unite)}"
            + (f" · {libelle_statut(statut)}" if statut else "")
        )
    return " ; ".join(morceaux)


def autres_cibles(progressions: pd.DataFrame, *, mois: str) -> dict[str, str]:
    """Pour chaque indicateur qui a plusieurs cibles retenues (10 000 et 11 199 pour OO2-S.1),
    le texte de ses autres cibles (`_texte_autres`)."""
    retenues = choisir_cibles(progressions, "plan", mois)
    groupes = retenues.groupby("indicateur", sort=False)
    return {str(code): _texte_autres(groupe) for code, groupe in groupes if len(groupe) > 1}


def _ligne_indicateur(
    noeud: Mapping[str, Any], ligne: Mapping[str, Any] | None, territoire: str, mois: str,
    autres: str = "",
) -> dict[str, Any]:  # fmt: skip
    """Une ligne du tableau des indicateurs, en français."""
    base = {"code": noeud["code"], "libelle": noeud["libelle"], "parent": noeud["parent"],
            "profondeur": noeud["profondeur"]}  # fmt: skip
    periodicite = texte_ou_vide(noeud["periodicite"]) or PERIODICITE_ABSENTE
    if ligne is None:  # indicateur hors du cadre des progressions : rien à montrer
        return {**base, "suivi": "", "categorie": NON_RENSEIGNE, "periodicite": periodicite,
                "reel": NON_RENSEIGNE, "statut_affiche": libelle_statut(None)}  # fmt: skip
    categorie = _categorie(ligne, territoire)
    unite = texte_ou_vide(ligne["unite"])
    a_cible = ligne["suivi"] == "cible" and categorie != NON_DECLINE
    statut = texte_ou_vide(ligne["statut"]) if categorie not in (SANS_CIBLE, NON_DECLINE) else ""
    donnees_au = texte_ou_vide(ligne["donnees_au"])
    return {
        **base, "suivi": ligne["suivi"], "categorie": categorie, "statut": statut,
        "periodicite": periodicite, "reel": _reel(ligne, categorie),
        "cible": _texte_cible(ligne, unite) if a_cible else AUCUNE_CIBLE,
        "periode_cible": texte_ou_vide(ligne["periode_cible"]) if a_cible else "",
        "attendu": valeur_arrondie(ligne["attendu"], unite) if a_cible else formats.MANQUANT,
        "statut_affiche": libelle_statut(statut, texte_ou_vide(ligne["nature_cible"]),
                                         texte_ou_vide(ligne["regle_cible"])) if statut else "",
        "donnees_au": formats.periode(donnees_au) if donnees_au else NON_RENSEIGNE,
        "tendance": texte_ou_vide(ligne["tendance"]) if categorie != NON_DECLINE else "",
        "progression": _progression(ligne) if a_cible and ligne["comparable"] else None,
        "repere": _repere(ligne) if a_cible and ligne["comparable"] else None,
        "explication": _explication(ligne, categorie, mois),
        "source_cible": sources.lisible(texte_ou_vide(ligne["source"])) if a_cible else "",
        "autres_cibles": autres if a_cible else "",
    }  # fmt: skip


def build_indicateurs(
    arbre: pd.DataFrame, progressions: pd.DataFrame, *, territoire: str, mois: str
) -> pd.DataFrame:
    """Une ligne par indicateur de l'arbre, dans l'ordre du document (`COLONNES_INDICATEURS`).

    `statut` garde le mot brut (pour filtrer), `statut_affiche` l'icône et le mot ; un
    indicateur sans cible a une tendance mais pas de statut ; un jalon dit « réalisé ».
    Travaille sur des dictionnaires : l'accès ligne à ligne d'un cadre pandas coûte cher.
    """
    lignes = {
        li["indicateur"]: li for li in principales(progressions, mois=mois).to_dict("records")
    }
    autres = autres_cibles(progressions, mois=mois)
    noeuds = arbre[arbre["type"] == "indicateur"].to_dict("records")
    cadre = [_ligne_indicateur(n, lignes.get(n["code"]), territoire, mois,
                               autres.get(str(n["code"]), "")) for n in noeuds]  # fmt: skip
    return pd.DataFrame(cadre, columns=list(COLONNES_INDICATEURS)).astype(COLONNES_INDICATEURS)


def _ancetres(arbre: pd.DataFrame) -> list[tuple[str, str]]:
    """Couples (nœud, indicateur descendant) : chaque indicateur compte pour tous ses ancêtres."""
    parents = dict(zip(arbre["code"], arbre["parent"], strict=True))
    couples = []
    for code in arbre.loc[arbre["type"] == "indicateur", "code"]:
        courant = parents.get(code)
        while isinstance(courant, str):
            couples.append((courant, code))
            courant = parents.get(courant)
    return couples


_PLURIELS = {NON_RENSEIGNE: "non renseignés", REPERE: "repères", NON_EVALUABLE: "non évaluables"}


def _texte_bilan(nb: int, comptes: Mapping[str, int]) -> str:
    """« 5 indicateurs : 3 sur la trajectoire, 1 en retard, 1 non renseigné »."""
    if nb == 0:
        return "aucun indicateur suivi à ce niveau"
    detail = ", ".join(
        f"{comptes[c]} {_PLURIELS.get(c, c) if comptes[c] > 1 else c}"
        for c in CATEGORIES
        if comptes.get(c) and c != NON_DECLINE
    )
    return f"{nb} indicateur{'s' if nb > 1 else ''} : {detail}"


def _ligne_bilan(noeud: Mapping[str, Any], comptes: Counter[str]) -> dict[str, Any]:
    nb = sum(n for c, n in comptes.items() if c != NON_DECLINE)

    def part(categorie: str) -> float | None:
        return comptes[categorie] / nb if nb else None

    return {
        "code": noeud["code"], "niveau": noeud["niveau"], "libelle": noeud["libelle"],
        "profondeur": noeud["profondeur"], "nb_indicateurs": nb,
        **{f"nb_{c.replace(' ', '_')}": comptes[c] for c in CATEGORIES},
        "part_sur_la_trajectoire": part(SUR_LA_TRAJECTOIRE), "part_en_retard": part(EN_RETARD),
        "part_non_renseigne": part(NON_RENSEIGNE), "texte": _texte_bilan(nb, comptes),
    }  # fmt: skip


def build_bilans(arbre: pd.DataFrame, indicateurs: pd.DataFrame) -> pd.DataFrame:
    """Bilan de chaque objectif et action : nombre d'indicateurs par catégorie et parts.

    Les parts se calculent sur les indicateurs déclinés au territoire choisi (un indicateur
    départemental ne compte pas dans le bilan d'un territoire ; `nb_non_décliné` les compte à
    part). `indicateurs` : `build_indicateurs(...)`. Colonnes `COLONNES_BILANS`, dans l'ordre de
    l'arbre ; filtrer `niveau` in (« oo », « os ») pour les bilans par OO et par OS.
    """
    categorie = dict(zip(indicateurs["code"], indicateurs["categorie"], strict=True))
    comptes: dict[str, Counter[str]] = {}
    for noeud, code in _ancetres(arbre):
        comptes.setdefault(noeud, Counter())[categorie.get(code, NON_RENSEIGNE)] += 1
    lignes = [
        _ligne_bilan(n, comptes.get(n["code"], Counter()))
        for n in arbre[arbre["type"] != "indicateur"].to_dict("records")
    ]
    return pd.DataFrame(lignes, columns=list(COLONNES_BILANS)).astype(COLONNES_BILANS)


@dataclass(frozen=True)
class Noeud:
    """Un nœud de l'arbre à dessiner : objectif ou action (avec son bilan) ou indicateur."""

    code: str
    type: str
    niveau: str
    libelle: str
    profondeur: int
    bilan: str
    indicateur: dict[str, Any] | None
    barre: barres.Barre | None = None


# Le mot de la barre pour chaque catégorie de bilan (« sur la trajectoire » s'y sépare en « en
# avance » et « dans la trajectoire », le statut lui-même) ; un non décliné reste hors du compte.
STATUTS_BARRE = {EN_RETARD: EN_RETARD, NON_RENSEIGNE: NON_RENSEIGNE, REPERE: REPERE,
                 NON_EVALUABLE: NON_EVALUABLE, SANS_CIBLE: barres.SANS_CIBLE}  # fmt: skip


def statut_barre(ligne: Mapping[str, Any]) -> str:
    """Le statut d'un indicateur (ligne de `build_indicateurs`) dans la barre de son objectif."""
    categorie = str(ligne["categorie"])
    if categorie == SUR_LA_TRAJECTOIRE:
        return texte_ou_vide(ligne["statut"]) or NON_RENSEIGNE
    return STATUTS_BARRE.get(categorie, NON_RENSEIGNE)


def build_barres(
    arbre: pd.DataFrame, indicateurs: pd.DataFrame, progressions: pd.DataFrame, *, mois: str
) -> dict[str, barres.Barre]:
    """La barre de chaque OS, OO et axe : le statut de chacun de ses indicateurs (tous niveaux
    en dessous), hors non déclinés, et la cible additionnée de ses indicateurs jugés sur une
    cible (`barres.cible_additionnee` dit quand la somme a un sens)."""
    par_code = {str(li["code"]): li for li in indicateurs.to_dict("records")}
    cibles = {str(li["indicateur"]): li for li in principales(progressions, mois=mois)
              .to_dict("records")}  # fmt: skip
    descendants: dict[str, list[str]] = {}
    for noeud, code in _ancetres(arbre):
        descendants.setdefault(noeud, []).append(code)
    sortie = {}
    for noeud in arbre.loc[arbre["niveau"].isin(list(NIVEAUX_BILAN)), "code"]:
        lignes = [par_code[c] for c in descendants.get(str(noeud), []) if c in par_code]
        comptees = [li for li in lignes if li["categorie"] != NON_DECLINE]
        jugees = [
            cibles[li["code"]]
            for li in comptees
            if li["suivi"] == "cible"
            and li["categorie"] not in (REPERE, NON_EVALUABLE)
            and li["code"] in cibles
        ]
        sortie[str(noeud)] = barres.build_barre(
            str(noeud), (statut_barre(li) for li in comptees),
            hors_compte=len(lignes) - len(comptees), cible=barres.cible_additionnee(jugees),
        )  # fmt: skip
    return sortie


def build_arbre(
    arbre: pd.DataFrame, progressions: pd.DataFrame, *, territoire: str, mois: str
) -> list[Noeud]:
    """L'arbre complet, ligne à ligne dans l'ordre du document, prêt à dessiner en retrait.

    Un indicateur porte sa ligne de `build_indicateurs` (dict) ; un objectif ou une action
    porte le texte de son bilan (« 5 indicateurs : 3 sur la trajectoire, 1 en retard… »).
    """
    indicateurs = build_indicateurs(arbre, progressions, territoire=territoire, mois=mois)
    cadre_bilans = build_bilans(arbre, indicateurs)
    bilans = dict(zip(cadre_bilans["code"], cadre_bilans["texte"], strict=True))
    par_code = {li["code"]: li for li in indicateurs.to_dict("records")}
    barres_noeuds = build_barres(arbre, indicateurs, progressions, mois=mois)
    return [
        Noeud(
            code=str(n["code"]),
            type=str(n["type"]),
            niveau=str(n["niveau"]),
            libelle=str(n["libelle"]),
            profondeur=int(n["profondeur"]),
            bilan=str(bilans.get(n["code"], "")),
            indicateur=par_code.get(n["code"]),
            barre=barres_noeuds.get(str(n["code"])),
        )  # fmt: skip
        for n in arbre.to_dict("records")
    ]


# --- Fiche d'un indicateur ---------------------------------------------------------------


@dataclass(frozen=True)
class Fiche:
    """Ce que la fiche d'un indicateur affiche, en français (définition telle que documentée)."""

    code: str
    libelle: str
    definition: str
    unite: str
    nature: str
    periodicite: str
    polarite: str
    echelle: str
    source: str
    note: str
    modele: str
    fichier_source: str = ""


def build_fiche(noeud: pd.Series) -> Fiche:
    """La fiche d'un indicateur à partir de sa ligne de `read_arbre`. Une définition absente
    des documents est dite absente, jamais inventée. `source` nomme le document ;
    `fichier_source` garde le nom du fichier et l'endroit, pour remonter au texte."""
    nature = texte_ou_vide(noeud["nature"])
    return Fiche(
        code=str(noeud["code"]),
        libelle=str(noeud["libelle"]),
        definition=texte_ou_vide(noeud["definition"]) or "Non définie par les documents.",
        unite=texte_ou_vide(noeud["unite"]) or "sans unité",
        nature=NATURES.get(nature, nature),
        periodicite=texte_ou_vide(noeud["periodicite"]) or PERIODICITE_ABSENTE,
        polarite=POLARITES.get(texte_ou_vide(noeud["polarite"]), ""),
        echelle=ECHELLES.get(texte_ou_vide(noeud["echelle"]), ""),
        source=sources.lisible(texte_ou_vide(noeud["source"])),
        note=texte_ou_vide(noeud["note"]),
        modele=trajectoire.phrase_modele(nature) if nature in NATURES else "",
        fichier_source=texte_ou_vide(noeud["source"]),
    )


COLONNES_VALEURS = {"Période": "string", "Valeur": "string", "Statut de la donnée": "string"}


def build_tableau_valeurs(serie: pd.DataFrame, unite: str) -> pd.DataFrame:
    """Les valeurs d'une série (`series.read_serie`), les plus récentes d'abord, en français."""
    recentes = serie.sort_values("debut", ascending=False)
    cadre = pd.DataFrame(
        {
            "Période": [formats.periode(str(p)) for p in recentes["periode"]],
            "Valeur": [
                formats.valeur(None if manquant(v) else float(v), unite) for v in recentes["valeur"]
            ],
            "Statut de la donnée": recentes["statut"].map(
                {"definitif": "définitif", "provisoire": "provisoire"}
            ),
        }
    )
    return cadre.astype(COLONNES_VALEURS)


def cibles_fiche(progressions: pd.DataFrame, code: str, *, mois: str) -> pd.DataFrame:
    """Les cibles d'un indicateur pour le graphique de sa fiche, la principale d'abord.

    `graphiques.build_serie` trace un flux en cumul sur la plage de la première cible (avec les
    autres cibles de la même plage : 10 000 et 11 199) : la première doit être celle du plan.
    """
    lignes = progressions[(progressions["indicateur"] == code) & (progressions["suivi"] == "cible")]
    principale = choisir_cibles(lignes, "plan", mois).head(1)
    return pd.concat([principale, lignes.drop(index=principale.index)])


# --- Regroupement de l'arbre pour l'affichage -------------------------------------------

# Un titre de section, puis des blocs repliables : un par OO (§7) ou par axe (MDE), pour que
# l'arbre se lise bloc par bloc au lieu d'une longue liste à faire défiler.
NIVEAUX_SECTION = frozenset({"finalite", "os"})
NIVEAUX_BLOC = frozenset({"oo", "axe"})


@dataclass(frozen=True)
class Bloc:
    """Un bloc repliable : un OO ou un axe (ou les indicateurs propres à une section), avec ses
    actions, stratégies et indicateurs dans l'ordre du document."""

    noeud: Noeud
    lignes: tuple[Noeud, ...]
    bilan: str

    def contient(self, code: str | None) -> bool:
        """Vrai si l'indicateur `code` est dans ce bloc (pour l'ouvrir sur sa fiche)."""
        return code is not None and any(n.code == code for n in self.lignes)


@dataclass(frozen=True)
class Section:
    """Un titre (finalité, OS ; None pour une convention sans ce niveau) et ses blocs."""

    noeud: Noeud | None
    blocs: tuple[Bloc, ...]


def build_sections(noeuds: list[Noeud]) -> list[Section]:
    """Regroupe l'arbre à plat de `build_arbre` en sections et blocs repliables.

    Un indicateur rattaché directement à une section (les indicateurs de la finalité) forme un
    bloc portant le nœud de la section ; un bloc racine (axe de la convention MDE) ouvre une
    section sans titre.
    """
    sections: list[tuple[Noeud | None, list[tuple[Noeud, list[Noeud]]]]] = []
    for noeud in noeuds:
        if noeud.niveau in NIVEAUX_SECTION:
            sections.append((noeud, []))
            continue
        if not sections or (noeud.niveau in NIVEAUX_BLOC and noeud.profondeur == 0):
            sections.append((None, []))  # un axe racine (MDE) ouvre sa propre section
        titre, blocs = sections[-1]
        if noeud.niveau in NIVEAUX_BLOC:
            blocs.append((noeud, []))
        elif blocs:
            blocs[-1][1].append(noeud)
        elif titre is not None:
            blocs.append((titre, [noeud]))
    return [
        Section(titre, tuple(_bloc(tete, lignes) for tete, lignes in blocs))
        for titre, blocs in sections
    ]


def _bloc(tete: Noeud, lignes: list[Noeud]) -> Bloc:
    """Un bloc et son bilan : celui de son OO ou de son axe ; pour les indicateurs propres à une
    section (finalité), le bilan de ces seuls indicateurs, pas celui de toute la section."""
    if tete.niveau in NIVEAUX_BLOC:
        return Bloc(tete, tuple(lignes), tete.bilan)
    comptes = Counter(
        str(n.indicateur["categorie"]) for n in lignes if n.type == "indicateur" and n.indicateur
    )
    nb = sum(nombre for categorie, nombre in comptes.items() if categorie != NON_DECLINE)
    return Bloc(tete, tuple(lignes), _texte_bilan(nb, comptes))


def texte_progression(ligne: Mapping[str, Any]) -> str:
    """Le texte d'une barre de progression : réalisé, cible, attendu à la date et statut, en
    toutes lettres (la barre ne se lit jamais à sa seule couleur ou longueur)."""
    periode = f" ({ligne['periode_cible']})" if ligne["periode_cible"] else ""
    if ligne["statut"] in natures_cibles.NON_JUGES:
        return (
            f"Réalisé {ligne['reel']} face à un repère de {ligne['cible']}{periode}, sans "
            f"valeur attendue · {ligne['statut_affiche']}"
        )
    return (
        f"Réalisé {ligne['reel']} sur une cible de {ligne['cible']}{periode} · attendu à la "
        f"date : {ligne['attendu']} · {ligne['statut_affiche']}"
    )


NIVEAUX_BILAN = {"os": "OS", "oo": "OO", "axe": "axe MDE"}


def build_tableau_bilans(bilans: pd.DataFrame) -> pd.DataFrame:
    """Le bilan par OS et par OO (et par axe de la convention), en français : nombre
    d'indicateurs suivis, puis le nombre et la part de chaque catégorie."""
    lignes = bilans[bilans["niveau"].isin(list(NIVEAUX_BILAN))]

    def case(colonne: str, part: str | None = None) -> list[str]:
        nombres = lignes[colonne]
        if part is None:
            return [formats.nombre(int(n)) for n in nombres]
        return [
            f"{int(n)} ({formats.pourcentage(float(p) * 100, 0)})" if not manquant(p) else "–"
            for n, p in zip(nombres, lignes[part], strict=True)
        ]

    return pd.DataFrame(
        {
            "Niveau": lignes["niveau"].map(NIVEAUX_BILAN),
            "Objectif": [
                f"{c} · {lib}" for c, lib in zip(lignes["code"], lignes["libelle"], strict=True)
            ],
            "Indicateurs suivis": case("nb_indicateurs"),
            "Sur la trajectoire": case("nb_sur_la_trajectoire", "part_sur_la_trajectoire"),
            "En retard": case("nb_en_retard", "part_en_retard"),
            "Non renseignés": case("nb_non_renseigné", "part_non_renseigne"),
            "Repères": case("nb_repère"),
            "Non évaluables": case("nb_non_évaluable"),
            "Sans cible": case("nb_sans_cible"),
            "Non déclinés": case("nb_non_décliné"),
        }
    ).astype("string")


def serie_a_date(serie: pd.DataFrame, mois: str) -> pd.DataFrame:
    """Les périodes d'une série closes à la date de la vue : la fiche montre la situation à
    cette date, comme le reste de la page, pas les valeurs arrivées depuis."""
    return serie[serie["fin"].astype(str) <= mois]
