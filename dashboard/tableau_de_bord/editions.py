"""Éditions du tableau de bord : publier un mois, relire ce qui a été publié, montrer le direct.

Publier un mois, c'est figer le tableau de bord du département et de chaque territoire d'action tel
qu'il est ce jour-là (`dashboard.tableau_de_bord.contenu`), avec « publié le … par … ». Avant de
figer, chaque indicateur « en retard » porte, dans chaque territoire où il l'est (le département
ou un territoire d'action), le commentaire de la mission de pilotage pour ce territoire : le
comité ne doit jamais lire un retard sans son explication, ni l'explication d'un autre territoire.
Sans Streamlit : la page, la ligne de commande et la démonstration s'en servent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection

from dashboard.modeles import moyens_resultats as calc
from dashboard.modeles.synthese import INDICATEURS_CARTES
from dashboard.modeles.territoires import (
    INDICATEURS_SECTION4,
    TERRITOIRES_ACTION,
    TERRITOIRES_SECTION4,
)
from dashboard.tableau_de_bord import contenu as tableau_bord
from dashboard.tableau_de_bord import moyens_figes
from dashboard.tableau_de_bord.contenu import (
    LigneIndicateur,
    LigneTerritoire,
    Publication,
    TableauDeBord,
)
from data_access import (
    commentaires,
    droits,
    moyens,
    periodes,
    publications,
    tableau_de_bord,
    territoires,
)
from data_access.droits import Acteur, Droit
from data_access.perimetre import autorises

TERRITOIRES_EDITION = (territoires.DEPARTEMENT, *TERRITOIRES_ACTION)


@dataclass(frozen=True)
class Retard:
    """Un indicateur en retard dans un territoire : ce que la mission de pilotage commente, avec
    la ligne du tableau de ce territoire (réalisé, attendu, statut, commentaire actuel)."""

    territoire: str
    libelle_territoire: str
    ligne: LigneIndicateur

    @property
    def code(self) -> str:
        return self.ligne.code


@dataclass(frozen=True)
class Manquant:
    """Un indicateur en retard dans un territoire, sans le commentaire de ce territoire."""

    code: str
    libelle: str
    territoire: str
    libelle_territoire: str


class PublicationRefusee(Exception):
    """Publication impossible ; le message dit pourquoi, en français."""

    def __init__(self, message: str, manquants: tuple[Manquant, ...] = ()) -> None:
        super().__init__(message)
        self.manquants = manquants


def lire_section4(
    conn: Connection, mois: str, perimetre: str | None
) -> tuple[LigneTerritoire, ...]:
    """Le tableau du §4 (quatre territoires et total) sur la période de la date, lu en base."""
    lu = tableau_de_bord.read_section4(
        conn, mois=mois, indicateurs=INDICATEURS_SECTION4, territoires=TERRITOIRES_SECTION4,
        perimetre=perimetre,
    )  # fmt: skip
    return tableau_bord.build_section4(lu.progressions, lu.libelles, mois)


def construire(
    conn: Connection, *, mois: str, territoire: str = territoires.DEPARTEMENT,
    perimetre: str | None = None, section4: tuple[LigneTerritoire, ...] | None = None,
) -> TableauDeBord:  # fmt: skip
    """Le tableau de bord en direct lu dans la base, hors de tout cache (publication, ligne de
    commande) : une lecture (`data_access.tableau_de_bord`), puis la construction sans base.
    `section4` : le tableau du §4 déjà lu (le même pour tous les territoires d'une publication)."""
    lecture = tableau_de_bord.read_tableau(
        conn, mois=mois, territoire=territoire, perimetre=perimetre,
        indicateurs_courbes=INDICATEURS_CARTES,
    )  # fmt: skip
    if section4 is None:
        section4 = lire_section4(conn, lecture.mois, perimetre)
    return tableau_bord.construire(lecture, section4)


def _tableaux(conn: Connection, mois: str) -> dict[str, TableauDeBord]:
    """Le tableau en direct de chaque territoire de l'édition (le §4 lu une seule fois)."""
    section4 = lire_section4(conn, mois, None)
    return {t: construire(conn, mois=mois, territoire=t, section4=section4)
            for t in TERRITOIRES_EDITION}  # fmt: skip


def _retards(tableaux: dict[str, TableauDeBord]) -> tuple[Retard, ...]:
    """Les alertes de chaque tableau, chacune avec son territoire (une ligne de chaque tableau
    porte le commentaire de ce seul territoire)."""
    return tuple(Retard(code_t, tableau.libelle_territoire, ligne)
                 for code_t, tableau in tableaux.items() for ligne in tableau.alertes)  # fmt: skip


def _manquants(tableaux: dict[str, TableauDeBord]) -> tuple[Manquant, ...]:
    return tuple(
        Manquant(r.code, r.ligne.libelle, r.territoire, r.libelle_territoire)
        for r in _retards(tableaux)
        if not r.ligne.commentaire
    )


def a_commenter(conn: Connection, *, mois: str) -> tuple[Retard, ...]:
    """Chaque indicateur en retard du mois dans chaque territoire où il l'est (le département,
    puis chaque territoire d'action) : ce que la mission de pilotage doit commenter, territoire
    par territoire, avant de publier."""
    return _retards(_tableaux(conn, str(periodes.Mois.parse(mois))))


def retards_du_mois(conn: Connection, mois: str) -> dict[str, tuple[str, ...]]:
    """Où chaque indicateur était en retard au mois : le juge de la migration des commentaires
    d'avant le territoire (`pilotage init`, `data_access.commentaires`).

    Un mois publié se lit dans ses éditions (les retards à côté desquels le comité a lu le
    commentaire) ; un mois non publié, dans les tableaux en direct (ceux que la publication
    exigera de commenter).
    """
    code = str(periodes.Mois.parse(mois))
    if code in publications.read_mois_publies(conn):
        publies = {t: lire_edition(conn, mois=code, territoire=t) for t in TERRITOIRES_EDITION}
        tableaux = {t: e for t, e in publies.items() if e is not None}
    else:
        tableaux = _tableaux(conn, code)
    ou: dict[str, list[str]] = {}
    for retard in _retards(tableaux):
        ou.setdefault(retard.code, []).append(retard.territoire)
    return {c: tuple(t) for c, t in ou.items()}


def _phrase_manquants(manquants: tuple[Manquant, ...]) -> str:
    lignes = [f"- {m.code} ({m.libelle}) en retard : {m.libelle_territoire} ({m.territoire})"
              for m in manquants]  # fmt: skip
    return (
        f"Publication refusée : {len(manquants)} retard(s) sans le commentaire de leur "
        "territoire. Commentez-les avant de publier :\n" + "\n".join(lignes)
    )


def publier(
    conn: Connection, *, mois: str, acteur: Acteur, demonstration: bool = False,
    quand: datetime | None = None,
) -> dict[str, TableauDeBord]:  # fmt: skip
    """Publie le mois : fige le tableau du département et de chaque territoire d'action.

    Refuse (DroitRefuse) un acteur qui ne peut pas publier (lecteur, compte à périmètre : une
    édition couvre tout le département), avant de rien lire. Refuse (PublicationRefusee) un mois
    déjà publié, un mois sans aucune donnée, ou un mois où un indicateur en retard n'a pas de
    commentaire (la liste est dans le message). L'appelant tient la transaction : rien n'est
    écrit si la publication est refusée.
    """
    droits.exiger(acteur, Droit.PUBLIER)
    code = str(periodes.Mois.parse(mois))
    if code in publications.read_mois_publies(conn):
        raise PublicationRefusee(f"Le mois {code} est déjà publié : une édition ne change plus.")
    tableaux = _tableaux(conn, code)
    if not tableaux[territoires.DEPARTEMENT].derniere_periode:
        raise PublicationRefusee(f"Aucune donnée pour {code} : rien à publier.")
    manquants = _manquants(tableaux)
    if manquants:
        raise PublicationRefusee(_phrase_manquants(manquants), manquants)
    return _figer(conn, code, tableaux, acteur=acteur, demonstration=demonstration, quand=quand)


def _figer(
    conn: Connection, mois: str, tableaux: dict[str, TableauDeBord], *, acteur: Acteur,
    demonstration: bool, quand: datetime | None,
) -> dict[str, TableauDeBord]:  # fmt: skip
    moment = quand or datetime.now(UTC)
    signature = Publication(moment.isoformat(timespec="seconds"), acteur.identifiant,
                            demonstration)  # fmt: skip
    moyens_lus = lire_moyens(conn, mois=mois, lecteurs={t: perimetres(t) for t in tableaux})
    figes = {
        t: replace(tab, publication=signature, moyens=moyens_lus[t]) for t, tab in tableaux.items()
    }
    publications.publish(
        conn, mois=mois, acteur=acteur, quand=moment,
        contenus={t: tableau_bord.to_json(tab) for t, tab in figes.items()},
    )  # fmt: skip
    return figes


def perimetres(territoire: str) -> tuple[str | None, ...]:
    """Les périmètres qui peuvent ouvrir l'édition d'un territoire : tous (None) ; chaque
    territoire d'action pour le département (son total est dans chaque périmètre) ; le sien pour
    un territoire d'action."""
    if territoire == territoires.DEPARTEMENT:
        return (None, *TERRITOIRES_ACTION)
    return (None, territoire)


Lus = dict[tuple[str, tuple[str, ...]], pd.DataFrame]


def lire_moyens(
    conn: Connection, *, mois: str, lecteurs: Mapping[str, Sequence[str | None]]
) -> dict[str, tuple[moyens_figes.MoyensEdition, ...]]:
    """Les moyens et résultats de chaque territoire à la fin de `mois`, une version par
    périmètre qui peut le lire (`lecteurs` : territoire → périmètres, voir `perimetres`).

    Les moyens d'un territoire sont lus une fois, puis gardés dans chaque périmètre par la règle
    de `read_ressources`. Les résultats, bornés au mois, sont lus une fois par territoire de
    moyen pour tout le mois : ils ne dépendent pas du périmètre (le territoire d'un moyen
    lisible l'est aussi). Deux lectures qui gardent les mêmes moyens partagent leur calcul.
    """
    annee = moyens_figes.annee_moyens(mois, moyens.read_annees(conn))
    arbre = territoires.read_territoires(conn)
    lus: Lus = {}
    faites: dict[str, moyens_figes.MoyensEdition] = {}
    sortie = {}
    for territoire, lecteurs_du_territoire in lecteurs.items():
        tous = (
            moyens.read_ressources(conn, annee=annee, territoire=territoire)
            if annee is not None else pd.DataFrame(columns=["code", "territoire"])
        )  # fmt: skip
        versions = []
        for p in lecteurs_du_territoire:
            gardes = tous[tous["territoire"].isin(autorises(arbre, p))]
            cle = gardes.drop(columns=["portee"], errors="ignore").to_json()
            if cle not in faites:
                faites[cle] = _version(conn, gardes, annee, mois, lus)
            versions.append(replace(faites[cle], perimetre=p or moyens_figes.TOUT))
        sortie[territoire] = tuple(versions)
    return sortie


def _version(
    conn: Connection, ressources: pd.DataFrame, annee: int | None, mois: str, lus: Lus
) -> moyens_figes.MoyensEdition:
    """Des moyens lisibles face à leurs résultats (lus une fois dans `lus`) ; le périmètre est
    posé par l'appelant."""
    if annee is None:  # ni moyen ni valeur jusqu'à ce mois
        return moyens_figes.MoyensEdition(moyens_figes.TOUT, None, mois)
    cadres = []
    for lieu, indicateurs in calc.lieux_des_resultats(ressources).items():
        if (lieu, indicateurs) not in lus:
            lus[lieu, indicateurs] = moyens.read_resultats_annuels(
                conn, indicateurs=indicateurs, territoire=lieu, annees=[annee], jusqu_a=mois
            ).assign(territoire=lieu)
        cadres.append(lus[lieu, indicateurs])
    resultats = pd.concat(cadres, ignore_index=True) if cadres else pd.DataFrame(
        columns=["indicateur", "annee", "territoire"])  # fmt: skip
    return moyens_figes.build(annee=annee, mois=mois, ressources=ressources, resultats=resultats)


AUTEUR_DEMO = "pilotage"
ACTEUR_DEMO = droits.administrateur_local(AUTEUR_DEMO)
"""Qui écrit les commentaires fictifs et publie les éditions de `pilotage demo`."""
# `pilotage demo` publie les douze mois qui précèdent le dernier mois de données : une année
# d'archive à parcourir (chaque édition coûte ~1 s à construire ; les 35 mois en prendraient 40).
MOIS_DEMO = 12


def _commentaire_demo(ligne: LigneIndicateur, libelle_territoire: str) -> str:
    return (
        f"(démonstration) {ligne.code} en retard, {libelle_territoire} : commentaire fictif de "
        "la mission de pilotage, écrit par `pilotage demo` pour illustrer l'édition."
    )


def publier_demo(conn: Connection, *, debut: str, fin: str) -> int:
    """Publie les éditions de démonstration de `debut` à `fin` (AAAA-MM), dans l'ordre.

    Chaque indicateur en retard reçoit, dans chaque territoire où il l'est, un commentaire
    fictif de ce territoire, marqué « démonstration » partout où il s'affiche ; chaque édition
    est signée « démonstration ». Les tableaux d'un mois sont construits une seule fois : les
    commentaires y sont reportés avant de les figer. Rend le nombre d'éditions publiées (un mois
    déjà publié est laissé tel quel).
    """
    mois, dernier, nombre = periodes.Mois.parse(debut), periodes.Mois.parse(fin), 0
    deja = publications.read_mois_publies(conn)
    while mois <= dernier:
        code = str(mois)
        mois = mois.decale(1)
        if code in deja:
            continue
        tableaux = {t: _commenter_demo(conn, code, tab)
                    for t, tab in _tableaux(conn, code).items()}  # fmt: skip
        _figer(conn, code, tableaux, acteur=ACTEUR_DEMO, demonstration=True, quand=None)
        nombre += 1
    return nombre


def _commenter_demo(conn: Connection, mois: str, tableau: TableauDeBord) -> TableauDeBord:
    """Écrit le commentaire fictif de chaque retard non commenté de ce tableau, pour son
    territoire, et le reporte dans le tableau."""
    textes: dict[str, str] = {}
    for ligne in tableau.alertes:
        if not ligne.commentaire and ligne.code not in textes:
            textes[ligne.code] = _commentaire_demo(ligne, tableau.libelle_territoire)
            commentaires.write_commentaire(
                conn, mois=mois, indicateur=ligne.code, territoire=tableau.territoire,
                texte=textes[ligne.code], acteur=ACTEUR_DEMO, demonstration=True,
            )  # fmt: skip
    return _avec_commentaires(tableau, textes)


def _avec_commentaires(tableau: TableauDeBord, textes: dict[str, str]) -> TableauDeBord:
    def note(ligne: LigneIndicateur) -> LigneIndicateur:
        if ligne.code not in textes or ligne.commentaire:
            return ligne
        return replace(ligne, commentaire=textes[ligne.code], commentaire_auteur=AUTEUR_DEMO,
                       commentaire_demo=True)  # fmt: skip

    return replace(
        tableau,
        synthese=tuple(note(i) for i in tableau.synthese),
        indicateurs=tuple(note(i) for i in tableau.indicateurs),
    )


def lire_edition(conn: Connection, *, mois: str, territoire: str) -> TableauDeBord | None:
    """L'édition publiée du mois pour ce territoire, telle que publiée, ou None."""
    contenu = publications.read_edition(conn, mois=mois, territoire=territoire)
    return None if contenu is None else tableau_bord.from_json(contenu)


def direct(
    conn: Connection, *, mois: str, territoire: str, perimetre: str | None = None
) -> TableauDeBord:
    """Le tableau en direct lu dans la base, avec ses révisions depuis la publication du mois."""
    vivant = construire(conn, mois=mois, territoire=territoire, perimetre=perimetre)
    return avec_revisions(vivant, lire_edition(conn, mois=vivant.mois, territoire=territoire))


def avec_revisions(vivant: TableauDeBord, publie: TableauDeBord | None) -> TableauDeBord:
    """Si le mois est publié, `revises` liste les indicateurs dont un chiffre a changé depuis."""
    if publie is None:
        return vivant
    return replace(vivant, revises=tableau_bord.revises(vivant, publie))


def commenter(
    conn: Connection, *, mois: str, indicateur: str, territoire: str, texte: str, acteur: Acteur,
    demonstration: bool = False,
) -> None:  # fmt: skip
    """Écrit le commentaire d'un indicateur dans un territoire, pour un mois non publié (voir
    `commentaires`) : il ne s'imprime que dans le tableau de ce territoire. DroitRefuse si
    `acteur` ne peut pas commenter dans ce territoire."""
    droits.exiger(acteur, Droit.COMMENTER, conn=conn, lieux=[territoire])
    commentaires.write_commentaire(
        conn, mois=mois, indicateur=indicateur, territoire=territoire, texte=texte,
        acteur=acteur, demonstration=demonstration,
    )  # fmt: skip


def restreindre(tableau: TableauDeBord, perimetre: str | None) -> TableauDeBord:
    """Une édition vue par un élu à périmètre : le tableau du §4 ne garde que son territoire et
    le total départemental, comme la page Territoires, et les moyens ceux de son périmètre
    (l'édition stockée reste entière)."""
    if perimetre is None:
        return tableau
    garde = (perimetre, territoires.DEPARTEMENT)
    return replace(
        tableau,
        territoires=tuple(t for t in tableau.territoires if t.territoire in garde),
        moyens=tuple(m for m in tableau.moyens if m.perimetre == perimetre),
    )  # fmt: skip
