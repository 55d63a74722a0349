"""Tableau de bord mensuel : le contenu d'une édition, en nombres, figeable en JSON.

Le PDIE (002, fiche 5.1.6) demande un tableau de bord synthétique publié chaque mois. Ce module
en assemble le contenu pour un mois et un territoire — cartes de la synthèse, indicateurs du plan
avec cible, attendu, statut et commentaire, tableau du §4, changements de statut, alertes,
événements du mois — à partir des lectures de `data_access`, sans Streamlit.

Le contenu ne garde que des nombres et des textes bruts (les formats français sont appliqués à
l'affichage et dans les exports) : une édition publiée est ce contenu sérialisé en JSON, relu tel
quel, si bien que ses exports sont identiques octet pour octet quoi qu'il arrive aux valeurs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from dashboard import objectifs, synthese, territoires_tableau
from data_access import (
    annotations,
    commentaires,
    periodes,
    plan,
    progression,
    publications,
    territoires,
)

EN_RETARD = "en retard"
VERSION_CONTENU = 1


@dataclass(frozen=True)
class LigneIndicateur:
    """Un indicateur à la date : sa cible principale, la valeur attendue et le statut.

    `statut` vide : pas de trajectoire (indicateur sans cible, cible dans une autre unité).
    `statut_precedent` : son statut dans l'édition précédente (ou au mois précédent).
    `titre` : le titre de sa carte, pour les lignes de la synthèse.
    """

    code: str
    libelle: str
    objectif: str
    unite: str
    nature: str
    periodicite: str
    definition: str
    source: str
    suivi: str
    reel: float | None
    cible: float | None
    periode_cible: str
    attendu: float | None
    statut: str
    statut_precedent: str
    donnees_au: str
    source_cible: str
    commentaire: str = ""
    commentaire_auteur: str = ""
    commentaire_demo: bool = False
    titre: str = ""


@dataclass(frozen=True)
class LigneTerritoire:
    """Une case du tableau du §4 : un territoire, une rubrique, une période."""

    territoire: str
    libelle_territoire: str
    indicateur: str
    rubrique: str
    periode: str
    cible: float | None
    reel: float | None
    attendu: float | None
    statut: str
    donnees_au: str


@dataclass(frozen=True)
class Evenement:
    """Un événement daté du mois (annotation)."""

    mois: str
    type: str
    libelle_type: str
    libelle: str
    territoire: str
    indicateurs: str
    tous_indicateurs: bool = False

    def concerne(self, code: str) -> bool:
        return self.tous_indicateurs or code in self.indicateurs.split(", ")


@dataclass(frozen=True)
class Point:
    """Une valeur d'une courbe : la période, son dernier mois (AAAA-MM) et la valeur."""

    periode: str
    fin: str
    valeur: float | None


@dataclass(frozen=True)
class Courbe:
    """La série récente d'un indicateur de la synthèse et les événements qui la concernent,
    pour dessiner la courbe de l'édition sans relire les valeurs (elles ont pu être révisées)."""

    code: str
    titre: str
    unite: str
    points: tuple[Point, ...]
    evenements: tuple[Evenement, ...]


@dataclass(frozen=True)
class Objectif:
    """Un objectif stratégique du §7 : son code et son intitulé."""

    code: str
    libelle: str


@dataclass(frozen=True)
class Publication:
    """Qui a publié l'édition, et quand (ISO 8601, UTC)."""

    publie_le: str
    publie_par: str
    demonstration: bool = False


@dataclass(frozen=True)
class TableauDeBord:
    """Le tableau de bord d'un mois pour un territoire (le département : « 67 »).

    `derniere_periode` : dernier mois couvert par une valeur (AAAA-MM), vide sans donnée.
    `publication` : None pour la vue en direct (chiffres provisoires). `revises` : codes des
    indicateurs dont la vue en direct diffère de l'édition publiée du même mois.
    """

    mois: str
    territoire: str
    libelle_territoire: str
    derniere_periode: str
    objectifs: tuple[Objectif, ...]
    synthese: tuple[LigneIndicateur, ...]
    indicateurs: tuple[LigneIndicateur, ...]
    territoires: tuple[LigneTerritoire, ...]
    evenements: tuple[Evenement, ...]
    courbes: tuple[Courbe, ...] = ()
    publication: Publication | None = None
    revises: tuple[str, ...] = field(default=())
    version: int = VERSION_CONTENU

    @property
    def alertes(self) -> tuple[LigneIndicateur, ...]:
        """Les indicateurs hors trajectoire (« en retard »)."""
        return tuple(i for i in self.indicateurs if i.statut == EN_RETARD)

    @property
    def changements(self) -> tuple[LigneIndicateur, ...]:
        """Les indicateurs dont le statut a changé depuis l'édition précédente."""
        return tuple(i for i in self.indicateurs if i.statut and i.statut != i.statut_precedent)

    def par_objectif(self, code: str) -> tuple[LigneIndicateur, ...]:
        """Les indicateurs d'un objectif stratégique, dans l'ordre du plan."""
        return tuple(i for i in self.indicateurs if i.objectif == code)

    @property
    def provisoire(self) -> bool:
        return self.publication is None


# --- Sérialisation ------------------------------------------------------------------------


def _propre(x: Any) -> Any:
    """Une valeur JSON : NaN et NA deviennent null (JSON n'a pas de NaN)."""
    if x is None or x is pd.NA:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    return x


def to_json(tableau: TableauDeBord) -> str:
    """Le contenu en JSON canonique (clés triées) : deux contenus égaux donnent le même texte."""
    donnees = asdict(replace(tableau, revises=()))
    return json.dumps(donnees, ensure_ascii=False, sort_keys=True, default=_propre)


def _lignes(classe: type, brutes: Iterable[Mapping[str, Any]]) -> tuple[Any, ...]:
    noms = {f.name for f in fields(classe)}
    return tuple(classe(**{k: v for k, v in b.items() if k in noms}) for b in brutes)


def from_json(texte: str) -> TableauDeBord:
    """Relit un contenu figé (`to_json`)."""
    d = json.loads(texte)
    pub = d.get("publication")
    return TableauDeBord(
        mois=d["mois"],
        territoire=d["territoire"],
        libelle_territoire=d["libelle_territoire"],
        derniere_periode=d["derniere_periode"],
        objectifs=_lignes(Objectif, d["objectifs"]),
        synthese=_lignes(LigneIndicateur, d["synthese"]),
        indicateurs=_lignes(LigneIndicateur, d["indicateurs"]),
        territoires=_lignes(LigneTerritoire, d["territoires"]),
        evenements=_lignes(Evenement, d["evenements"]),
        courbes=tuple(
            Courbe(
                c["code"],
                c["titre"],
                c["unite"],
                _lignes(Point, c["points"]),
                _lignes(Evenement, c["evenements"]),
            )
            for c in d.get("courbes", [])
        ),  # fmt: skip
        publication=Publication(**pub) if pub else None,
        version=d.get("version", VERSION_CONTENU),
    )


# --- Construction -------------------------------------------------------------------------


def _nombre(x: Any) -> float | None:
    return None if synthese.manquant(x) else float(x)


def _texte(x: Any) -> str:
    return synthese.texte_ou_vide(x)


def _objectifs_strategiques(arbre: pd.DataFrame) -> tuple[dict[str, str], tuple[Objectif, ...]]:
    """L'objectif stratégique (OS) de chaque indicateur du §7, et la liste des OS."""
    parents = dict(zip(arbre["code"], arbre["parent"], strict=True))
    niveaux = dict(zip(arbre["code"], arbre["niveau"], strict=True))

    def os_de(code: str) -> str:
        vus = 0
        courant: Any = code
        while isinstance(courant, str) and vus < 10:
            if niveaux.get(courant) == "os":
                return courant
            courant, vus = parents.get(courant), vus + 1
        return ""

    indicateurs = arbre[arbre["type"] == "indicateur"]
    rattachement = {str(c): os_de(str(c)) for c in indicateurs["code"]}
    os_ = arbre[arbre["niveau"] == "os"]
    liste = tuple(Objectif(str(c), str(lib)) for c, lib in zip(os_["code"], os_["libelle"],
                                                                  strict=True))  # fmt: skip
    return rattachement, liste


def _definition(ligne: Mapping[str, Any], definitions: Mapping[str, str]) -> str:
    """Ce que mesure l'indicateur : sa définition du référentiel, à défaut son intitulé."""
    texte = definitions.get(str(ligne["indicateur"]), "")
    return texte or _texte(ligne["libelle"])


def _ligne(
    ligne: Mapping[str, Any],
    *,
    objectif: str,
    definitions: Mapping[str, str],
    precedents: Mapping[str, str],
    notes: Mapping[str, Mapping[str, Any]],
    titre: str = "",
) -> LigneIndicateur:
    code = str(ligne["indicateur"])
    note = notes.get(code, {})
    a_cible = ligne["suivi"] == "cible"
    reel = ligne["reel"] if a_cible else ligne["derniere_valeur"]
    if ligne["suivi"] == "jalon":
        reel = None if synthese.manquant(ligne["realise"]) else float(bool(ligne["realise"]))
    return LigneIndicateur(
        code=code,
        libelle=_texte(ligne["libelle"]),
        objectif=objectif,
        unite=_texte(ligne["unite"]),
        nature=_texte(ligne["nature"]),
        periodicite=_texte(ligne["periodicite"]),
        definition=_definition(ligne, definitions),
        source=_texte(ligne["source_indicateur"]),
        suivi=_texte(ligne["suivi"]),
        reel=_nombre(reel),
        cible=_nombre(ligne["cible"]) if a_cible else None,
        periode_cible=_texte(ligne["periode_cible"]) if a_cible else "",
        attendu=_nombre(ligne["attendu"]) if a_cible else None,
        statut=_texte(ligne["statut"]),
        statut_precedent=precedents.get(code, ""),
        donnees_au=_texte(ligne["donnees_au"]) or _texte(ligne["derniere_periode"]),
        source_cible=_texte(ligne["source"]) if a_cible else "",
        commentaire=str(note.get("texte", "")),
        commentaire_auteur=str(note.get("auteur", "")),
        commentaire_demo=bool(note.get("demonstration", False)),
        titre=titre,
    )


def _statuts(progressions: pd.DataFrame, mois: str) -> dict[str, str]:
    principales = objectifs.principales(progressions, mois=mois)
    return {str(c): _texte(s) for c, s in zip(principales["indicateur"], principales["statut"],
                                               strict=True)}  # fmt: skip


LectureProgressions = Callable[[str, str], pd.DataFrame]
"""(territoire, mois) → `read_progressions` de tous les indicateurs, dans le périmètre."""


def lecture_directe(conn: Connection, perimetre: str | None) -> LectureProgressions:
    """Les progressions lues dans la base, hors de tout cache (publication, ligne de commande)."""

    def lire(territoire: str, mois: str) -> pd.DataFrame:
        return progression.read_progressions(
            conn, indicateurs=None, territoire=territoire, mois=mois, perimetre=perimetre
        )

    return lire


def _precedents(
    conn: Connection, mois: str, territoire: str, lire: LectureProgressions
) -> dict[str, str]:
    """Statuts de l'édition précédente publiée (le mois d'avant s'il l'est) ; sans édition
    antérieure, ceux que donnent les données au mois précédent."""
    avant = str(periodes.Mois.parse(mois).decale(-1))
    contenu = publications.read_edition(conn, mois=avant, territoire=territoire)
    if contenu is not None:
        return {i.code: i.statut for i in from_json(contenu).indicateurs}
    return _statuts(lire(territoire, avant), avant)


def _evenements(
    conn: Connection, debut: str, fin: str, territoire: str, indicateur: str | None = None
) -> tuple[Evenement, ...]:
    cadre = annotations.read_annotations(
        conn, indicateur=indicateur, territoire=territoire, debut=debut, fin=fin
    )
    return tuple(
        Evenement(str(r["mois"]), str(r["type"]), str(r["libelle_type"]), str(r["libelle"]),
                  str(r["libelle_territoire"]), str(r["indicateurs"]), bool(r["tous_indicateurs"]))
        for _, r in cadre.iterrows()
    )  # fmt: skip


def lire_section4(
    conn: Connection, mois: str, perimetre: str | None
) -> tuple[LigneTerritoire, ...]:
    """Le tableau du §4 (quatre territoires et total) sur la période de la date."""
    cadre = progression.read_progressions_territoires(
        conn, indicateurs=territoires_tableau.INDICATEURS_SECTION4,
        territoires=territoires_tableau.TERRITOIRES_SECTION4, mois=mois, perimetre=perimetre,
    )  # fmt: skip
    libelles = territoires.read_territoires(conn)
    noms = dict(zip(libelles["code"], libelles["libelle"], strict=True))
    return build_section4(cadre, noms, mois)


def build_section4(
    cadre: pd.DataFrame, noms: Mapping[str, str], mois: str
) -> tuple[LigneTerritoire, ...]:
    """Le tableau du §4 sur la période de la date, à partir de `read_progressions_territoires`
    (la page Territoires lit la même chose : l'application passe sa lecture en cache)."""
    tableau = territoires_tableau.build_tableau(cadre, libelles=noms)
    periode = territoires_tableau.periode_par_defaut(mois)
    tableau = tableau[tableau["periode"] == periode]
    return tuple(
        LigneTerritoire(
            territoire=str(r["territoire"]), libelle_territoire=str(r["libelle_territoire"]),
            indicateur=str(r["indicateur"]), rubrique=str(r["rubrique"]),
            periode=str(r["periode"]), cible=_nombre(r["cible"]), reel=_nombre(r["reel"]),
            attendu=_nombre(r["attendu"]), statut=_texte(r["statut"]),
            donnees_au=_texte(r["donnees_au"]),
        )
        for _, r in tableau.iterrows()
    )  # fmt: skip


def construire(
    conn: Connection, *, mois: str, territoire: str = territoires.DEPARTEMENT,
    perimetre: str | None = None, section4: tuple[LigneTerritoire, ...] | None = None,
    lire: LectureProgressions | None = None,
) -> TableauDeBord:  # fmt: skip
    """Le tableau de bord en direct du mois `mois` (AAAA-MM) pour `territoire`.

    Indicateurs : ceux de l'arbre du §7 déclinés à ce territoire (un indicateur suivi au seul
    niveau du département n'a pas de sens pour un territoire d'action), plus ceux des cartes de
    la synthèse. Hors du périmètre de l'utilisateur, lève HorsPerimetre. `section4` : le tableau
    du §4 déjà lu (le même pour tous les territoires d'une publication), sinon lu ici.
    `lire` : d'où viennent les progressions (par défaut la base ; l'application passe sa
    lecture en cache, la même que celles des pages Synthèse et Objectifs).
    """
    code_mois = str(periodes.Mois.parse(mois))
    lire = lire or lecture_directe(conn, perimetre)
    cadre = lire(territoire, code_mois)
    arbre = plan.read_arbre(conn, racines=("finalite",))
    rattachement, liste_os = _objectifs_strategiques(arbre)
    definitions = {
        str(c): _texte(d) for c, d in zip(arbre["code"], arbre["definition"], strict=True)
    }
    precedents = _precedents(conn, code_mois, territoire, lire)
    notes = commentaires.read_commentaires(conn, mois=code_mois)
    principales = objectifs.principales(cadre, mois=code_mois)
    lignes = tuple(
        _ligne(r, objectif=rattachement[str(r["indicateur"])], definitions=definitions,
               precedents=precedents, notes=notes)
        for _, r in principales.iterrows()
        if str(r["indicateur"]) in rattachement
        and objectifs.decline(_texte(r["echelle"]), territoire)
    )  # fmt: skip
    cartes = []
    for spec in synthese.CARTES:
        propres = cadre[cadre["indicateur"] == spec.code]
        if propres.empty:
            continue
        retenues = synthese.choisir_cibles(propres, spec.cible, code_mois)
        tete = retenues.iloc[0] if not retenues.empty else propres.iloc[0]
        cartes.append(
            _ligne(tete, objectif=rattachement.get(spec.code, ""), definitions=definitions,
                   precedents=precedents, notes=notes, titre=spec.titre)
        )  # fmt: skip
    noms = territoires.read_territoires(conn)
    libelle = dict(zip(noms["code"], noms["libelle"], strict=True)).get(territoire, territoire)
    fins = [periodes.parse(str(p)).fin for p in cadre["derniere_periode"].dropna().unique()]
    return TableauDeBord(
        mois=code_mois,
        territoire=territoire,
        libelle_territoire=str(libelle),
        derniere_periode=str(max(fins, key=lambda m: m.rang)) if fins else "",
        objectifs=liste_os,
        synthese=tuple(cartes),
        indicateurs=lignes,
        territoires=section4 if section4 is not None else lire_section4(conn, code_mois, perimetre),
        evenements=_evenements(conn, code_mois, code_mois, territoire),
        courbes=_courbes(conn, cartes, code_mois, territoire, perimetre),
    )


MOIS_COURBE = 24


def _courbes(
    conn: Connection, cartes: list[LigneIndicateur], mois: str, territoire: str,
    perimetre: str | None,
) -> tuple[Courbe, ...]:  # fmt: skip
    """Les 24 derniers mois de chaque indicateur de la synthèse qui a des valeurs."""
    debut = str(periodes.Mois.parse(mois).decale(1 - MOIS_COURBE))
    codes = [c.code for c in cartes]
    series = progression.read_series(
        conn, indicateurs=codes, territoire=territoire, perimetre=perimetre
    )
    garde = (series["fin"] <= mois) & (series["fin"] >= debut)
    tous = _evenements(conn, debut, mois, territoire)
    courbes = []
    for carte in cartes:
        lignes = series[garde & (series["indicateur"] == carte.code)].sort_values("fin")
        if lignes["valeur"].notna().any():
            points = tuple(
                Point(str(p), str(f), _nombre(v))
                for p, f, v in zip(lignes["periode"], lignes["fin"], lignes["valeur"], strict=True)
            )
            evenements = tuple(e for e in tous if e.concerne(carte.code))
            courbes.append(Courbe(carte.code, carte.titre, carte.unite, points, evenements))
    return tuple(courbes)


# --- Révisions ----------------------------------------------------------------------------


def _chiffres(ligne: LigneIndicateur) -> tuple[Any, ...]:
    return (ligne.reel, ligne.cible, ligne.attendu, ligne.statut, ligne.donnees_au)


def revises(direct: TableauDeBord, edition: TableauDeBord) -> tuple[str, ...]:
    """Les indicateurs dont un chiffre de la vue en direct diffère de l'édition publiée."""
    publies = {i.code: _chiffres(i) for i in (*edition.indicateurs, *edition.synthese)}
    return tuple(
        dict.fromkeys(
            i.code for i in (*direct.synthese, *direct.indicateurs)
            if i.code in publies and publies[i.code] != _chiffres(i)
        )
    )  # fmt: skip
