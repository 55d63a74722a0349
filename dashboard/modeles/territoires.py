"""Territoires : le tableau du §4 du PDIE en progression, le classement des territoires et la
contribution des cantons.

Le §4 fixe, par territoire d'action et par an (2017, 2018, 2019) puis pour 2017-2019, des
objectifs « Accès à l'emploi » (OO2-S.1) et « Accès à l'insertion » (OO3-S.1), et les offres que
les conseillers départementaux doivent mobiliser (A23.1 : 75 / 42 / 206 / 77 par an). Le
département (« 67 ») est la ligne TOTAL : 3 733 par an, 11 199 sur 2017-2019 (pas 10 000, qui est
l'objectif du §3.1 et n'est pas une cible du §4). Aucune cible de canton : les documents n'en
donnent pas, les cantons ne montrent que leur contribution.

Modèle pur sur `read_progressions_territoires` et `read_contributions_cantons`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from dashboard import formats
from dashboard.formats import manquant, texte_ou_vide, valeur_arrondie
from dashboard.modeles.synthese import libelle_statut
from data_access import secret, territoires

RUBRIQUES = {
    "OO2-S.1": "Accès à l'emploi",
    "OO3-S.1": "Accès à l'insertion",
    "A23.1": "Offres mobilisées par les conseillers départementaux",
}
INDICATEURS_SECTION4 = tuple(RUBRIQUES)
TERRITOIRES_ACTION = ("NORD", "OUEST", "EMS", "SUD")
TERRITOIRES_SECTION4 = (*TERRITOIRES_ACTION, territoires.DEPARTEMENT)
PERIODES_SECTION4 = ("2017", "2018", "2019", "2017-2019")
LIBELLE_TOTAL = "Total (département)"

# Une cible du tableau §4 cite « §4 » dans sa source (et pas « §4.1 ») : c'est ce qui sépare
# 11 199 (§4) de 10 000 (§3.1) pour le même indicateur, le même territoire et la même période.
MOTIF_SECTION4 = re.compile(r"§4(?![.\d])")

COLONNES_TABLEAU = {
    "territoire": "string",
    "libelle_territoire": "string",
    "indicateur": "string",
    "rubrique": "string",
    "periode": "string",
    "cible": "float64",
    "reel": "float64",
    "attendu": "float64",
    "statut": "string",
    "en_cours": "bool",
    "donnees_au": "string",
    "cible_affichee": "string",
    "reel_affiche": "string",
    "attendu_affiche": "string",
    "statut_affiche": "string",
    "donnees_au_affichee": "string",
    "source": "string",
}

COLONNES_CLASSEMENT = {
    "rang": "Int64",
    "territoire": "string",
    "libelle_territoire": "string",
    "reel": "float64",
    "attendu": "float64",
    "cible": "float64",
    "rapport": "float64",
    "ecart": "float64",
    "statut": "string",
    "texte": "string",
}

COLONNES_CONTRIBUTIONS = {
    "canton": "string",
    "libelle": "string",
    "valeur": "float64",
    "part": "float64",
    "valeur_affichee": "string",
    "part_affichee": "string",
    "masque": "bool",
    "motif": "string",
    "donnees_au": "string",
}


def _libelles(libelles: Mapping[str, str] | None) -> dict[str, str]:
    noms = {code: code for code in TERRITOIRES_ACTION}
    noms.update(libelles or {})
    noms[territoires.DEPARTEMENT] = LIBELLE_TOTAL
    return noms


def build_tableau(
    progressions: pd.DataFrame, *, libelles: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Le tableau du §4 en long : territoire × rubrique × période, réalisé contre cible.

    `progressions` : `read_progressions_territoires(conn, indicateurs=INDICATEURS_SECTION4,
    territoires=TERRITOIRES_SECTION4, mois=…)`. Seules les cibles du §4 sont gardées ; une
    période sans cible écrite (A23.1 n'a pas de total 2017-2019) n'a pas de ligne. Ordre :
    territoires du §4 puis total, rubriques, périodes. Colonnes `COLONNES_TABLEAU`.
    """
    noms = _libelles(libelles)
    garde = (
        (progressions["suivi"] == "cible")
        & progressions["indicateur"].isin(INDICATEURS_SECTION4)
        & progressions["periode_cible"].isin(PERIODES_SECTION4)
        & progressions["territoire"].isin(TERRITOIRES_SECTION4)
        & progressions["source"]
        .fillna("")
        .astype(str)
        .map(lambda s: bool(MOTIF_SECTION4.search(s)))
    )
    lignes = progressions[garde].drop_duplicates(["territoire", "indicateur", "periode_cible"])
    ordre = (
        lignes["territoire"].map(TERRITOIRES_SECTION4.index) * 100
        + lignes["indicateur"].map(INDICATEURS_SECTION4.index) * 10
        + lignes["periode_cible"].map(PERIODES_SECTION4.index)
    )
    lignes = lignes.loc[ordre.sort_values(kind="stable").index]
    unite = ""  # des comptes (allocataires, offres) : affichés en entiers
    cadre = pd.DataFrame(
        {
            "territoire": lignes["territoire"],
            "libelle_territoire": lignes["territoire"].map(noms),
            "indicateur": lignes["indicateur"],
            "rubrique": lignes["indicateur"].map(RUBRIQUES),
            "periode": lignes["periode_cible"],
            "cible": lignes["cible"],
            "reel": lignes["reel"],
            "attendu": lignes["attendu"],
            "statut": lignes["statut"],
            "en_cours": lignes["en_cours"],
            "donnees_au": lignes["donnees_au"],
            "cible_affichee": [valeur_arrondie(x, unite) for x in lignes["cible"]],
            "reel_affiche": [valeur_arrondie(x, unite) for x in lignes["reel"]],
            "attendu_affiche": [valeur_arrondie(x, unite) for x in lignes["attendu"]],
            "statut_affiche": [libelle_statut(texte_ou_vide(s)) for s in lignes["statut"]],
            "donnees_au_affichee": [
                formats.periode(texte_ou_vide(d)) if not manquant(d) else "non renseigné"
                for d in lignes["donnees_au"]
            ],
            "source": lignes["source"],
        }
    )
    return cadre.reset_index(drop=True).astype(COLONNES_TABLEAU)


def build_tableau_large(tableau: pd.DataFrame) -> pd.DataFrame:
    """Le tableau du §4 tel qu'imprimé : une ligne par territoire et rubrique, une colonne par
    période, chaque case « réalisé / cible » suivie de l'icône et du mot du statut."""
    cases = tableau.assign(
        case=[
            f"{r} / {c} · {s}"
            for r, c, s in zip(
                tableau["reel_affiche"],
                tableau["cible_affichee"],
                tableau["statut_affiche"],
                strict=True,
            )
        ]
    )
    large = cases.pivot_table(
        index=["libelle_territoire", "rubrique"],
        columns="periode",
        values="case",
        aggfunc="first",
        sort=False,
    )
    large = large.reindex(columns=[p for p in PERIODES_SECTION4 if p in large.columns])
    large = large.reset_index().rename(
        columns={"libelle_territoire": "Territoire", "rubrique": "Objectif"}
    )
    large.columns.name = None
    return large.fillna(formats.MANQUANT).astype("string")


def build_classement(tableau: pd.DataFrame, *, indicateur: str, periode: str) -> pd.DataFrame:
    """Les quatre territoires classés par réalisé rapporté à l'attendu (le premier est le plus en
    avance, le dernier le plus en retard) ; un territoire sans donnée est classé à la fin, sans
    rang. Le total départemental n'est pas classé."""
    lignes = tableau[
        (tableau["indicateur"] == indicateur)
        & (tableau["periode"] == periode)
        & tableau["territoire"].isin(TERRITOIRES_ACTION)
    ].copy()
    lignes["rapport"] = lignes["reel"] / lignes["attendu"].where(lignes["attendu"] > 0)
    lignes["ecart"] = lignes["reel"] - lignes["attendu"]
    lignes = lignes.sort_values("rapport", ascending=False, na_position="last", kind="stable")
    mesures = lignes["rapport"].notna()
    lignes["rang"] = pd.Series(range(1, len(lignes) + 1), index=lignes.index).where(mesures)
    lignes["texte"] = [
        _texte_classement(r, e, s)
        for r, e, s in zip(
            lignes["rapport"], lignes["ecart"], lignes["statut_affiche"], strict=True
        )
    ]
    cadre = lignes.reindex(columns=list(COLONNES_CLASSEMENT))
    return cadre.reset_index(drop=True).astype(COLONNES_CLASSEMENT)


def _texte_classement(rapport: float, ecart: float, statut: str) -> str:
    """« 80 % de l'attendu (−442) · ▼ en retard »."""
    if manquant(rapport):
        return statut
    signe = "+" if ecart > 0 else "\u2212" if ecart < 0 else ""
    return (
        f"{formats.pourcentage(rapport * 100, 0)} de l'attendu "
        f"({signe}{formats.nombre(abs(ecart))}) · {statut}"
    )


SECRET = "secret"


def build_contributions(
    contributions: pd.DataFrame, *, nature: str, seuil: float, unite: str = ""
) -> pd.DataFrame:
    """Les cantons d'un territoire, du plus gros contributeur au plus petit, avec leur part du
    total, sous secret statistique.

    `contributions` : `read_contributions_cantons(...)`. `seuil` : celui du secret
    (`config/carte.toml`, via `dashboard.carte.config`). Un canton sous le seuil (ou masqué en
    secret secondaire, pour que le total du territoire ne le redonne pas) affiche « secret » à la
    place de sa valeur et de sa part, et passe en fin de liste : l'ordre ne le trahit pas.
    Aucune cible par canton.
    """
    cadre = contributions.reset_index(drop=True).assign(territoire="")
    if secret.concerne(nature):
        cadre["effectif"] = secret.effectifs(cadre, nature=nature)
        cadre = secret.masquer(cadre, seuil=seuil, colonne_valeur="effectif",
                               colonne_groupe="territoire")  # fmt: skip
    else:
        cadre = cadre.assign(masque=False, motif=pd.NA)
    masque = cadre["masque"].astype(bool)
    cadre["valeur"] = cadre["valeur"].where(~masque)
    cadre["part"] = cadre["part"].where(~masque)
    cadre = cadre.sort_values("valeur", ascending=False, na_position="last", kind="stable")
    cadre["valeur_affichee"] = [
        SECRET if m else formats.MANQUANT if manquant(v) else formats.valeur(float(v), unite)
        for v, m in zip(cadre["valeur"], cadre["masque"], strict=True)
    ]
    cadre["part_affichee"] = [
        SECRET if m else formats.MANQUANT if manquant(p) else formats.pourcentage(float(p) * 100)
        for p, m in zip(cadre["part"], cadre["masque"], strict=True)
    ]
    return (
        cadre.reindex(columns=list(COLONNES_CONTRIBUTIONS))
        .reset_index(drop=True)
        .astype(COLONNES_CONTRIBUTIONS)
    )


def periode_par_defaut(mois: str, periodes_: Sequence[str] = PERIODES_SECTION4) -> str:
    """L'année de la date si le §4 en a une cible, sinon le total 2017-2019."""
    return mois[:4] if mois[:4] in periodes_ else "2017-2019"


def texte_case(reel: str, cible: str, attendu: str, statut: str) -> str:
    """Le texte d'une case du §4 : « 578 / 736 · ▼ en retard » ; avec la valeur attendue quand
    elle diffère de la cible (année en cours), car le statut se juge contre elle ; sans réalisé
    (un annuel avant la fin de son année), la cible et « non renseigné », jamais « 0 »."""
    if reel == formats.MANQUANT:
        return f"cible {cible} · {statut} (aucune période close)"
    milieu = f" · attendu {attendu}" if attendu not in (cible, formats.MANQUANT) else ""
    return f"{reel} / {cible}{milieu} · {statut}"


def build_barres(tableau: pd.DataFrame) -> pd.DataFrame:
    """Le tableau du §4 avec, pour chaque case, la part de la cible atteinte (0 à 1, vide sans
    réalisé : jamais une barre à zéro pour une donnée absente) et son texte."""
    cible = tableau["cible"].where(tableau["cible"] > 0)
    part = (tableau["reel"] / cible).clip(lower=0.0, upper=1.0)
    textes = [
        texte_case(r, c, a, s)
        for r, c, a, s in zip(
            tableau["reel_affiche"], tableau["cible_affichee"], tableau["attendu_affiche"],
            tableau["statut_affiche"], strict=True,
        )
    ]  # fmt: skip
    texte = pd.Series(textes, dtype="string", index=tableau.index)
    return tableau.assign(progression=part.astype("float64"), texte=texte)


def territoires_contributions(
    territoire: str, parents: Mapping[str, str | None], disponibles: Sequence[str]
) -> list[str]:
    """Les territoires d'action dont on montre les cantons : les quatre (ceux du périmètre,
    `disponibles`) pour le département, le territoire lui-même, ou celui d'un canton."""
    if territoire == territoires.DEPARTEMENT:
        choisis = list(TERRITOIRES_ACTION)
    elif territoire in TERRITOIRES_ACTION:
        choisis = [territoire]
    else:
        choisis = [str(parents.get(territoire))]
    return [t for t in choisis if t in disponibles]
