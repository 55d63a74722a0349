"""Moyens (ETP, effectifs, budgets), normes par ETP et résultats annuels à mettre en regard.

Les moyens sont des données, pas du code : ceux des documents viennent du référentiel
(`config/referentiel/ressources.csv`, lot vide) ; d'autres entrent par un fichier de ressources
(format : `config/referentiel/FORMAT_RESSOURCES.md`), lu et validé par
`read_fichier_ressources` sans rien écrire, puis écrit par `write_ressources` dans la transaction
de l'appelant. Chaque moyen garde sa formulation exacte (`texte`) : les ETP du Département sont
« estimés », écrits sans unité ou avec un point décimal, et doivent être montrés tels quels.

Le périmètre d'un utilisateur s'applique ici comme dans `series` : un élu du NORD ne lit que les
moyens du NORD, de ses cantons et du département.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, and_, func, select

from data_access import agregation, periodes, progression, schema, territoires
from data_access.cadres import en_cadre
from data_access.fichiers_config import ErreurReferentiel
from data_access.lots import Comptes
from data_access.perimetre import autorises
from data_access.perimetre import verifier as verifier_perimetre

TYPES = ("etp", "effectif", "budget")
PORTEE_PROPRE = "propre"  # moyen du territoire choisi (ou d'un territoire qu'il contient)
PORTEE_ENGLOBANT = "englobant"  # moyen d'un territoire qui contient le territoire choisi

COLONNES_RESSOURCES = {
    "code": "string",
    "type": "string",
    "objectif": "string",
    "objectif_libelle": "string",
    "objectif_niveau": "string",  # strategie, axe, os…, « action », vide
    "axe": "string",  # parent de l'objectif (l'axe d'une stratégie de la convention MDE)
    "plan": "string",
    "rang": "Int64",
    "partenaire": "string",
    "territoire": "string",
    "annee": "Int64",
    "valeur": "float64",
    "unite": "string",
    "texte": "string",
    "source": "string",
    "note": "string",
    "lot": "Int64",
    "portee": "string",
}

COLONNES_NORMES = {
    "code": "string",
    "libelle": "string",
    "valeur": "float64",
    "unite": "string",
    "territoire": "string",
    "texte": "string",
    "source": "string",
    "note": "string",
}

COLONNES_INDICATEURS = {
    "code": "string",
    "libelle": "string",
    "objectif": "string",
    "nature": "string",
    "unite": "string",
    "source": "string",
    "cible": "float64",
    "valeur_reference": "float64",
    "libelle_cible": "string",
}

# Une ligne par indicateur et par année : `valeur` vide quand rien n'est renseigné (jamais 0).
COLONNES_RESULTATS = {
    "indicateur": "string",
    "libelle": "string",
    "nature": "string",
    "unite": "string",
    "periodicite": "string",
    "source": "string",
    "annee": "Int64",
    "valeur": "float64",
    "nb_periodes": "Int64",
    "nb_attendues": "Int64",  # vide quand l'indicateur n'a pas de périodicité écrite
    "derniere": "string",
    "lots": "string",
}

COLONNES_FICHIER = {
    "code": "string",
    "type": "string",
    "objectif": "string",
    "partenaire": "string",
    "territoire": "string",
    "annee": "Int64",
    "valeur": "float64",
    "unite": "string",
    "texte": "string",
    "source": "string",
    "note": "string",
}
OBLIGATOIRES = tuple(c for c in COLONNES_FICHIER if c != "note")
UNITES_PAR_TYPE = {"etp": {"ETP"}, "budget": {"€", "€/an"}}
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,47}")
_COMPAREES = [c for c in COLONNES_FICHIER if c != "code"]
# Textes libres qui reviennent dans les exports (CSV, XLSX) : une cellule qui commence comme une
# formule de tableur (« =HYPERLINK(…) », « @SUM », « -2+3 ») y serait exécutée à l'ouverture.
_TEXTES = ("objectif", "partenaire", "texte", "source", "note")
_FORMULE = re.compile(r"[=@]|[+-][^\s]")
_Signaler = Callable[[str, str], None]  # (colonne, message) : note une erreur de la ligne


# --- Lectures --------------------------------------------------------------------------------


def _ascendance(parents: dict[str, str | None], code: str) -> list[str]:
    """`code` puis ses parents successifs jusqu'au département."""
    chaine: list[str] = []
    courant: str | None = code
    while courant is not None and courant not in chaine:
        chaine.append(courant)
        courant = parents.get(courant)
    return chaine


def _portees(tous: pd.DataFrame, territoire: str) -> dict[str, str]:
    """Territoires dont les moyens concernent `territoire` : lui et ce qu'il contient (propres),
    ses ancêtres (englobants : moyens départementaux non répartis entre territoires)."""
    parents = {
        str(c): None if pd.isna(p) else str(p)
        for c, p in zip(tous["code"], tous["parent"], strict=True)
    }
    portees = {c: PORTEE_PROPRE for c in parents if territoire in _ascendance(parents, c)}
    for ancetre in _ascendance(parents, territoire)[1:]:
        portees[ancetre] = PORTEE_ENGLOBANT
    return portees


def read_ressources(
    conn: Connection,
    *,
    types: Sequence[str] = TYPES,
    annee: int | None = None,
    territoire: str = territoires.DEPARTEMENT,
    perimetre: str | None = None,
) -> pd.DataFrame:
    """Moyens, dans l'ordre des objectifs puis des fichiers, avec leur formulation exacte.

    `annee` : ceux de cette année **et** ceux sans année (« par an », « actuellement »), que
    l'appelant doit étiqueter comme non datés. `territoire` : ceux du territoire et de ce qu'il
    contient (`portee` « propre ») et ceux des territoires qui le contiennent (« englobant »).
    `perimetre` : seuls les territoires lisibles par l'utilisateur ; `territoire` hors de lui :
    HorsPerimetre.
    """
    tous = territoires.read_territoires(conn)
    verifier_perimetre(tous, territoire, perimetre)
    r, o, a = schema.ressource, schema.objectif, schema.action
    jointes = r.outerjoin(o, o.c.code == r.c.objectif).outerjoin(a, a.c.code == r.c.objectif)
    requete = (
        select(r.c.code, r.c.type, r.c.objectif,
               func.coalesce(o.c.libelle, a.c.libelle).label("objectif_libelle"),
               o.c.niveau.label("objectif_niveau"), a.c.code.label("action"),
               o.c.parent.label("axe"), o.c.plan, o.c.rang, r.c.partenaire, r.c.territoire,
               r.c.annee, r.c.valeur, r.c.unite, r.c.texte, r.c.source, r.c.note, r.c.lot)
        .select_from(jointes)
        .where(r.c.type.in_(list(types)))
        .order_by(o.c.plan.is_(None), o.c.plan, o.c.rang, r.c.objectif, r.c.id)
    )  # fmt: skip
    if annee is not None:
        requete = requete.where((r.c.annee == annee) | r.c.annee.is_(None))
    lignes = [dict(x) for x in conn.execute(requete).mappings()]
    for ligne in lignes:
        if ligne.pop("action") is not None:
            ligne["objectif_niveau"] = "action"
    cadre = en_cadre([], COLONNES_RESSOURCES) if not lignes else pd.DataFrame(lignes)
    portees = _portees(tous, territoire)
    permis = autorises(tous, perimetre)
    cadre["portee"] = cadre["territoire"].map(portees)
    cadre = cadre[cadre["portee"].notna() & cadre["territoire"].isin(permis)]
    return cadre.reindex(columns=list(COLONNES_RESSOURCES)).astype(COLONNES_RESSOURCES)


def read_normes(
    conn: Connection, *, territoire: str = territoires.DEPARTEMENT, perimetre: str | None = None
) -> pd.DataFrame:
    """Normes « résultat par ETP » (fiche 5.2.14) qui valent pour `territoire` : les siennes, celles
    des territoires qu'il contient et celles du département (toutes pour le département)."""
    n = schema.norme
    cadre = en_cadre(
        conn.execute(select(*(n.c[c] for c in COLONNES_NORMES)).order_by(n.c.code)),
        COLONNES_NORMES,
    )
    tous = territoires.read_territoires(conn)
    verifier_perimetre(tous, territoire, perimetre)
    permis = autorises(tous, perimetre) | {""}
    lieux = set(_portees(tous, territoire)) | {""}
    garder = cadre["territoire"].fillna("").isin(lieux & permis)
    return cadre[garder].reset_index(drop=True)


def read_annees(conn: Connection) -> list[int]:
    """Années à proposer : celles des moyens datés et celles couvertes par des valeurs."""
    r, v = schema.ressource, schema.valeur
    annees = {int(a) for (a,) in conn.execute(select(r.c.annee).distinct()) if a is not None}
    debut, fin = conn.execute(
        select(func.min(v.c.debut), func.max(v.c.fin)).where(v.c.courante)
    ).one()
    if debut and fin:
        annees |= set(range(int(str(debut)[:4]), int(str(fin)[:4]) + 1))
    return sorted(annees)


def read_annees_rapprochables(
    conn: Connection, *, types: Sequence[str], indicateurs: Sequence[str]
) -> list[int]:
    """Années qui ont à la fois des moyens datés de ces types et une valeur en vigueur de l'un
    de ces indicateurs : celles où un moyen se met en face d'un résultat. La page s'ouvre sur la
    dernière (une année de moyens sans résultats, comme 2020 pour la convention MDE, n'a rien à
    montrer en face)."""
    r, v = schema.ressource, schema.valeur
    moyens_dates = {
        int(a)
        for (a,) in conn.execute(
            select(r.c.annee).where(r.c.type.in_(list(types)), r.c.annee.is_not(None)).distinct()
        )
    }
    annee = func.substr(v.c.debut, 1, 4)
    resultats = {
        int(a)
        for (a,) in conn.execute(
            select(annee).where(v.c.courante, v.c.indicateur.in_(list(indicateurs))).distinct()
        )
    }
    return sorted(moyens_dates & resultats)


def read_indicateurs_objectifs(
    conn: Connection, *, objectifs: Sequence[str], territoire: str, annee: int
) -> pd.DataFrame:
    """Indicateurs rattachés à ces objectifs (les axes de la convention MDE), avec leur cible de
    l'année pour ce territoire quand il y en a une (« passer de 100 à 200 »)."""
    i, c = schema.indicateur, schema.cible
    jointure = and_(c.c.indicateur == i.c.code, c.c.territoire == territoire,
                    c.c.periode == str(annee))  # fmt: skip
    requete = (
        select(i.c.code, i.c.libelle, i.c.objectif, i.c.nature, i.c.unite, i.c.source,
               c.c.valeur.label("cible"), c.c.valeur_reference, c.c.libelle.label("libelle_cible"))
        .select_from(i.outerjoin(c, jointure))
        .where(i.c.objectif.in_(list(objectifs)))
        .order_by(i.c.rang)
    )  # fmt: skip
    return en_cadre(conn.execute(requete), COLONNES_INDICATEURS)


def _lots_par_indicateur(
    conn: Connection, indicateurs: Sequence[str], annees: Sequence[int], jusqu_a: str | None
) -> dict[tuple[str, int], str]:
    """Libellés des lots d'où viennent les valeurs, par indicateur et année : la source des
    résultats, à montrer à côté de chaque ratio (bornée comme eux par `jusqu_a`)."""
    v, lot = schema.valeur, schema.lot_import
    annee = func.substr(v.c.debut, 1, 4)
    requete = (
        select(v.c.indicateur, annee.label("annee"), lot.c.libelle)
        .distinct()
        .join(lot, lot.c.id == v.c.lot)
        .where(v.c.courante, v.c.indicateur.in_(list(indicateurs)),
               annee.in_([str(a) for a in annees]))
        .order_by(v.c.indicateur, annee, lot.c.libelle)
    )  # fmt: skip
    if jusqu_a is not None:
        requete = requete.where(v.c.fin <= jusqu_a)
    resultat: dict[tuple[str, int], list[str]] = {}
    for ind, an, libelle in conn.execute(requete):
        resultat.setdefault((str(ind), int(an)), []).append(str(libelle))
    return {cle: ", ".join(libelles) for cle, libelles in resultat.items()}


def read_resultats_annuels(
    conn: Connection,
    *,
    indicateurs: Sequence[str],
    territoire: str,
    annees: Sequence[int],
    perimetre: str | None = None,
    jusqu_a: str | None = None,
) -> pd.DataFrame:
    """Résultat de chaque indicateur sur chaque année, selon sa nature : somme des périodes pour
    un flux ou un montant, dernier niveau de l'année pour un stock ou un taux (jamais cumulé).

    `nb_periodes` / `nb_attendues` disent si l'année est complète (12 mois, 4 trimestres…) ;
    une année sans valeur a une ligne avec `valeur` vide. Hors `perimetre` : HorsPerimetre.
    `jusqu_a` (AAAA-MM) : seules les périodes closes ce mois-là au plus tard comptent, comme
    on les connaissait alors (une édition du tableau de bord ne montre rien de plus tardif).
    """
    series = progression.read_series(
        conn, indicateurs=list(indicateurs), territoire=territoire, perimetre=perimetre
    )
    if jusqu_a is not None:
        series = series[series["fin"] <= jusqu_a]
    i = schema.indicateur
    fiches = conn.execute(
        select(i.c.code, i.c.libelle, i.c.nature, i.c.unite, i.c.periodicite, i.c.source)
        .where(i.c.code.in_(list(indicateurs)))
    ).mappings()  # fmt: skip
    lots = _lots_par_indicateur(conn, indicateurs, annees, jusqu_a)
    series = series.assign(annee=series["debut"].str[:4].astype("int64"))
    lignes = []
    for fiche in sorted(fiches, key=lambda f: list(indicateurs).index(f["code"])):
        propres = series[(series["indicateur"] == fiche["code"]) & series["valeur"].notna()]
        for annee in annees:
            lignes.append(_resultat_annuel(dict(fiche), propres[propres["annee"] == annee], annee)
                          | {"lots": lots.get((fiche["code"], annee), "")})  # fmt: skip
    return en_cadre(
        [tuple(ligne[c] for c in COLONNES_RESULTATS) for ligne in lignes], COLONNES_RESULTATS
    )


def _resultat_annuel(
    fiche: dict[str, object], valeurs: pd.DataFrame, annee: int
) -> dict[str, object]:
    valeurs = valeurs.sort_values("debut")
    periodicite = fiche["periodicite"]
    attendues = 12 // periodes.Periodicite(str(periodicite)).mois if periodicite else None
    return {
        "indicateur": fiche["code"], "libelle": fiche["libelle"], "nature": fiche["nature"],
        "unite": fiche["unite"], "periodicite": periodicite, "source": fiche["source"],
        "annee": annee,
        "valeur": agregation.cumule(valeurs["valeur"], nature=str(fiche["nature"])),
        "nb_periodes": len(valeurs), "nb_attendues": attendues,
        "derniere": None if valeurs.empty else str(valeurs["periode"].iloc[-1]),
    }  # fmt: skip


# --- Fichier de ressources --------------------------------------------------------------------


@dataclass(frozen=True)
class _Contexte:
    """Ce que la validation sait de la base (codes connus), vide sans connexion."""

    territoires: Collection[str] | None = None
    objectifs: Collection[str] | None = None
    codes_referentiel: Collection[str] = ()


def _contexte(conn: Connection | None) -> _Contexte:
    if conn is None:
        return _Contexte()
    o, a, r = schema.objectif, schema.action, schema.ressource
    objectifs = {str(c) for (c,) in conn.execute(select(o.c.code))}
    objectifs |= {str(c) for (c,) in conn.execute(select(a.c.code))}
    codes = {str(c) for (c,) in conn.execute(select(r.c.code).where(r.c.lot.is_(None)))}
    t = schema.territoire
    return _Contexte({str(c) for (c,) in conn.execute(select(t.c.code))}, objectifs, codes)


def _decoder(brut: bytes) -> str | None:
    """UTF-8 (avec ou sans BOM), sinon Windows-1252 : ce qu'écrit Excel en français. None pour
    un contenu qui n'est pas du texte (octets nuls, classeur zippé, octets hors Windows-1252)."""
    if b"\x00" in brut or brut.startswith(b"PK\x03\x04"):
        return None
    try:
        return brut.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return brut.decode("cp1252")
    except UnicodeDecodeError:
        return None


def read_fichier_ressources(
    chemin: Path, *, conn: Connection | None = None
) -> tuple[pd.DataFrame, list[ErreurReferentiel]]:
    """`read_contenu_ressources` sur un fichier du disque (introuvable : une erreur), lignes
    numérotées à partir de 0."""
    if not chemin.exists():
        return en_cadre([], COLONNES_FICHIER), [
            ErreurReferentiel(chemin.name, None, None, "fichier introuvable")
        ]
    cadre, erreurs = read_contenu_ressources(chemin.name, chemin.read_bytes(), conn=conn)
    return cadre.reset_index(drop=True), erreurs


def read_contenu_ressources(
    nom: str, contenu: bytes, *, conn: Connection | None = None
) -> tuple[pd.DataFrame, list[ErreurReferentiel]]:
    """Lit et valide le contenu d'un fichier de ressources ; n'écrit rien.

    Renvoie les lignes (colonnes `COLONNES_FICHIER`, indexées par leur numéro de ligne dans le
    fichier, pour l'aperçu) et **toutes** les erreurs, chacune avec le
    fichier, la ligne et la colonne. Dès qu'il y a une erreur, le cadre rendu est vide : un
    fichier en partie faux ne peut pas être écrit à moitié. Avec `conn`, les codes de territoire
    et d'objectif sont vérifiés dans le référentiel (lecture seule). Un contenu qui n'est pas du
    texte CSV (classeur, binaire) ou qu'on ne sait pas découper est refusé par une erreur, jamais
    par une exception : le fichier vient de quelqu'un, pas du dépôt.
    """
    vide = en_cadre([], COLONNES_FICHIER)
    texte = _decoder(contenu)
    if texte is None:
        return vide, [ErreurReferentiel(nom, None, None, "fichier illisible : texte CSV attendu "
                                        "(UTF-8 ou Windows-1252, séparateur « ; »), pas un "
                                        "classeur ni un fichier binaire")]  # fmt: skip
    try:
        return _lire_ressources(nom, texte, conn)
    except csv.Error as exc:
        return vide, [ErreurReferentiel(nom, None, None, f"fichier CSV mal formé ({exc})")]


def _lire_ressources(
    nom: str, texte: str, conn: Connection | None
) -> tuple[pd.DataFrame, list[ErreurReferentiel]]:
    vide = en_cadre([], COLONNES_FICHIER)
    lecteur = csv.DictReader(io.StringIO(texte, newline=""), delimiter=";")
    entete = [c.strip() for c in (lecteur.fieldnames or [])]
    erreurs = _verifier_entete(nom, entete)
    if erreurs:
        return vide, erreurs
    contexte, lignes, numeros = _contexte(conn), [], []
    vus: dict[object, int] = {}  # code -> première ligne où il paraît
    for champs in lecteur:
        numero = lecteur.line_num  # ligne du fichier : le lecteur saute les lignes vides
        if None in champs:  # plus de champs que de colonnes : la ligne est décalée
            erreurs.append(ErreurReferentiel(nom, numero, None, "plus de champs que de colonnes "
                                             "dans l'en-tête (un « ; » en trop ?)"))  # fmt: skip
            continue
        propres = {(k or "").strip(): (v or "").strip() for k, v in champs.items()}
        if not any(propres.values()):
            continue  # ligne vide (souvent la dernière d'un export Excel)
        ligne, erreurs_ligne = _valider_ligne(nom, numero, propres, contexte)
        erreurs += erreurs_ligne
        premier = vus.setdefault(ligne["code"], numero) if ligne["code"] else numero
        if premier != numero:
            erreurs.append(
                ErreurReferentiel(
                    nom, numero, "code", f"code « {ligne['code']} » déjà présent ligne {premier}"
                )
            )
        lignes.append(ligne)
        numeros.append(numero)
    if not lignes and not erreurs:
        erreurs.append(ErreurReferentiel(nom, None, None, "fichier vide : aucune ligne de données"))
    if erreurs:
        return vide, erreurs
    cadre = pd.DataFrame(lignes, columns=list(COLONNES_FICHIER), index=numeros)
    return cadre.astype(COLONNES_FICHIER), []  # indexé par numéro de ligne du fichier


def _verifier_entete(nom: str, entete: list[str]) -> list[ErreurReferentiel]:
    if len(entete) == 1 and "," in entete[0]:
        return [ErreurReferentiel(nom, 1, None, "séparateur « ; » attendu (lu « , »)")]
    erreurs = [
        ErreurReferentiel(nom, 1, c, "colonne obligatoire absente de l'en-tête")
        for c in OBLIGATOIRES
        if c not in entete
    ]
    erreurs += [
        ErreurReferentiel(nom, 1, c or "(sans nom)", "colonne inconnue")
        for c in entete
        if c not in COLONNES_FICHIER
    ]
    return erreurs


def _valider_ligne(
    nom: str, numero: int, champs: dict[str, str], contexte: _Contexte
) -> tuple[dict[str, object], list[ErreurReferentiel]]:
    """Une ligne convertie (None là où la valeur est fausse) et ses erreurs."""
    erreurs: list[ErreurReferentiel] = []

    def erreur(colonne: str, message: str) -> None:
        erreurs.append(ErreurReferentiel(nom, numero, colonne, message))

    ligne: dict[str, object] = {c: champs.get(c, "") for c in COLONNES_FICHIER}
    for colonne in ("code", "type", "partenaire", "territoire", "valeur", "unite", "texte",
                    "source"):  # fmt: skip
        if not ligne[colonne]:
            erreur(colonne, "valeur obligatoire manquante")
    for colonne in _TEXTES:
        if _FORMULE.match(str(ligne[colonne])):
            erreur(colonne, f"formule refusée ({_cite(str(ligne[colonne]))}) : un tableur "
                            "l'exécuterait ; écrivez le texte sans « = », « + », « - » ou "
                            "« @ » en tête")  # fmt: skip
    code, type_ = str(ligne["code"]), str(ligne["type"])
    if code and not _CODE.fullmatch(code):
        erreur(
            "code", f"code invalide « {code} » (lettres, chiffres, . _ -, 48 caractères au plus)"
        )
    elif code in contexte.codes_referentiel:
        erreur("code", f"le code « {code} » appartient au référentiel (ressources.csv)")
    if type_ and type_ not in TYPES:
        erreur("type", f"« {type_} » inconnu (permis : {', '.join(TYPES)})")
    unites = UNITES_PAR_TYPE.get(type_)
    if ligne["unite"] and unites and ligne["unite"] not in unites:
        erreur("unite", f"unité « {ligne['unite']} » impossible pour le type {type_} "
                        f"(permis : {', '.join(sorted(unites))})")  # fmt: skip
    _valider_codes(ligne, contexte, erreur)
    ligne["annee"] = _annee(str(ligne["annee"]), erreur)
    ligne["valeur"] = _valeur(str(ligne["valeur"]), erreur)
    ligne["note"] = ligne["note"] or ""
    return ligne, erreurs


def _valider_codes(ligne: dict[str, object], contexte: _Contexte, erreur: _Signaler) -> None:
    territoire, objectif = str(ligne["territoire"]), str(ligne["objectif"])
    if territoire and contexte.territoires is not None and territoire not in contexte.territoires:
        erreur("territoire", f"territoire inconnu « {territoire} » (67, NORD, OUEST, EMS, SUD "
                             "ou un code de canton)")  # fmt: skip
    if objectif and contexte.objectifs is not None and objectif not in contexte.objectifs:
        erreur("objectif", f"objectif ou action inconnu « {objectif} »")


def _cite(texte: str) -> str:
    return texte if len(texte) <= 40 else texte[:39] + "…"


def _annee(brut: str, erreur: _Signaler) -> int | None:
    if not brut:
        return None
    if not re.fullmatch(r"\d{4}", brut) or not 2000 <= int(brut) <= 2100:
        erreur("annee", f"année sur quatre chiffres attendue (2020), lu « {brut} »")
        return None
    return int(brut)


def _valeur(brut: str, erreur: _Signaler) -> float | None:
    if not brut:
        return None
    propre = brut.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        nombre = float(propre)
    except ValueError:
        erreur("valeur", f"nombre attendu, lu « {brut} »")
        return None
    if nombre != nombre or nombre in (float("inf"), float("-inf")) or nombre < 0:
        erreur("valeur", f"nombre positif ou nul attendu, lu « {brut} »")
        return None
    return nombre


# --- Écriture ---------------------------------------------------------------------------------


class ConflitReferentiel(ValueError):
    """Un import voudrait remplacer une ressource du référentiel (lot vide)."""


def write_ressources(conn: Connection, *, lot: int, lignes: pd.DataFrame) -> Comptes:
    """Écrit des ressources validées dans le lot `lot`, dans la transaction de l'appelant.

    Par code : une ressource nouvelle est ajoutée, une ressource importée qui change est mise à
    jour (et passe au lot `lot`), une ressource identique n'est pas touchée. Une ressource du
    référentiel (tirée des documents) ne se remplace pas par un import : `ConflitReferentiel`,
    levé avant toute écriture.
    """
    if lignes.empty:
        return Comptes()
    r = schema.ressource
    entree = lignes.reindex(columns=list(COLONNES_FICHIER)).astype(COLONNES_FICHIER)
    entree["note"] = entree["note"].fillna("")
    entree = entree.astype(object).where(entree.notna(), None)
    codes = [str(c) for c in entree["code"]]
    existantes = {
        str(x["code"]): dict(x)
        for x in conn.execute(
            select(r.c.id, r.c.lot, *(r.c[c] for c in COLONNES_FICHIER)).where(r.c.code.in_(codes))
        ).mappings()
    }
    du_referentiel = sorted(c for c, x in existantes.items() if x["lot"] is None)
    if du_referentiel:
        raise ConflitReferentiel(
            f"ces codes appartiennent au référentiel : {', '.join(du_referentiel)}"
        )
    ajouts, modifs, identiques = [], [], 0
    for ligne in entree.to_dict("records"):
        ancienne = existantes.get(str(ligne["code"]))
        if ancienne is None:
            ajouts.append(ligne | {"lot": lot})
        elif all(_memes(ligne[c], ancienne[c]) for c in _COMPAREES):
            identiques += 1
        else:
            modifs.append(ligne | {"lot": lot, "id_": ancienne["id"]})
    if ajouts:
        conn.execute(r.insert(), ajouts)
    for ligne in modifs:
        ident = ligne.pop("id_")
        conn.execute(r.update().where(r.c.id == ident).values(**ligne))
    return Comptes(len(ajouts), len(modifs), identiques)


def _memes(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
    return str(a) == str(b)
