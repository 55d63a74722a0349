"""Import des indicateurs : contrôle de chaque ligne, aperçu, écriture en un lot, annulation.

Déroulé : `prepare_import` lit le fichier (`fichiers_import`), contrôle chaque ligne contre le
référentiel en base et rassemble **toutes** les erreurs avant d'écrire quoi que ce soit
(`ImportRefuse`), puis compare aux valeurs en vigueur : c'est l'aperçu (lignes ajoutées,
modifiées avec l'ancienne et la nouvelle valeur, identiques). `commit_import` refait ce contrôle
sous verrou, dans la transaction de l'appelant, et écrit un lot par le seul chemin d'écriture des
valeurs (`valeurs.write_valeurs`) : tout ou rien. `rollback_lot` annule un lot dont aucune valeur
n'a été remplacée depuis, en rendant `courante` aux versions précédentes : rien n'est effacé.
Règles et messages : `config/FORMAT_IMPORT.md`.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import PurePath

import pandas as pd
from sqlalchemy import Connection, func, select, tuple_, update

from data_access import (
    agregation,
    droits,
    import_ressources,
    lots,
    periodes,
    publications,
    schema,
    sommes,
    valeurs,
)
from data_access.cadres import lire
from data_access.droits import Acteur, Droit
from data_access.fichiers_import import (
    COLONNES,
    ConfigImport,
    ErreurImport,
    FichierLu,
    ImportRefuse,
    montrer_invisibles,
    read_config_import,
    read_fichier,
)
from data_access.lots import Comptes
from data_access.nombres_import import NombreRefuse, NonNumerique, lire_nombre

__all__ = [
    "Annulation",
    "AnnulationImpossible",
    "Apercu",
    "ErreurImport",
    "ImportRefuse",
    "build_modele",
    "build_rapport_erreurs",
    "build_territoires_modele",
    "commit_import",
    "prepare_import",
    "read_journal",
    "read_lots",
    "ResultatImport",
    "rollback_lot",
]

TYPE_LOT = "indicateurs"
COLONNES_NON_FOURNIES = ("ligne", "indicateur", "territoire", "periode")
STATUTS = {"provisoire": "provisoire", "definitif": "definitif"}
STATUT_DEFAUT = "definitif"
# Une valeur de taux saisie avec son numérateur et son dénominateur peut être arrondie : au-delà
# d'un demi-point (de pourcentage) d'écart, c'est une incohérence.
TOLERANCE_TAUX = 0.005
CLE_VERROU = 6_702_010  # verrou consultatif PostgreSQL des écritures d'import
_RANG_NIVEAU = {"departement": 0, "territoire_action": 1, "canton": 2}
_RANG_ECHELLE = {"departement": 0, "territoire": 1, "canton": 2}
_MOIS_COURT = re.compile(r"(\d{4})[-/.](\d{1,2})")  # 2019-6
_MOIS_INVERSE = re.compile(r"(\d{1,2})[-/.](\d{4})")  # 06/2019
_SERIE_EXCEL = re.compile(r"\d{5}")  # 43617 : le 1er juin 2019 compté en jours depuis 1900
_FORMATS = {
    periodes.Periodicite.MENSUELLE: "AAAA-MM, par exemple 2019-06",
    periodes.Periodicite.TRIMESTRIELLE: "AAAA-Tn, par exemple 2019-T3",
    periodes.Periodicite.SEMESTRIELLE: "AAAA-Sn, par exemple 2019-S1",
    periodes.Periodicite.ANNUELLE: "AAAA, par exemple 2019",
}
_LIBELLES = {"valeur": "valeur", "numerateur": "numérateur", "denominateur": "dénominateur"}
_PERIODICITES = {
    periodes.Periodicite.MENSUELLE: "mensuelle",
    periodes.Periodicite.TRIMESTRIELLE: "trimestrielle",
    periodes.Periodicite.SEMESTRIELLE: "semestrielle",
    periodes.Periodicite.ANNUELLE: "annuelle",
}


class AnnulationImpossible(Exception):
    """Le lot ne peut pas être annulé ; le message (en français) dit pourquoi."""


@dataclass(frozen=True)
class _Indicateur:
    code: str
    plan: str
    debut_plan: periodes.Mois
    nature: str
    unite: str
    periodicite: periodes.Periodicite | None
    echelle: str


@dataclass(frozen=True)
class _Referentiel:
    """Ce que le contrôle d'un fichier doit savoir du référentiel en base."""

    indicateurs: dict[str, _Indicateur]
    territoires: dict[str, str]  # code → niveau

    def codes(self, niveau: str) -> list[str]:
        return sorted(c for c, n in self.territoires.items() if n == niveau)

    @property
    def attendus(self) -> str:
        cantons = self.codes("canton")
        ta = ", ".join(self.codes("territoire_action"))
        return f"67, un territoire d'action ({ta}) ou un canton ({cantons[0]} à {cantons[-1]})"


def _read_referentiel(conn: Connection) -> _Referentiel:
    i, p, t = schema.indicateur, schema.plan, schema.territoire
    requete = select(
        i.c.code, i.c.plan, p.c.debut, i.c.nature, i.c.unite, i.c.periodicite, i.c.echelle
    ).join(p, p.c.code == i.c.plan)
    indicateurs = {
        r.code: _Indicateur(
            r.code,
            r.plan,
            periodes.Mois.parse(r.debut),
            r.nature,
            r.unite or "",
            periodes.Periodicite(r.periodicite) if r.periodicite else None,
            r.echelle,
        )
        for r in conn.execute(requete)
    }
    territoires = {r.code: r.niveau for r in conn.execute(select(t.c.code, t.c.niveau))}
    return _Referentiel(indicateurs, territoires)


@functools.lru_cache(maxsize=64)  # quelques statuts distincts, répétés sur chaque ligne
def _sans_accents(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte.strip().lower())
    return "".join(c for c in decompose if not unicodedata.combining(c))


def _n(x: float) -> str:
    """Un nombre dans un message : `12,5`, `-3`, sans zéros inutiles."""
    return f"{x:.12g}".replace(".", ",")


def _cite(texte: str) -> str:
    """Un texte du fichier dans un message : court, et ses caractères invisibles montrés."""
    return f"« {montrer_invisibles(texte if len(texte) <= 40 else texte[:39] + '…')} »"


Nombres = tuple[float | None, float | None, float | None]


def _probleme_indicateur(texte: str, ind: _Indicateur | None) -> str | None:
    if not texte:
        return "indicateur manquant"
    if ind is None:
        return f"indicateur inconnu : {_cite(texte)} (codes : voir le modèle d'import)"
    return None


def _probleme_territoire(texte: str, ind: _Indicateur | None, ref: _Referentiel) -> str | None:
    niveau = ref.territoires.get(texte.upper())
    if not texte:
        return "territoire manquant"
    if niveau is None:
        return f"territoire inconnu : {_cite(texte)} (attendu {ref.attendus})"
    if niveau not in _RANG_NIVEAU:
        return f"{_cite(texte)} est une commune : on importe pour {ref.attendus}"
    if ind is None or _RANG_NIVEAU[niveau] <= _RANG_ECHELLE.get(ind.echelle, 2):
        return None
    if ind.echelle == "departement":
        return f"l'indicateur {ind.code} est suivi pour le département : attendu 67, pas {texte}"
    ta = ", ".join(ref.codes("territoire_action"))
    return (
        f"l'indicateur {ind.code} est suivi par territoire d'action : attendu 67 ou {ta}, "
        f"pas le canton {texte}"
    )


def _probleme_periode(
    texte: str, p: periodes.Periode | None, ind: _Indicateur | None, mois_courant: periodes.Mois
) -> str | None:
    attendue = ind.periodicite if ind else None
    format_ = _FORMATS[attendue] if attendue else "2019-06, 2019-T2, 2019-S1 ou 2019"
    if not texte:
        return f"période manquante (attendu {format_})"
    if p is None:
        return (
            f"période invalide : {_cite(texte)} (attendu {format_}){_suggestion(texte, attendue)}"
        )
    if ind is not None and attendue is not None and p.periodicite != attendue:
        return (
            f"période {_cite(texte)} {_PERIODICITES[p.periodicite]}, mais l'indicateur {ind.code} "
            f"est de périodicité {_PERIODICITES[attendue]} : attendu {format_}"
        )
    if ind is not None and p.debut < ind.debut_plan:
        return f"période {p.code} antérieure au début du plan {ind.plan} ({ind.debut_plan})"
    if p.debut > mois_courant:
        return f"période {p.code} dans le futur (mois en cours : {mois_courant})"
    return None


def _suggestion(texte: str, attendue: periodes.Periodicite | None) -> str:
    """Ce que la personne a sans doute voulu écrire : `2019-6`, `06/2019`, une date en nombre."""
    mois: tuple[int, int] | None = None
    if m := _MOIS_COURT.fullmatch(texte):
        mois = int(m.group(1)), int(m.group(2))
    elif m := _MOIS_INVERSE.fullmatch(texte):
        mois = int(m.group(2)), int(m.group(1))
    elif _SERIE_EXCEL.fullmatch(texte) and 20_000 <= int(texte) <= 80_000:
        jour = date(1899, 12, 30) + timedelta(days=int(texte))
        return (f" ; {texte} ressemble à une date d'Excel écrite en nombre (le "
                f"{jour:%d/%m/%Y}) : écrivez la période en texte, par exemple "
                f"{jour:%Y-%m}")  # fmt: skip
    mensuel = attendue in (None, periodes.Periodicite.MENSUELLE)
    if mois is None or not 1 <= mois[1] <= 12 or not mensuel:
        return ""
    return f" ; pour le mois {mois[1]} de {mois[0]}, écrivez {mois[0]:04d}-{mois[1]:02d}"


def _problemes_non_taux(ind: _Indicateur, valeur: float | None, num: float | None,
                        den: float | None) -> list[tuple[str, str]]:  # fmt: skip
    if num is not None or den is not None:
        colonne = "numerateur" if num is not None else "denominateur"
        return [(colonne, f"numérateur et dénominateur ne servent qu'aux taux : {ind.code} est "
                 f"de nature « {ind.nature} » ; laissez ces colonnes vides")]  # fmt: skip
    if valeur is None:
        return [("valeur", "valeur manquante")]
    if ind.nature == "jalon" and valeur not in (0, 1):
        return [("valeur", f"jalon : 1 (réalisé) ou 0 (non réalisé) attendu, lu {_n(valeur)}")]
    return []


def _problemes_taux(ind: _Indicateur, valeur: float | None, num: float | None,
                    den: float | None) -> list[tuple[str, str]]:  # fmt: skip
    facteur = agregation.facteur_taux(ind.unite)
    problemes = [(c, f"{_LIBELLES[c]} négatif ({_n(x)})") for c, x in (("numerateur", num),
                 ("denominateur", den)) if x is not None and x < 0]  # fmt: skip
    if num is not None and den is None:
        problemes.append(("denominateur", "dénominateur manquant (il va avec le numérateur)"))
    if den is not None and num is None:
        problemes.append(("numerateur", "numérateur manquant (il va avec le dénominateur)"))
    if den == 0:
        problemes.append(("denominateur", "dénominateur nul : le taux n'est pas défini"))
    elif num is not None and den is not None and facteur > 1 and num > den:
        problemes.append(("numerateur", f"numérateur ({_n(num)}) supérieur au dénominateur "
                          f"({_n(den)}) : un taux ne dépasse pas 100 %"))  # fmt: skip
    if valeur is None and num is None:
        problemes.append(("valeur", "valeur manquante (ou numérateur et dénominateur)"))
    elif valeur is not None and (valeur < 0 or (facteur > 1 and valeur > 100)):
        borne = "de 0 à 100 %" if facteur > 1 else "positif ou nul"
        problemes.append(("valeur", f"taux hors bornes ({_n(valeur)}) : attendu {borne}"))
    if not problemes and valeur is not None and num is not None and den:
        calcule = num / den * facteur
        if not math.isclose(valeur, calcule, abs_tol=TOLERANCE_TAUX * facteur + 1e-9):
            ecrit = f"{_n(num)} / {_n(den)} = {_n(round(calcule, 2))}{' %' * (facteur > 1)}"
            problemes.append(("valeur", f"valeur {_n(valeur)} incohérente avec numérateur / "
                              f"dénominateur ({ecrit})"))  # fmt: skip
    return problemes


def _taux_calcule(ind: _Indicateur, valeur: float | None, num: float | None,
                  den: float | None) -> Nombres:  # fmt: skip
    """Un taux avec numérateur et dénominateur est rangé à sa valeur exacte, recalculée."""
    if ind.nature == "taux" and num is not None and den:
        return num / den * agregation.facteur_taux(ind.unite), num, den
    return valeur, num, den


@dataclass
class _Controle:
    """Contrôle ligne à ligne d'un fichier lu : chaque erreur est notée, aucune n'arrête."""

    lu: FichierLu
    ref: _Referentiel
    mois_courant: periodes.Mois
    config: ConfigImport = field(default_factory=ConfigImport)
    erreurs: list[ErreurImport] = field(default_factory=list)
    non_fournies: list[tuple[int, str, str, str]] = field(default_factory=list)
    _periodes: dict[str, periodes.Periode | None] = field(default_factory=dict)
    _deja_dites: set[tuple[int, str | None]] = field(default_factory=set)
    _mal_lues: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.erreurs = list(self.lu.erreurs)
        self._deja_dites = {(e.ligne or 0, e.colonne) for e in self.lu.erreurs}
        self._mal_lues = {e.ligne or 0 for e in self.lu.erreurs}  # formule, champs en trop

    def signaler(self, numero: int, colonne: str, message: str | None) -> None:
        """Note une erreur, sauf si la lecture en a déjà dit une sur cette case (formule)."""
        if message and (numero, colonne) not in self._deja_dites:
            self.erreurs.append(ErreurImport(self.lu.nom, numero, colonne, message))

    def run(self) -> pd.DataFrame:
        """Les lignes sans erreur, au format `valeurs.COLONNES_ENTREE`, indexées par numéro."""
        textes = {c: self.lu.colonne(c).tolist() for c in COLONNES}
        retenues: dict[int, tuple[object, ...]] = {}
        vues: dict[tuple[object, ...], int] = {}
        for rang, numero in enumerate(int(n) for n in self.lu.lignes.index):
            ligne = self._ligne(numero, {c: textes[c][rang] for c in COLONNES})
            if ligne is not None and ligne[:3] in vues:
                self.signaler(numero, "periode", "doublon : même indicateur, territoire et "
                              f"période qu'à la ligne {vues[ligne[:3]]}")  # fmt: skip
            elif ligne is not None:
                vues[ligne[:3]] = numero
                retenues[numero] = ligne
        cadre = pd.DataFrame.from_dict(retenues, orient="index", columns=valeurs.COLONNES_ENTREE)
        return cadre.astype(dict.fromkeys(valeurs.COLONNES_ENTREE, "object"))

    def _periode(self, texte: str) -> periodes.Periode | None:
        if texte not in self._periodes:
            try:
                self._periodes[texte] = periodes.parse(texte)
            except periodes.PeriodeInvalide:
                self._periodes[texte] = None
        return self._periodes[texte]

    def _nombre(
        self, numero: int, colonne: str, texte: str, ind: _Indicateur | None
    ) -> float | None:
        """Le nombre de la case, ou NaN après avoir signalé pourquoi il est refusé."""
        try:
            return lire_nombre(
                texte, config=self.config, nature=ind.nature if ind else None,
                unite=ind.unite if ind else "", type_nombre=self.lu.est_nombre(numero, colonne),
                pourcent=ind is not None and agregation.facteur_taux(ind.unite) > 1,
            )  # fmt: skip
        except NonNumerique:
            message = f"{_LIBELLES[colonne]} non numérique : {_cite(texte)}"
            self.signaler(numero, colonne, f"{message} (attendu un nombre, par exemple 12,5)")
        except NombreRefuse as refus:
            self.signaler(numero, colonne, str(refus.args[0]))
        return math.nan

    def _ligne(self, numero: int, champs: dict[str, str]) -> tuple[object, ...] | None:
        """La ligne contrôlée (indicateur, territoire, période, valeur, num, dén, statut).

        Une ligne sans valeur (ni numérateur, ni dénominateur) est « non fournie » : une ligne du
        modèle que la personne n'a pas remplie. Elle est notée pour l'aperçu et ignorée.
        """
        if not (champs["valeur"] or champs["numerateur"] or champs["denominateur"]):
            self.non_fournies.append(
                (numero, champs["indicateur"], champs["territoire"], champs["periode"])
            )
            return None
        avant = len(self.erreurs)
        ind = self.ref.indicateurs.get(champs["indicateur"].upper())
        self.signaler(numero, "indicateur", _probleme_indicateur(champs["indicateur"], ind))
        self.signaler(numero, "territoire",
                      _probleme_territoire(champs["territoire"], ind, self.ref))  # fmt: skip
        p = self._periode(champs["periode"]) if champs["periode"] else None
        self.signaler(numero, "periode",
                      _probleme_periode(champs["periode"], p, ind, self.mois_courant))  # fmt: skip
        nombres = [self._nombre(numero, c, champs[c], ind) for c in ("valeur", "numerateur",
                                                                    "denominateur")]  # fmt: skip
        valeur, num, den = nombres
        if ind is not None and not any(x is not None and math.isnan(x) for x in nombres):
            regle = _problemes_taux if ind.nature == "taux" else _problemes_non_taux
            for colonne, message in regle(ind, valeur, num, den):
                self.signaler(numero, colonne, message)
        statut = STATUTS.get(_sans_accents(champs["statut"] or STATUT_DEFAUT))
        if statut is None:
            self.signaler(numero, "statut", f"statut inconnu : {_cite(champs['statut'])} "
                          "(provisoire ou définitif)")  # fmt: skip
        if len(self.erreurs) > avant or ind is None or p is None or numero in self._mal_lues:
            return None
        territoire = champs["territoire"].upper()
        return (ind.code, territoire, p.code, *_taux_calcule(ind, valeur, num, den), statut)


@dataclass(frozen=True)
class Apercu:
    """Ce que l'import ferait : chaque ligne face à la valeur en vigueur, avant toute écriture.

    `lignes` : colonnes de `valeurs.compare_valeurs` (dont `etat` : ajoutee, modifiee,
    identique, et les valeurs en vigueur `ancien_*`), indexées par numéro de ligne du fichier.
    """

    fichier: str
    sha256: str
    format: str
    lignes: pd.DataFrame
    colonnes_ignorees: tuple[str, ...]
    deja_importe: int | None
    mois_publies: tuple[str, ...]
    correction: bool
    # Lignes du modèle laissées sans valeur : ignorées, montrées (ligne, indicateur, territoire,
    # période, tels qu'écrits).
    non_fournies: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(COLONNES_NON_FOURNIES))
    )

    @property
    def comptes(self) -> Comptes:
        etats = self.lignes["etat"].value_counts()
        return Comptes(
            ajoutees=int(etats.get(valeurs.AJOUTEE, 0)),
            modifiees=int(etats.get(valeurs.MODIFIEE, 0)),
            identiques=int(etats.get(valeurs.IDENTIQUE, 0)),
        )

    @property
    def sans_effet(self) -> bool:
        """Vrai si l'import ne changerait rien : aucun lot ne sera créé."""
        comptes = self.comptes
        return comptes.ajoutees == 0 and comptes.modifiees == 0

    def par_etat(self, etat: str) -> pd.DataFrame:
        return self.lignes[self.lignes["etat"] == etat]


@dataclass(frozen=True)
class ResultatImport:
    """Un import confirmé : son lot (None s'il ne changeait rien) et ses comptes."""

    lot: int | None
    comptes: Comptes
    apercu: Apercu


def _mois_courant(aujourdhui: date | None) -> periodes.Mois:
    jour = aujourdhui or date.today()
    return periodes.Mois(jour.year, jour.month)


def _mois_touches(comparees: pd.DataFrame, publies: set[str]) -> pd.Series:
    """Pour chaque ligne qui ajoute ou change une valeur : les mois publiés de sa période."""
    if not publies or comparees.empty:
        return pd.Series([()] * len(comparees), index=comparees.index, dtype=object)
    cache: dict[str, tuple[str, ...]] = {}
    for code in comparees["periode"].unique():
        p = periodes.parse(code)
        mois = (str(p.debut.decale(k)) for k in range(p.fin.rang - p.debut.rang + 1))
        cache[code] = tuple(m for m in mois if m in publies)
    touches = comparees["periode"].map(cache)
    return touches.where(comparees["etat"] != valeurs.IDENTIQUE, (), axis=0)


def _signaler_publies(controle: _Controle, comparees: pd.DataFrame, touches: pd.Series) -> None:
    for numero, mois, etat in zip(comparees.index, touches, comparees["etat"], strict=True):
        if mois:
            verbe = "ajoute" if etat == valeurs.AJOUTEE else "modifie"
            controle.signaler(int(numero), "periode", f"mois publié ({', '.join(mois)}) : cette "
                              f"ligne {verbe} un chiffre déjà publié ; pour le corriger, cochez "
                              "« Correction d'un mois publié » (ligne de commande : "
                              "--correction)")  # fmt: skip


def _deja_importe(conn: Connection, sha256: str) -> int | None:
    lot = schema.lot_import
    return conn.execute(
        select(func.max(lot.c.id)).where(
            lot.c.sha256 == sha256, lot.c.statut == "valide", lot.c.type == TYPE_LOT
        )
    ).scalar()


def prepare_import(
    conn: Connection,
    *,
    nom: str,
    contenu: bytes,
    correction: bool = False,
    aujourdhui: date | None = None,
    config: ConfigImport | None = None,
) -> Apercu:
    """Contrôle tout le fichier et rend l'aperçu ; lève ImportRefuse avec TOUTES les erreurs.

    N'écrit rien. `correction` permet de toucher un mois publié ; `aujourdhui` fixe la date du
    jour (une période qui commence après le mois en cours est refusée).
    """
    config = config or read_config_import()
    lu = read_fichier(nom, contenu, config=config)
    controle = _Controle(lu, _read_referentiel(conn), _mois_courant(aujourdhui), config)
    retenues = controle.run()
    comparees = valeurs.compare_valeurs(conn, lignes=retenues)
    touches = _mois_touches(comparees, publications.read_mois_publies(conn))
    if not correction:
        _signaler_publies(controle, comparees, touches)
    if controle.erreurs:
        erreurs = sorted(controle.erreurs, key=lambda e: (e.ligne or 0, _rang_colonne(e.colonne)))
        raise ImportRefuse(erreurs, lu)
    return Apercu(
        fichier=nom, sha256=lu.sha256, format=lu.format, lignes=comparees,
        colonnes_ignorees=lu.ignorees, deja_importe=_deja_importe(conn, lu.sha256),
        mois_publies=tuple(sorted({m for t in touches for m in t})), correction=correction,
        non_fournies=pd.DataFrame(controle.non_fournies, columns=list(COLONNES_NON_FOURNIES)),
    )  # fmt: skip


def _rang_colonne(colonne: str | None) -> int:
    return COLONNES.index(colonne) if colonne in COLONNES else len(COLONNES)


def _verrouiller(conn: Connection) -> None:
    """Un import ou une annulation à la fois : la comparaison aux valeurs en vigueur et
    l'écriture doivent voir la même base.

    PostgreSQL : verrou consultatif tenu jusqu'à la fin de la transaction. SQLite : une écriture
    (qui ne touche aucune ligne) prend le verrou d'écriture de la base dès le début, et la
    transaction lit ensuite l'état le plus récent.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(CLE_VERROU)))
    else:
        lot = schema.lot_import
        conn.execute(update(lot).where(lot.c.id == -1).values(statut=lot.c.statut))


def commit_import(
    conn: Connection,
    *,
    nom: str,
    contenu: bytes,
    acteur: Acteur,
    correction: bool = False,
    attendu: Comptes | None = None,
    aujourdhui: date | None = None,
    config: ConfigImport | None = None,
) -> ResultatImport:
    """Contrôle de nouveau puis écrit le fichier en un lot, dans la transaction de l'appelant.

    `attendu` : les comptes de l'aperçu confirmé ; si la base a changé depuis (autre import),
    l'import est refusé plutôt que d'écrire autre chose que ce qui a été montré. Un fichier qui
    ne change rien ne crée pas de lot (`lot` None). `acteur` doit pouvoir importer, et pour un
    compte à périmètre, chaque ligne du fichier doit être de son territoire ou d'un de ses
    cantons (DroitRefuse sinon, avant toute écriture) ; son identifiant signe le lot.
    """
    droits.exiger(acteur, Droit.IMPORTER)
    _verrouiller(conn)
    apercu = prepare_import(
        conn, nom=nom, contenu=contenu, correction=correction, aujourdhui=aujourdhui, config=config
    )
    lieux = apercu.lignes["territoire"].dropna().astype(str).unique()
    droits.exiger(acteur, Droit.IMPORTER, conn=conn, lieux=lieux)
    if attendu is not None and apercu.comptes != attendu:
        raise ImportRefuse([ErreurImport(nom, None, None, "les valeurs en vigueur ont changé "
                                         "depuis l'aperçu (un autre import ?) : revoyez "
                                         "l'aperçu, puis confirmez de nouveau")])  # fmt: skip
    if apercu.sans_effet:
        return ResultatImport(None, apercu.comptes, apercu)
    fichier = PurePath(nom).name
    auteur = acteur.identifiant
    lot = lots.create_lot(conn, libelle=f"Import de {fichier}", type_=TYPE_LOT, auteur=auteur,
                          fichier=fichier, sha256=apercu.sha256)  # fmt: skip
    comptes = valeurs.write_valeurs(conn, lot=lot, lignes=apercu.lignes[valeurs.COLONNES_ENTREE])
    lots.close_lot(conn, lot=lot, comptes=comptes)
    lots.write_journal(conn, qui=auteur, action="import", objet=f"lot {lot}",
                       detail=_detail(fichier, comptes, apercu))  # fmt: skip
    return ResultatImport(lot, comptes, apercu)


def _detail(fichier: str, comptes: Comptes, apercu: Apercu) -> str:
    texte = (
        f"{fichier} (sha256 {apercu.sha256[:12]}…) : {comptes.ajoutees} ajoutée(s), "
        f"{comptes.modifiees} modifiée(s), {comptes.identiques} identique(s)"
    )
    if apercu.correction and apercu.mois_publies:
        texte += f" ; correction des mois publiés {', '.join(apercu.mois_publies)}"
    return texte


@dataclass(frozen=True)
class Annulation:
    """Un lot annulé : ses valeurs retirées, et combien de versions précédentes sont rétablies."""

    lot: int
    retirees: int
    retablies: int


def _remplacant(conn: Connection, lot: int) -> int | None:
    """Le premier lot qui a remplacé une valeur de `lot` (None si aucune ne l'a été)."""
    v, w = schema.valeur.alias("du_lot"), schema.valeur.alias("en_vigueur")
    cle = tuple_(w.c.indicateur, w.c.territoire, w.c.periode) == tuple_(
        v.c.indicateur, v.c.territoire, v.c.periode)  # fmt: skip
    return conn.execute(
        select(func.min(w.c.lot))
        .select_from(v.join(w, cle))
        .where(v.c.lot == lot, ~v.c.courante, w.c.courante)
    ).scalar()


def _verifier_annulable(conn: Connection, lot: int) -> None:
    fiche = conn.execute(select(schema.lot_import).where(schema.lot_import.c.id == lot)).first()
    if fiche is None:
        raise AnnulationImpossible(f"lot {lot} inconnu")
    if fiche.type != TYPE_LOT:
        raise AnnulationImpossible(
            f"le lot {lot} (« {fiche.libelle} ») n'est pas un import "
            "d'indicateurs : il ne s'annule pas ici"
        )
    if fiche.statut != "valide":
        raise AnnulationImpossible(f"le lot {lot} est déjà annulé")
    v = schema.valeur
    remplacees = conn.execute(select(v.c.id).where(v.c.lot == lot, ~v.c.courante).limit(1)).first()
    if remplacees is not None:
        par = _remplacant(conn, lot)
        raise AnnulationImpossible(
            f"des valeurs du lot {lot} ont été remplacées depuis"
            + (f" par le lot {par} : annulez d'abord le lot {par}" if par else "")
        )


def rollback_lot(conn: Connection, *, lot: int, acteur: Acteur) -> Annulation:
    """Annule `lot` : ses valeurs quittent la vigueur, leurs versions précédentes y reviennent.

    Possible pour un import d'indicateurs dont aucune valeur n'a été remplacée depuis (le
    dernier lot, ou un plus ancien qui touche d'autres valeurs) ; lève AnnulationImpossible
    sinon. Rien n'est effacé : le lot reste dans l'historique, marqué `annule`. `acteur` doit
    pouvoir annuler, et pour un compte à périmètre, toutes les valeurs du lot doivent être de
    son territoire ou de ses cantons (DroitRefuse sinon). Un lot de moyens (ETP, budgets)
    s'annule par ce même chemin (`import_ressources.rollback_ressources`).
    """
    if _type_lot(conn, lot) == import_ressources.TYPE_LOT:
        return _annuler_ressources(conn, lot, acteur)
    droits.exiger(acteur, Droit.ANNULER)
    _verrouiller(conn)
    v, lt = schema.valeur, schema.lot_import
    lieux = conn.execute(select(v.c.territoire).where(v.c.lot == lot).distinct()).scalars()
    droits.exiger(acteur, Droit.ANNULER, conn=conn, lieux=list(lieux))
    _verifier_annulable(conn, lot)
    conn.execute(update(lt).where(lt.c.id == lot).values(statut="annule"))
    retirees = conn.execute(update(v).where(v.c.lot == lot).values(courante=False)).rowcount
    du_lot, prec = schema.valeur.alias("du_lot"), schema.valeur.alias("precedente")
    cles = select(du_lot.c.indicateur, du_lot.c.territoire, du_lot.c.periode).where(
        du_lot.c.lot == lot
    )
    precedentes = (
        select(func.max(prec.c.id))
        .select_from(prec.join(lt, lt.c.id == prec.c.lot))
        .where(
            lt.c.statut == "valide",
            tuple_(prec.c.indicateur, prec.c.territoire, prec.c.periode).in_(cles),
        )
        .group_by(prec.c.indicateur, prec.c.territoire, prec.c.periode)
    )
    retablies = conn.execute(
        update(v).where(v.c.id.in_(precedentes)).values(courante=True)
    ).rowcount
    sommes.refresh_lot(conn, lot=lot)
    lots.write_journal(conn, qui=acteur.identifiant, action="annulation", objet=f"lot {lot}",
                       detail=f"{retirees} valeur(s) retirée(s), {retablies} version(s) "
                       "précédente(s) rétablie(s)")  # fmt: skip
    return Annulation(lot, int(retirees), int(retablies))


def _type_lot(conn: Connection, lot: int) -> str | None:
    lt = schema.lot_import
    return conn.execute(select(lt.c.type).where(lt.c.id == lot)).scalar()


def _annuler_ressources(conn: Connection, lot: int, acteur: Acteur) -> Annulation:
    """Un lot de moyens s'annule par le même chemin (page Historique, `pilotage annuler`)."""
    try:
        retirees, retablies = import_ressources.rollback_ressources(conn, lot=lot, acteur=acteur)
    except import_ressources.AnnulationRefusee as exc:
        raise AnnulationImpossible(str(exc)) from None
    return Annulation(lot, retirees, retablies)


COLONNES_LOTS = {
    "lot": "int64",
    "libelle": "string",
    "type": "string",
    "fichier": "string",
    "sha256": "string",
    "auteur": "string",
    "cree_le": "datetime64[us, UTC]",
    "ajoutees": "int64",
    "modifiees": "int64",
    "identiques": "int64",
    "statut": "string",
    "annulable": "bool",
    "motif": "string",
}

COLONNES_JOURNAL = {
    "quand": "datetime64[us, UTC]",
    "qui": "string",
    "action": "string",
    "objet": "string",
    "detail": "string",
}


def _utc(quand: datetime) -> datetime:
    """SQLite rend des dates sans fuseau : elles ont été écrites en UTC."""
    return quand if quand.tzinfo else quand.replace(tzinfo=UTC)


def _motif(type_: str, statut: str, remplacees: bool) -> str:
    """Pourquoi un lot ne peut pas être annulé ("" s'il le peut)."""
    if type_ not in (TYPE_LOT, import_ressources.TYPE_LOT):
        return "pas un import d'indicateurs"
    if statut != "valide":
        return "déjà annulé"
    return "des valeurs ont été remplacées depuis" if remplacees else ""


def read_lots(conn: Connection) -> pd.DataFrame:
    """Tous les lots, du plus récent au plus ancien, avec leurs comptes et s'ils s'annulent."""
    lt, v = schema.lot_import, schema.valeur
    remplaces = set(conn.execute(select(v.c.lot).where(~v.c.courante).distinct()).scalars())
    remplaces |= set(import_ressources.lots_repris(conn))
    lignes = []
    for r in conn.execute(select(lt).order_by(lt.c.id.desc())):
        motif = _motif(r.type, r.statut, r.id in remplaces)
        lignes.append((r.id, r.libelle, r.type, r.fichier, r.sha256, r.auteur, _utc(r.cree_le),
                       r.lignes_ajoutees, r.lignes_modifiees, r.lignes_identiques, r.statut,
                       motif == "", motif))  # fmt: skip
    cadre = pd.DataFrame(lignes, columns=list(COLONNES_LOTS))
    cadre["cree_le"] = pd.to_datetime(cadre["cree_le"], utc=True)
    return cadre.astype(COLONNES_LOTS)


def read_journal(conn: Connection, *, limite: int = 200) -> pd.DataFrame:
    """Les dernières entrées du journal d'audit (imports, annulations, démonstration…)."""
    j = schema.journal
    requete = (
        select(j.c.quand, j.c.qui, j.c.action, j.c.objet, j.c.detail)
        .order_by(j.c.id.desc())
        .limit(limite)
    )
    lignes = [(_utc(r.quand), r.qui, r.action, r.objet, r.detail) for r in conn.execute(requete)]
    cadre = pd.DataFrame(lignes, columns=list(COLONNES_JOURNAL))
    cadre["quand"] = pd.to_datetime(cadre["quand"], utc=True)
    return cadre.astype(COLONNES_JOURNAL)


def build_rapport_erreurs(erreurs: list[ErreurImport], lu: FichierLu | None) -> pd.DataFrame:
    """Le rapport téléchargeable : les lignes d'origine, plus une colonne « erreur ».

    Toutes les lignes y sont (celles sans erreur ont une case vide), pour qu'on corrige ce
    fichier-là et qu'on le renvoie : les colonnes « ligne » et « erreur » sont ignorées à
    l'import. Sans lignes lisibles (fichier refusé en entier), une ligne par erreur.
    """
    if lu is None:
        return pd.DataFrame(
            [(e.ligne, e.colonne or "", e.message) for e in erreurs],
            columns=["ligne", "colonne", "erreur"],
        )
    par_ligne: dict[int, list[str]] = {}
    for e in erreurs:
        par_ligne.setdefault(e.ligne or 0, []).append(
            f"{e.colonne} : {e.message}" if e.colonne else e.message
        )
    gardees = [c for c in lu.entetes if c.strip().lower() not in {"ligne", "erreur"}]
    rapport = lu.lignes[gardees].copy()
    orphelines = sorted(set(par_ligne) - set(rapport.index))  # lignes vides portant une formule
    rapport = pd.concat([rapport, pd.DataFrame(index=orphelines, columns=gardees).fillna("")])
    rapport = rapport.sort_index()
    rapport.insert(0, "ligne", rapport.index.astype(int))
    rapport["erreur"] = [" ; ".join(par_ligne.get(int(n), [])) for n in rapport.index]
    return rapport.reset_index(drop=True)


COLONNES_MODELE = [*COLONNES, "libelle", "periodicite"]


_NIVEAU_DE_SAISIE = {"canton": "canton", "territoire": "territoire_action"}


def build_modele(conn: Connection, *, aujourdhui: date | None = None) -> pd.DataFrame:
    """Le modèle d'import : les lignes qu'on remplit vraiment, valeur à compléter.

    Une ligne par territoire de saisie : chaque canton pour un indicateur suivi au canton,
    chaque territoire d'action pour un indicateur suivi par territoire, 67 sinon. Période : la
    dernière période close de sa périodicité avant le mois en cours, sans dépasser la fin du
    plan de l'indicateur (un plan achevé se complète sur ses dernières périodes). Une ligne
    laissée sans valeur est « non fournie » : ignorée à l'import. `libelle` et `periodicite`
    aident la saisie et sont ignorées à l'import.
    """
    i, p, t = schema.indicateur, schema.plan, schema.territoire
    precedent = _mois_courant(aujourdhui).decale(-1)
    par_niveau: dict[str, list[str]] = {}
    for code, niveau_t in conn.execute(select(t.c.code, t.c.niveau).order_by(t.c.code)):
        par_niveau.setdefault(niveau_t, []).append(code)
    requete = select(i.c.code, i.c.libelle, i.c.periodicite, i.c.echelle, p.c.fin).join(
        p, p.c.code == i.c.plan
    )
    lignes = []
    for r in conn.execute(requete.order_by(i.c.rang)):
        periodicite = periodes.Periodicite(r.periodicite) if r.periodicite else None
        fin = min(precedent, periodes.Mois.parse(r.fin), key=lambda m: m.rang)
        exemple = periodes.derniere_close(fin, periodicite or periodes.Periodicite.ANNUELLE)
        niveau = _NIVEAU_DE_SAISIE.get(r.echelle)
        territoires = par_niveau.get(niveau, []) if niveau else ["67"]
        for territoire in territoires or ["67"]:
            lignes.append((r.code, territoire, exemple.code, "", "", "", "", r.libelle,
                           r.periodicite or "libre (non fixée au référentiel)"))  # fmt: skip
    return pd.DataFrame(lignes, columns=COLONNES_MODELE)


def build_territoires_modele(conn: Connection) -> pd.DataFrame:
    """Les codes de territoire acceptés : département, territoires d'action, cantons."""
    t = schema.territoire
    requete = select(t.c.code, t.c.libelle, t.c.niveau, t.c.parent).where(
        t.c.niveau.in_(list(_RANG_NIVEAU))
    )
    cadre = lire(conn, requete, ["territoire", "libelle", "niveau", "rattachement"])
    cadre["rang"] = cadre["niveau"].map(_RANG_NIVEAU)
    cadre = cadre.sort_values(["rang", "territoire"]).drop(columns="rang")
    return cadre.fillna("").reset_index(drop=True)
