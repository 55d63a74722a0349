"""Moyens face aux résultats : totaux d'ETP, deux lectures d'un total ambigu, ratios descriptifs.

Module pur (pandas, sans Streamlit). Règles tirées des documents (`DOMAIN.md` §5 et pièges) :
- les ETP se totalisent par partenaire et par stratégie ; une ligne écrite pour un axe entier
  (« 1 ETP » transfrontalier du Département, pour tout le département) peut recouvrir les ETP de
  ses stratégies : le total est donné **avec et sans** elle, avec la phrase qui dit pourquoi ;
- un ratio (« résultats par ETP », « € par participant ») est descriptif : il garde ses deux
  termes, leurs périodes et leurs sources. Il est refusé quand les deux termes sont datés
  d'années différentes, « non renseigné » quand un terme manque, « non calculable » quand le
  diviseur est nul : jamais 0 ni ∞ à la place ;
- la fiche 5.2.10 rappelle que « les résultats des dispositifs d'insertion sont collectifs » :
  aucun ratio ne classe des personnes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from dashboard import formats

NIVEAU_STRATEGIE = "strategie"
NIVEAU_AXE = "axe"
PORTEE_ENGLOBANT = "englobant"  # comme data_access.moyens (un moyen d'un territoire plus large)
RAPPEL_COLLECTIF = (
    "Ratios descriptifs : « les résultats des dispositifs d'insertion sont collectifs » "
    "(002, fiche 5.2.10). Chaque ratio montre ses deux termes, leurs périodes et leurs sources ; "
    "aucun ne classe des personnes."
)


class Sens(StrEnum):
    """Ce que le ratio divise : des résultats par moyen (placements par ETP), ou l'inverse."""

    RESULTAT_PAR_MOYEN = "résultat par moyen"
    MOYEN_PAR_RESULTAT = "moyen par résultat"


class StatutRatio(StrEnum):
    CALCULE = "calculé"
    PERIODES_DIFFERENTES = "refusé : périodes différentes"
    NON_RENSEIGNE = "non renseigné"
    NON_CALCULABLE = "non calculable"


@dataclass(frozen=True)
class Terme:
    """Un terme d'un ratio : un moyen (19 conseillers) ou un résultat (1 116 placements)."""

    libelle: str
    valeur: float | None
    unite: str
    annee: int | None  # None : non daté (« par an », « actuellement »)
    periode: str  # la période en clair, montrée à côté de la valeur
    source: str
    texte: str = ""  # formulation exacte du document, pour un moyen
    complet: bool = True  # faux pour une année de résultats incomplète


@dataclass(frozen=True)
class Ratio:
    libelle: str
    moyen: Terme
    resultat: Terme
    sens: Sens
    unite: str  # « placements par conseiller », « € par participant »
    valeur: float | None
    statut: StatutRatio
    mention: str


@dataclass(frozen=True)
class Rapprochement:
    """Un moyen du référentiel mis en face d'un indicateur de résultat (choix de lecture)."""

    ressource: str
    indicateur: str
    sens: Sens
    unite: str
    libelle: str
    norme: str | None = None
    portee_norme: str = ""


_NORME_EQUIPE = (
    "La fiche 5.2.14 fixe 50 placements par ETP financé chez les opérateurs, sans période écrite "
    "(INC-26) ; l'équipe emploi est une équipe du Département : repère de lecture, pas une "
    "obligation, comparé ici à des placements annuels."
)
RAPPROCHEMENTS = (
    Rapprochement("RH-EQUIPE-EMPLOI", "A2.1", Sens.RESULTAT_PAR_MOYEN, "placements par conseiller",
                  "Placements de l'équipe emploi par conseiller emploi", "N-PLACEMENTS-ETP",
                  _NORME_EQUIPE),
    Rapprochement("RH-PE-AG", "A10.1", Sens.RESULTAT_PAR_MOYEN,
                  "personnes accompagnées par conseiller",
                  "Accompagnement global : personnes accompagnées par conseiller Pôle emploi"),
    Rapprochement("RH-CONTROLEURS-S2", "A31.1", Sens.RESULTAT_PAR_MOYEN, "contrôles par agent",
                  "Contrôles par agent de l'équipe de contrôle (15 agents, §2)"),
    Rapprochement("RH-CONTROLEURS-555", "A31.1", Sens.RESULTAT_PAR_MOYEN,
                  "contrôles par contrôleur", "Contrôles par contrôleur interne (13, §5.5.5)"),
    Rapprochement("B-FSE-4M", "A6.1", Sens.MOYEN_PAR_RESULTAT, "€ par participant",
                  "Crédits FSE par participant"),
    Rapprochement("B-ADE-200K", "A7.3", Sens.MOYEN_PAR_RESULTAT, "€ par aide",
                  "Enveloppe de l'ADE par aide accordée"),
)  # fmt: skip

# Parts d'une enveloppe : (partie, tout, libellé). « dont 4 M€ pour le FSE » (002 §3.1).
PARTS = (("B-FSE-4M", "B-EMPLOI-15M", "Part du FSE dans l'enveloppe « accès à l'emploi »"),)


def manquant(x: object) -> bool:
    """None, NA de pandas ou NaN : les cadres mélangent les trois."""
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def texte_valeur(x: float | None, unite: str) -> str:
    """`1.4, "ETP"` → « 1,4 ETP » ; `4e6, "€/an"` → « 4 M€/an » ; `19, "conseillers"` → « 19
    conseillers ». Une valeur manquante est « non renseigné », jamais 0."""
    if manquant(x):
        return StatutRatio.NON_RENSEIGNE.value
    assert x is not None
    if unite == "ETP":
        return formats.etp(x)
    if unite in ("€", "€/an"):
        return formats.euros(x) + ("/an" if unite == "€/an" else "")
    decimales = formats.decimales(unite)
    return f"{formats.nombre(formats.arrondi(x, unite), decimales)} {unite}".strip()


# --- ETP de la convention ------------------------------------------------------------------


def lignes_etp_convention(ressources: pd.DataFrame) -> pd.DataFrame:
    """ETP rattachés à l'arbre d'un plan ou d'une convention (stratégies ou axes), dans l'ordre."""
    # Les niveaux d'un arbre de convention (stratégie, axe) : un ETP rattaché à un objectif du
    # plan (OO2, accès à l'emploi) se lit par territoire d'action, pas comme une stratégie.
    convention = ressources["objectif_niveau"].fillna("").isin([NIVEAU_STRATEGIE, NIVEAU_AXE])
    etp = ressources[(ressources["type"] == "etp") & ressources["plan"].notna() & convention].copy()
    etp["a_part"] = etp["objectif_niveau"].fillna("") != NIVEAU_STRATEGIE
    etp["axe_de_la_ligne"] = etp["axe"].where(~etp["a_part"], etp["objectif"])
    return etp.sort_values(["axe_de_la_ligne", "a_part", "rang"], kind="stable")


def _arrondi(x: float) -> float:
    """1,4 + 0,25 + 2 + 1,05 + 2,7 donne 7,3999… en binaire : on rend 7,4."""
    return round(float(x), 6)


def totaux_par_partenaire(etp: pd.DataFrame) -> pd.DataFrame:
    """Par partenaire : ETP des stratégies, ETP écrits à part (axe entier), et leur somme."""
    lignes = []
    for partenaire in etp["partenaire"].drop_duplicates():
        du_partenaire = etp[etp["partenaire"] == partenaire]
        strategies = du_partenaire.loc[~du_partenaire["a_part"], "valeur"].sum()
        a_part = du_partenaire.loc[du_partenaire["a_part"], "valeur"].sum()
        lignes.append((partenaire, _arrondi(strategies), _arrondi(a_part),
                       _arrondi(strategies + a_part)))  # fmt: skip
    colonnes = {"partenaire": "string", "etp": "float64", "etp_a_part": "float64",
                "etp_avec_a_part": "float64"}  # fmt: skip
    return pd.DataFrame(lignes, columns=list(colonnes)).astype(colonnes)


def totaux_par_strategie(etp: pd.DataFrame) -> pd.DataFrame:
    """Par stratégie : un total par partenaire et le total ; les lignes à part sont exclues."""
    strategies = etp[~etp["a_part"]]
    partenaires = list(etp["partenaire"].drop_duplicates())
    lignes = []
    for code in strategies["objectif"].drop_duplicates():
        de_la_strategie = strategies[strategies["objectif"] == code]
        par = {p: _arrondi(de_la_strategie.loc[de_la_strategie["partenaire"] == p, "valeur"].sum())
               for p in partenaires}  # fmt: skip
        lignes.append({"strategie": code, "libelle": de_la_strategie["objectif_libelle"].iloc[0],
                       "axe": de_la_strategie["axe"].iloc[0], **par,
                       "total": _arrondi(sum(par.values()))})  # fmt: skip
    colonnes = ["strategie", "libelle", "axe", *partenaires, "total"]
    return pd.DataFrame(lignes, columns=colonnes)


@dataclass(frozen=True)
class Lectures:
    """Deux lectures du total d'un partenaire : sans et avec ses ETP écrits pour un axe entier."""

    partenaire: str
    sans: float
    avec: float
    explication: str


def lectures_totaux(etp: pd.DataFrame, noms: dict[str, str] | None = None) -> list[Lectures]:
    """Une paire de lectures par partenaire qui a des ETP à part (Département : 4,45 ou 5,45) ;
    `noms` : code → nom des territoires (« 67 » → « Bas-Rhin »)."""
    resultat = []
    for ligne in totaux_par_partenaire(etp).itertuples():
        if ligne.etp_a_part <= 0:
            continue
        a_part = etp[(etp["partenaire"] == ligne.partenaire) & etp["a_part"]]
        raisons = [_raison(x, etp, noms or {}) for _, x in a_part.iterrows()]
        explication = (
            f"{ligne.partenaire} : {formats.etp(ligne.etp)} sur les stratégies de la convention, "
            f"ou {formats.etp(ligne.etp_avec_a_part)} en ajoutant {' ; '.join(raisons)} "
            "Les deux lectures sont montrées, aucune n'est choisie."
        )
        resultat.append(Lectures(str(ligne.partenaire), ligne.etp, ligne.etp_avec_a_part,
                                 explication))  # fmt: skip
    return resultat


def _raison(ligne: pd.Series, etp: pd.DataFrame, noms: dict[str, str]) -> str:
    """Pourquoi une ligne écrite pour un axe entier ne s'additionne pas sans le dire."""
    recouvertes = etp[(etp["axe"] == ligne["objectif"]) & (etp["partenaire"] == ligne["partenaire"])
                      & ~etp["a_part"]]  # fmt: skip
    detail = ", ".join(
        f"{formats.etp(v)} de la stratégie {s}"
        for s, v in zip(recouvertes["objectif"], recouvertes["valeur"], strict=True)
    )
    ecart = re.findall(r"INC-\d+", "" if manquant(ligne["note"]) else str(ligne["note"]))
    return (
        f"« {ligne['texte']} » ({ligne['source']}). Cette ligne est écrite pour l'axe "
        f"« {ligne['objectif_libelle']} » dans son ensemble (territoire "
        f"{noms.get(str(ligne['territoire']), ligne['territoire'])}), "
        f"et le texte ne dit pas si elle comprend {detail or 'les ETP de ses stratégies'}"
        + (f" (écart {', '.join(ecart)})." if ecart else ".")
    )


# --- Ratios ---------------------------------------------------------------------------------


def calculer_ratio(moyen: Terme, resultat: Terme, *, libelle: str, sens: Sens, unite: str) -> Ratio:
    """Le ratio de deux termes, ou la raison pour laquelle il n'est pas donné (jamais 0 ni ∞)."""
    if moyen.annee is not None and resultat.annee is not None and moyen.annee != resultat.annee:
        mention = (f"Refusé : moyens de {moyen.annee}, résultats de {resultat.annee} ; un ratio ne "
                   "rapproche que la même année.")  # fmt: skip
        return Ratio(libelle, moyen, resultat, sens, unite, None,
                     StatutRatio.PERIODES_DIFFERENTES, mention)  # fmt: skip
    for nom, terme in (("Moyen", moyen), ("Résultat", resultat)):
        if manquant(terme.valeur):
            mention = f"{nom} non renseigné ({terme.periode}) : pas de ratio, ni 0 ni ∞."
            return Ratio(libelle, moyen, resultat, sens, unite, None,
                         StatutRatio.NON_RENSEIGNE, mention)  # fmt: skip
    numerateur, diviseur = (
        (resultat, moyen) if sens is Sens.RESULTAT_PAR_MOYEN else (moyen, resultat)
    )
    if float(diviseur.valeur or 0.0) == 0.0:
        mention = (f"Non calculable : le diviseur ({texte_valeur(diviseur.valeur, diviseur.unite)})"
                   " est nul.")  # fmt: skip
        return Ratio(libelle, moyen, resultat, sens, unite, None,
                     StatutRatio.NON_CALCULABLE, mention)  # fmt: skip
    valeur = float(numerateur.valeur) / float(diviseur.valeur)  # type: ignore[arg-type]
    return Ratio(libelle, moyen, resultat, sens, unite, valeur, StatutRatio.CALCULE,
                 _mention_calcul(moyen, resultat))  # fmt: skip


def _mention_calcul(moyen: Terme, resultat: Terme) -> str:
    mentions = []
    if moyen.annee is None:
        mentions.append(f"Moyen sans année écrite ({moyen.periode}), rapproché des résultats "
                        f"de {resultat.annee} : lecture indicative.")  # fmt: skip
    if not resultat.complet:
        mentions.append(f"Année incomplète ({resultat.periode}) : ratio partiel.")
    return " ".join(mentions) or "Moyens et résultats de la même année."


def decimales_ratio(ratio: Ratio) -> int:
    """Un coût à l'euro près, un autre ratio au dixième : à l'écran comme dans l'export."""
    return 0 if ratio.unite.startswith("€") else 1


def valeur_ratio(ratio: Ratio) -> float | None:
    """Le ratio arrondi comme il s'affiche (`decimales_ratio`), pour l'export CSV."""
    return formats.arrondi_decimales(ratio.valeur, decimales_ratio(ratio))


def texte_ratio(ratio: Ratio) -> str:
    """« 58,7 placements par conseiller », « 1 241 € par participant », ou le statut."""
    if ratio.valeur is None:
        return ratio.statut.value
    return f"{formats.nombre(valeur_ratio(ratio), decimales_ratio(ratio))} {ratio.unite}"


def periode_ressource(annee: object, unite: str) -> str:
    if not manquant(annee):
        return str(annee)
    return "par an, année non écrite" if unite.endswith("/an") else "non daté"


def terme_ressource(ligne: pd.Series) -> Terme:
    """Un moyen du référentiel (une ligne de `data_access.moyens.read_ressources`)."""
    annee = None if manquant(ligne["annee"]) else int(ligne["annee"])
    libelle = ligne["objectif_libelle"] if not manquant(ligne["objectif_libelle"]) else ""
    return Terme(
        libelle=f"{ligne['partenaire']} : {libelle or ligne['code']}",
        valeur=None if manquant(ligne["valeur"]) else float(ligne["valeur"]),
        unite=str(ligne["unite"]),
        annee=annee,
        periode=periode_ressource(annee, str(ligne["unite"])),
        source=str(ligne["source"]),
        texte=str(ligne["texte"]),
    )


_PAS = {"mensuelle": "mois", "trimestrielle": "trimestres", "semestrielle": "semestres"}


def terme_resultat(ligne: pd.Series) -> Terme:
    """Un résultat annuel (une ligne de `data_access.moyens.read_resultats_annuels`)."""
    annee = int(ligne["annee"])
    valeur = None if manquant(ligne["valeur"]) else float(ligne["valeur"])
    attendues, faites = ligne["nb_attendues"], int(ligne["nb_periodes"])
    complet = manquant(attendues) or faites >= int(attendues)
    if valeur is None:
        periode = f"{annee} : aucune valeur"
    elif ligne["nature"] in ("stock", "taux"):
        periode = f"niveau de fin d'année : {formats.periode(str(ligne['derniere']))}"
    else:
        periode = f"année {annee}"
    if valeur is not None and not complet:
        pas = _PAS.get(str(ligne["periodicite"]), "périodes")
        periode += f", {faites} {pas} sur {int(attendues)}"
    lots = "" if manquant(ligne["lots"]) else str(ligne["lots"])
    source = f"indicateur {ligne['indicateur']} ({ligne['source']})"
    return Terme(
        libelle=str(ligne["libelle"]),
        valeur=valeur,
        unite=str(ligne["unite"]),
        annee=annee,
        periode=periode,
        source=f"{lots} ; {source}" if lots else source,
        complet=complet,
    )


def lieux_des_resultats(ressources: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Pour chaque territoire d'un moyen rapproché présent, les indicateurs de résultat à y lire :
    un moyen départemental se rapproche du résultat départemental. La page et l'édition du
    tableau de bord lisent ainsi les mêmes résultats."""
    codes = set(ressources["code"])
    presents = [r for r in RAPPROCHEMENTS if r.ressource in codes]
    lieux = ressources.set_index("code")["territoire"]
    return {
        str(lieu): tuple(dict.fromkeys(r.indicateur for r in presents
                                       if lieux[r.ressource] == lieu))
        for lieu in dict.fromkeys(lieux[r.ressource] for r in presents)
    }  # fmt: skip


def build_ratios(
    ressources: pd.DataFrame,
    resultats: pd.DataFrame,
    annee: int,
    rapprochements: tuple[Rapprochement, ...] = RAPPROCHEMENTS,
) -> list[tuple[Rapprochement, str, Ratio]]:
    """Les ratios de l'année dont le moyen est présent (type du moyen, ratio), dans l'ordre."""
    resultats = resultats[resultats["annee"] == annee]
    ratios = []
    for r in rapprochements:
        lignes = ressources[ressources["code"] == r.ressource]
        if lignes.empty:
            continue
        trouves = resultats[resultats["indicateur"] == r.indicateur]
        if "territoire" in trouves:  # résultats lus sur le territoire du moyen
            trouves = trouves[trouves["territoire"] == lignes["territoire"].iloc[0]]
        resultat = (
            terme_resultat(trouves.iloc[0])
            if not trouves.empty
            else Terme(r.indicateur, None, "", annee, f"{annee} : aucune valeur", "")
        )
        moyen = terme_ressource(lignes.iloc[0])
        ratio = calculer_ratio(moyen, resultat, libelle=r.libelle, sens=r.sens, unite=r.unite)
        ratios.append((r, str(lignes["type"].iloc[0]), ratio))
    return ratios


# --- Budgets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    libelle: str
    partie: Terme
    tout: Terme
    valeur: float | None
    texte: str  # « au plus 26,7 % »
    explication: str


def build_parts(ressources: pd.DataFrame) -> list[Part]:
    """Part d'une enveloppe (FSE dans les 15 M€) ; « au plus » quand le tout est un minimum."""
    par_code = {str(ligne["code"]): ligne for _, ligne in ressources.iterrows()}
    parts = []
    for code_partie, code_tout, libelle in PARTS:
        if code_partie not in par_code or code_tout not in par_code:
            continue
        partie, tout = terme_ressource(par_code[code_partie]), terme_ressource(par_code[code_tout])
        termes = f"{texte_valeur(partie.valeur, partie.unite)} sur « {tout.texte} »"
        if manquant(partie.valeur) or manquant(tout.valeur) or not tout.valeur:
            parts.append(Part(libelle, partie, tout, None, StatutRatio.NON_RENSEIGNE.value, termes))
            continue
        valeur = 100.0 * float(partie.valeur) / float(tout.valeur)  # type: ignore[arg-type]
        minimum = "plus de" in tout.texte.lower()
        texte = ("au plus " if minimum else "") + formats.pourcentage(valeur)
        explication = f"{termes} ({partie.source} ; {tout.source})." + (
            " L'enveloppe est un minimum (« plus de ») : la part est un maximum." if minimum else ""
        )
        parts.append(Part(libelle, partie, tout, valeur, texte, explication))
    return parts


# --- Tableaux (mêmes chiffres que les graphiques, et leur export CSV) -----------------------


def _texte(x: object) -> str:
    return "" if manquant(x) else str(x)


def _libelle_objectif(ligne: pd.Series) -> str:
    libelle = f"{ligne['objectif']} · {ligne['objectif_libelle']}"
    return libelle + (" (axe entier, à part)" if ligne.get("a_part", False) else "")


def tableau_etp(etp: pd.DataFrame, *, export: bool = False) -> pd.DataFrame:
    """Une ligne par ETP écrit : stratégie, partenaire, ETP et la formulation du document."""
    return pd.DataFrame(
        {
            "Stratégie": [_libelle_objectif(x) for _, x in etp.iterrows()],
            "Partenaire": etp["partenaire"].to_numpy(),
            "ETP": ([formats.arrondi(v, "ETP") for v in etp["valeur"]] if export
                    else [formats.etp(v) for v in etp["valeur"]]),
            "Année": [periode_ressource(a, str(u)) for a, u in zip(etp["annee"], etp["unite"],
                                                                   strict=True)],
            "Formulation du document": etp["texte"].to_numpy(),
            "Source": etp["source"].to_numpy(),
            "Note": [_texte(n) for n in etp["note"]],
        }
    )  # fmt: skip


def tableau_totaux_strategies(totaux: pd.DataFrame) -> pd.DataFrame:
    """Totaux par stratégie et partenaire, formatés (« 1,4 ETP »)."""
    partenaires = [c for c in totaux.columns if c not in ("strategie", "libelle", "axe", "total")]
    tableau = pd.DataFrame(
        {"Stratégie": [f"{c} · {lib}" for c, lib in zip(totaux["strategie"], totaux["libelle"],
                                                        strict=True)]}
    )  # fmt: skip
    for partenaire in [*partenaires, "total"]:
        titre = "Total" if partenaire == "total" else partenaire
        tableau[titre] = [formats.etp(v) for v in totaux[partenaire]]
    return tableau


def tableau_moyens(ressources: pd.DataFrame, noms: dict[str, str] | None = None) -> pd.DataFrame:
    """Moyens (effectifs, budgets, autres ETP) avec formulation, période, source et portée ;
    le territoire par son nom (`noms` : code → nom, « 67 » → « Bas-Rhin »)."""
    noms = noms or {}
    return pd.DataFrame(
        {
            "Code": ressources["code"].to_numpy(),
            "Objet": [_texte(lib) for lib in ressources["objectif_libelle"]],
            "Partenaire": ressources["partenaire"].to_numpy(),
            "Territoire": [noms.get(t, t) + (" (non réparti)" if p == PORTEE_ENGLOBANT else "")
                           for t, p in zip(ressources["territoire"], ressources["portee"],
                                           strict=True)],
            "Valeur": [texte_valeur(v, str(u)) for v, u in zip(ressources["valeur"],
                                                                ressources["unite"], strict=True)],
            "Formulation du document": ressources["texte"].to_numpy(),
            "Période": [periode_ressource(a, str(u)) for a, u in zip(ressources["annee"],
                                                                     ressources["unite"],
                                                                     strict=True)],
            "Source": ressources["source"].to_numpy(),
            "Note": [_texte(n) for n in ressources["note"]],
        }
    )  # fmt: skip


def tableau_ratios(ratios: list[Ratio], *, export: bool = False) -> pd.DataFrame:
    """Chaque ratio avec ses deux termes, leurs périodes et leurs sources, dans l'ordre donné."""
    lignes = []
    for r in ratios:
        m, x = r.moyen, r.resultat
        lignes.append({
            "Rapprochement": r.libelle,
            "Moyen": formats.arrondi(m.valeur, m.unite) if export else texte_valeur(m.valeur,
                                                                                     m.unite),
            "Unité du moyen": m.unite,
            "Formulation du document": m.texte,
            "Période du moyen": m.periode,
            "Source du moyen": m.source,
            "Résultat": formats.arrondi(x.valeur, x.unite) if export else texte_valeur(
                x.valeur, x.unite),
            "Unité du résultat": x.unite,
            "Période du résultat": x.periode,
            "Source du résultat": x.source,
            "Ratio": valeur_ratio(r) if export else texte_ratio(r),
            "Unité du ratio": r.unite,
            "Lecture": r.mention,
        })  # fmt: skip
    tableau = pd.DataFrame(lignes)
    if not export and not tableau.empty:
        tableau = tableau.drop(columns=["Unité du moyen", "Unité du résultat", "Unité du ratio"])
    return tableau


def _lignes_convention(
    etp: pd.DataFrame, indicateurs: pd.DataFrame, resultats: pd.DataFrame, annee: int
) -> list[tuple[pd.Series, str, str, Ratio]]:
    """Par indicateur de la convention : (indicateur, stratégies de son axe, ETP de l'axe en
    texte, ratio résultat par ETP de l'axe)."""
    lignes = []
    for _, ind in indicateurs.iterrows():
        de_l_axe = etp[etp["axe_de_la_ligne"] == ind["objectif"]]
        strategies = de_l_axe[~de_l_axe["a_part"]]
        total, a_part = strategies["valeur"].sum(), de_l_axe.loc[de_l_axe["a_part"], "valeur"].sum()
        texte_etp = formats.etp(_arrondi(total)) + (
            f" (ou {formats.etp(_arrondi(total + a_part))} avec l'ETP écrit pour l'axe entier)"
            if a_part else "")  # fmt: skip
        trouves = resultats[
            (resultats["indicateur"] == ind["code"]) & (resultats["annee"] == annee)
        ]
        resultat = (terme_resultat(trouves.iloc[0]) if not trouves.empty
                    else Terme(str(ind["code"]), None, str(ind["unite"]), annee,
                               f"{annee} : aucune valeur", ""))  # fmt: skip
        moyen = Terme("ETP de l'axe", _arrondi(total), "ETP", annee, str(annee), "")
        unite = f"{ind['unite']} par ETP"
        ratio = calculer_ratio(moyen, resultat, libelle=str(ind["code"]),
                               sens=Sens.RESULTAT_PAR_MOYEN, unite=unite)  # fmt: skip
        codes = ", ".join(strategies["objectif"].drop_duplicates())
        lignes.append((ind, codes, texte_etp, ratio))
    return lignes


def tableau_convention(
    etp: pd.DataFrame, indicateurs: pd.DataFrame, resultats: pd.DataFrame, annee: int
) -> pd.DataFrame:
    """Par axe de la convention : ses stratégies, leurs ETP, ses indicateurs et leur résultat
    de l'année. Les indicateurs sont fixés par axe (la convention ne les rattache à aucune
    stratégie) : le ratio se fait sur les ETP de l'axe."""
    return pd.DataFrame([
        {
            "Axe": ind["objectif"],
            "Stratégies": strategies,
            "ETP de l'axe": texte_etp,
            "Indicateur": f"{ind['code']} · {ind['libelle']}",
            f"Résultat {annee}": texte_valeur(ratio.resultat.valeur, ratio.resultat.unite),
            f"Cible {annee}": _texte_cible(ind),
            "Résultat par ETP": ("sans objet (un taux ne se divise pas par des ETP)"
                                 if ind["nature"] == "taux" else texte_ratio(ratio)),
            "Source": ind["source"],
        }
        for ind, strategies, texte_etp, ratio in _lignes_convention(etp, indicateurs, resultats,
                                                                    annee)
    ])  # fmt: skip


def _texte_cible(ind: pd.Series) -> str:
    if manquant(ind["cible"]):
        return "aucune cible écrite"
    texte = texte_valeur(float(ind["cible"]), str(ind["unite"]))
    if not manquant(ind["libelle_cible"]):
        texte += f" (« {ind['libelle_cible']} »)"
    return texte


COLONNES_POINTS = {
    "libelle": "string", "moyen": "float64", "resultat": "float64", "valeur": "float64",
    "ratio": "string", "moyen_texte": "string", "resultat_texte": "string", "choisie": "bool",
}  # fmt: skip


def _point(libelle: str, ratio: Ratio, choisie: bool) -> tuple[object, ...]:
    m, x = ratio.moyen, ratio.resultat
    return (libelle, m.valeur, x.valeur, ratio.valeur, texte_ratio(ratio),
            texte_valeur(m.valeur, m.unite), texte_valeur(x.valeur, x.unite), choisie)  # fmt: skip


def points_ratio_annuel(
    ressources: pd.DataFrame, resultats: pd.DataFrame, rapprochement: Rapprochement, annee: int
) -> pd.DataFrame:
    """Le ratio d'un rapprochement année par année (`libelle` = l'année), l'année choisie en
    avant ; seules les années où il se calcule. Avec un seul effectif connu (19 conseillers,
    non daté), un nuage effectif × placements n'aurait qu'une abscisse : ce sont les années qui
    font les points, jamais des personnes."""
    points = [
        _point(str(an), ratio, an == annee)
        for an in sorted(int(a) for a in resultats["annee"].dropna().unique())
        for _, _, ratio in build_ratios(ressources, resultats, an, (rapprochement,))
        if ratio.valeur is not None
    ]
    return pd.DataFrame(points, columns=list(COLONNES_POINTS)).astype(COLONNES_POINTS)


def tableau_points(points: pd.DataFrame) -> pd.DataFrame:
    """Les points d'un ratio année par année en tableau : l'alternative au graphique."""
    return pd.DataFrame({
        "Année": points["libelle"].to_numpy(),
        "Moyen": points["moyen_texte"].to_numpy(),
        "Résultat": points["resultat_texte"].to_numpy(),
        "Ratio": points["ratio"].to_numpy(),
    })  # fmt: skip


def points_convention(
    etp: pd.DataFrame, indicateurs: pd.DataFrame, resultats: pd.DataFrame, annee: int
) -> pd.DataFrame:
    """Résultat contre ETP de l'axe, un point par indicateur renseigné (hors taux)."""
    points = [
        _point(str(ind["code"]), ratio, True)
        for ind, _, _, ratio in _lignes_convention(etp, indicateurs, resultats, annee)
        if ratio.valeur is not None and ind["nature"] != "taux"
    ]
    return pd.DataFrame(points, columns=list(COLONNES_POINTS)).astype(COLONNES_POINTS)


def tableau_normes(normes: pd.DataFrame, noms: dict[str, str] | None = None) -> pd.DataFrame:
    """Normes de la fiche 5.2.14 : valeur, territoire (par son nom), formulation, source, note."""
    noms = noms or {}
    return pd.DataFrame({
        "Norme": normes["libelle"].to_numpy(),
        "Valeur": [texte_valeur(v, str(u)) for v, u in zip(normes["valeur"], normes["unite"],
                                                            strict=True)],
        "Territoire": [noms.get(str(t), str(t)) if not manquant(t) else ""
                       for t in normes["territoire"]],
        "Formulation du document": normes["texte"].to_numpy(),
        "Source": normes["source"].to_numpy(),
        "Note": [_texte(n) for n in normes["note"]],
    })  # fmt: skip


def derniere_annee_renseignee(resultats: pd.DataFrame) -> int | None:
    """La dernière année où un résultat a une valeur : l'indiquer quand l'année choisie n'en a
    aucune évite de croire à une absence de résultats."""
    annees = resultats.loc[resultats["valeur"].notna(), "annee"] if "valeur" in resultats else []
    return int(max(annees)) if len(annees) else None


# --- Ce que nos moyens produisent, par territoire d'action ---------------------------------

OBJECTIF_TERRITOIRES = "OO2"
INDICATEUR_TERRITOIRES = "OO2-S.1"
UNITE_RATIO_TERRITOIRES = "retours à l'emploi par ETP"
TYPES_TERRITOIRES = ("etp",)
LECTURE_TERRITOIRES = (
    "ETP : les moyens datés rattachés à l'objectif OO2 (accès à l'emploi) de chaque territoire "
    "d'action ou de ses cantons. Résultat : les retours à l'emploi (indicateur OO2-S.1) de "
    "l'année, somme des trimestres importés. Le ratio décrit, il ne juge pas : un retour à "
    "l'emploi doit aussi à Pôle emploi, aux structures d'insertion, aux entreprises et aux "
    "personnes elles-mêmes (fiche 5.2.10 du PDIE : les résultats sont collectifs)."
)

COLONNES_TERRITOIRES = {
    "territoire": "string", "nom": "string", "annee": "Int64", "etp": "float64",
    "etp_texte": "string", "source_etp": "string", "budget": "float64", "budget_texte": "string",
    "resultat": "float64", "resultat_texte": "string", "periode_resultat": "string",
    "source_resultat": "string", "ratio": "float64", "ratio_texte": "string",
    "lecture": "string", "choisie": "bool",
}  # fmt: skip


def _somme_par_territoire(
    ressources: pd.DataFrame, type_: str, rattachement: dict[str, str]
) -> dict[tuple[str, int], tuple[float, list[str]]]:
    """(territoire d'action, année) → (somme des moyens de ce type rattachés à OO2, sources)."""
    lignes = ressources[
        (ressources["type"] == type_)
        & (ressources["objectif"] == OBJECTIF_TERRITOIRES)
        & ressources["annee"].notna()
        & ressources["valeur"].notna()
        & ressources["territoire"].isin(list(rattachement))
    ]
    sommes: dict[tuple[str, int], tuple[float, list[str]]] = {}
    colonnes = ("territoire", "annee", "valeur", "source")
    for lieu, annee, valeur, source in zip(*(lignes[c] for c in colonnes), strict=True):
        cle = (rattachement[str(lieu)], int(annee))
        total, sources = sommes.get(cle, (0.0, []))
        sommes[cle] = (total + float(valeur), [*sources, str(source)])
    return sommes


def points_territoires(
    ressources: pd.DataFrame,
    resultats: pd.DataFrame,
    noms: dict[str, str],
    rattachement: dict[str, str],
    annee: int | None,
) -> pd.DataFrame:
    """Une ligne par territoire d'action et par année où il a des ETP (rattachés à OO2) : ses
    ETP, son budget de l'année s'il est écrit, ses retours à l'emploi, leurs sources et le ratio
    descriptif. `noms` : code → nom des territoires d'action à montrer, dans l'ordre ;
    `rattachement` : territoire d'action ou canton → son territoire d'action ; `resultats` :
    `read_resultats_annuels` de l'indicateur, avec une colonne `territoire` ; `annee` : l'année
    choisie (`choisie`), None pour aucune (`choisir_annee` la pose ensuite)."""
    etp = _somme_par_territoire(ressources, "etp", rattachement)
    budgets = _somme_par_territoire(ressources, "budget", rattachement)
    par_lieu = {(str(x["territoire"]), int(x["annee"])): x for x in resultats.to_dict("records")}
    lignes = []
    for (lieu, an), (total, sources) in sorted(etp.items(), key=lambda x: (list(noms).index(
            x[0][0]) if x[0][0] in noms else len(noms), x[0][1])):  # fmt: skip
        if lieu not in noms:
            continue
        trouve = par_lieu.get((lieu, an))
        resultat = (
            terme_resultat(pd.Series(trouve))
            if trouve is not None
            else Terme(INDICATEUR_TERRITOIRES, None, "", an, f"{an} : aucune valeur", "")
        )
        source = "; ".join(dict.fromkeys(sources))
        moyen = Terme("ETP", _arrondi(total), "ETP", an, str(an), source)
        ratio = calculer_ratio(
            moyen, resultat, libelle=noms[lieu], sens=Sens.RESULTAT_PAR_MOYEN,
            unite=UNITE_RATIO_TERRITOIRES,
        )  # fmt: skip
        budget = budgets.get((lieu, an))
        lignes.append((
            lieu, noms[lieu], an, moyen.valeur, formats.etp(moyen.valeur), moyen.source,
            None if budget is None else _arrondi(budget[0]),
            "non écrit" if budget is None else texte_valeur(budget[0], "€"),
            resultat.valeur, texte_valeur(resultat.valeur, resultat.unite), resultat.periode,
            resultat.source, ratio.valeur, texte_ratio(ratio), ratio.mention, an == annee,
        ))  # fmt: skip
    return pd.DataFrame(lignes, columns=list(COLONNES_TERRITOIRES)).astype(COLONNES_TERRITOIRES)


def choisir_annee(points: pd.DataFrame, annee: int) -> pd.DataFrame:
    """Les mêmes points, l'année choisie marquée : seul ce drapeau change avec l'année."""
    return points.assign(choisie=(points["annee"] == annee).fillna(False).astype(bool))


def tableau_territoires(points: pd.DataFrame, *, export: bool = False) -> pd.DataFrame:
    """Les points d'une année : les deux termes, leurs sources et le ratio, par territoire."""
    return pd.DataFrame({
        "Territoire d'action": points["nom"].to_numpy(),
        "ETP": (points["etp"].map(lambda v: formats.arrondi(v, "ETP")) if export
                else points["etp_texte"]).to_numpy(),
        "Source des ETP": points["source_etp"].to_numpy(),
        "Retours à l'emploi": (points["resultat"] if export
                               else points["resultat_texte"]).to_numpy(),
        "Période du résultat": points["periode_resultat"].to_numpy(),
        "Source du résultat": points["source_resultat"].to_numpy(),
        "Retours à l'emploi par ETP (descriptif)": (
            points["ratio"].map(lambda v: formats.arrondi_decimales(v, 1)) if export
            else points["ratio_texte"]).to_numpy(),
        "Budget d'accès à l'emploi": (points["budget"] if export
                                      else points["budget_texte"]).to_numpy(),
    })  # fmt: skip


def phrase_territoires(points: pd.DataFrame, annee: int) -> str:
    """La lecture de l'année en une phrase par territoire, sans classement."""
    de_l_annee = points[points["choisie"]]
    if de_l_annee.empty:
        return f"Aucun ETP rattaché à l'accès à l'emploi n'est écrit pour {annee}."
    termes = zip(
        de_l_annee["nom"], de_l_annee["etp_texte"], de_l_annee["resultat_texte"], strict=True
    )
    parties = [f"{n} : {e} pour {r}" for n, e, r in termes]
    return f"En {annee}, " + " ; ".join(parties) + "."
