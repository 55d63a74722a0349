"""Tableau de bord mensuel : le contenu d'une édition, en nombres, figeable en JSON.

Le PDIE (002, fiche 5.1.6) demande un tableau de bord synthétique publié chaque mois. Ce module
en assemble le contenu pour un mois et un territoire — cartes de la synthèse, indicateurs du plan
avec cible, attendu, statut et commentaire, tableau du §4, changements de statut, alertes,
événements du mois — à partir d'une lecture faite d'avance (`data_access.tableau_de_bord`), sans
base ni Streamlit.

Le contenu ne garde que des nombres et des textes bruts (les formats français sont appliqués à
l'affichage et dans les exports) : une édition publiée est ce contenu sérialisé en JSON, relu tel
quel, si bien que ses exports sont identiques octet pour octet quoi qu'il arrive aux valeurs.

`version` dit quelle forme a le contenu, et donc comment ses exports s'écrivent :
- 1 : la première forme ;
- 2 : la nature de chaque cible (`nature_cible`, `regle_cible`, `motif` : une cible qui n'est
  pas du plan est un repère, sans statut) ; les moyens et résultats figés (`moyens`) ; les autres
  cibles d'un indicateur à côté de la principale (`autres_cibles` : 11 199, somme des objectifs
  du §4, à côté des 10 000 du §3.1 pour OO2-S.1) ; ses exports citent les documents par leur nom,
  arrondissent chaque nombre à la précision de son unité et portent « Données de démonstration »
  sur chaque page, feuille et en première ligne du CSV.
Un contenu de version 1 se relit (champs absents : valeurs par défaut) et s'exporte avec les
chiffres qu'il a publiés (`dashboard.exports.tables.forme_2`) ; ses libellés sont ceux de la
version de l'application qui l'exporte (une version peut changer des mots, jamais des chiffres).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import pandas as pd

from dashboard import formats
from dashboard.modeles import natures_cibles, objectifs, synthese
from dashboard.modeles import territoires as territoires_tableau
from dashboard.tableau_de_bord import moyens_figes
from dashboard.tableau_de_bord.moyens_figes import MoyensEdition
from data_access import periodes
from data_access.tableau_de_bord import LectureTableau

EN_RETARD = "en retard"
VERSION_CONTENU = 2
VERSION_INITIALE = 1


@dataclass(frozen=True)
class AutreCible:
    """Une cible de plus pour la même période que la principale, avec sa valeur attendue et son
    statut : les documents donnent deux chiffres, les deux sont montrés, aucun n'est recalculé
    (OO2-S.1 : 11 199, somme des objectifs territoriaux du §4, à côté des 10 000 du §3.1)."""

    cible: float
    periode_cible: str
    libelle_cible: str
    attendu: float | None
    statut: str
    source_cible: str
    # La nature de cette cible (`natures_cibles`), pour écrire son statut avec sa nature
    # (« repère (plafond) ») ; vide dans les éditions publiées avant, lues comme « plan ».
    nature_cible: str = ""
    regle_cible: str = ""


@dataclass(frozen=True)
class LigneIndicateur:
    """Un indicateur à la date : sa cible principale, la valeur attendue et le statut.

    `statut` vide : pas de trajectoire (indicateur sans cible, cible dans une autre unité).
    `statut_precedent` : son statut dans l'édition précédente (ou au mois précédent).
    `titre` : le titre de sa carte, pour les lignes de la synthèse. `nature_cible` : code de la
    nature de la cible (`data_access.natures_cibles`) ; `motif` : pourquoi la cible n'est pas
    jugée (repère, trajectoire non évaluable), vide pour une cible jugée.
    `nature_cible`, `regle_cible`, `motif`, `libelle_cible`, `autres_cibles` : depuis la version 2
    du contenu (vides avant ; une édition de version 1 a été publiée sans eux).
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
    nature_cible: str = ""
    regle_cible: str = ""
    motif: str = ""
    libelle_cible: str = ""
    autres_cibles: tuple[AutreCible, ...] = ()


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
    `moyens` : les moyens et résultats figés à la publication, un par périmètre qui peut lire
    l'édition (`moyens_figes`) ; vide en direct et dans une édition publiée avant eux.
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
    moyens: tuple[MoyensEdition, ...] = ()
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


def _indicateur(brut: Mapping[str, Any]) -> dict[str, Any]:
    """Une ligne d'indicateur relue, ses autres cibles en objets (absentes en version 1)."""
    return {**brut, "autres_cibles": _lignes(AutreCible, brut.get("autres_cibles", ()))}


def from_json(texte: str) -> TableauDeBord:
    """Relit un contenu figé (`to_json`), de n'importe quelle version : un champ ajouté depuis
    sa publication prend sa valeur par défaut."""
    d = json.loads(texte)
    pub = d.get("publication")
    return TableauDeBord(
        mois=d["mois"],
        territoire=d["territoire"],
        libelle_territoire=d["libelle_territoire"],
        derniere_periode=d["derniere_periode"],
        objectifs=_lignes(Objectif, d["objectifs"]),
        synthese=_lignes(LigneIndicateur, map(_indicateur, d["synthese"])),
        indicateurs=_lignes(LigneIndicateur, map(_indicateur, d["indicateurs"])),
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
        moyens=tuple(moyens_figes.from_dict(m) for m in d.get("moyens", [])),
        version=d.get("version", VERSION_INITIALE),
    )


# --- Construction -------------------------------------------------------------------------


def _nombre(x: Any) -> float | None:
    return None if formats.manquant(x) else float(x)


def _texte(x: Any) -> str:
    return formats.texte_ou_vide(x)


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
    autres: tuple[AutreCible, ...] = (),
) -> LigneIndicateur:
    code = str(ligne["indicateur"])
    note = notes.get(code, {})
    a_cible = ligne["suivi"] == "cible"
    reel = ligne["reel"] if a_cible else ligne["derniere_valeur"]
    if ligne["suivi"] == "jalon":
        reel = None if formats.manquant(ligne["realise"]) else float(bool(ligne["realise"]))
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
        nature_cible=_texte(ligne["nature_cible"]) if a_cible else "",
        regle_cible=_texte(ligne["regle_cible"]) if a_cible else "",
        motif=natures_cibles.motif(ligne) if a_cible else "",
        libelle_cible=_texte(ligne["libelle_cible"]) if a_cible else "",
        autres_cibles=autres if a_cible else (),
    )


def _autres_cibles(retenues: pd.DataFrame) -> tuple[AutreCible, ...]:
    """Les cibles retenues après la première (`synthese.choisir_cibles` : même période, autre
    valeur) : elles sont montrées à côté de la principale, jamais à sa place."""
    return tuple(
        AutreCible(
            cible=float(r["cible"]), periode_cible=_texte(r["periode_cible"]),
            libelle_cible=_texte(r["libelle_cible"]), attendu=_nombre(r["attendu"]),
            statut=_texte(r["statut"]), source_cible=_texte(r["source"]),
            nature_cible=_texte(r.get("nature_cible")), regle_cible=_texte(r.get("regle_cible")),
        )
        for _, r in retenues.iloc[1:].iterrows()
    )  # fmt: skip


def _autres_par_indicateur(cadre: pd.DataFrame, mois: str) -> dict[str, tuple[AutreCible, ...]]:
    """Les autres cibles de chaque indicateur, à côté de celle que retient `principales`."""
    retenues = synthese.choisir_cibles(cadre, "plan", mois)
    groupes = retenues.groupby("indicateur", sort=False)
    return {str(code): _autres_cibles(groupe) for code, groupe in groupes if len(groupe) > 1}


def _statuts(progressions: pd.DataFrame, mois: str) -> dict[str, str]:
    principales = objectifs.principales(progressions, mois=mois)
    return {str(c): _texte(s) for c, s in zip(principales["indicateur"], principales["statut"],
                                               strict=True)}  # fmt: skip


def _precedents(lecture: LectureTableau) -> dict[str, str]:
    """Statuts de l'édition précédente publiée (le mois d'avant s'il l'est) ; sans édition
    antérieure, ceux que donnent les données au mois précédent."""
    if lecture.edition_precedente is not None:
        return {i.code: i.statut for i in from_json(lecture.edition_precedente).indicateurs}
    assert lecture.progressions_precedentes is not None
    avant = str(periodes.Mois.parse(lecture.mois).decale(-1))
    return _statuts(lecture.progressions_precedentes, avant)


def _evenements(cadre: pd.DataFrame) -> tuple[Evenement, ...]:
    return tuple(
        Evenement(str(r["mois"]), str(r["type"]), str(r["libelle_type"]), str(r["libelle"]),
                  str(r["libelle_territoire"]), str(r["indicateurs"]), bool(r["tous_indicateurs"]))
        for _, r in cadre.iterrows()
    )  # fmt: skip


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


def construire(lecture: LectureTableau, section4: tuple[LigneTerritoire, ...]) -> TableauDeBord:
    """Le tableau de bord en direct du mois de la lecture, pour son territoire, sans base.

    Indicateurs : ceux de l'arbre du §7 déclinés à ce territoire (un indicateur suivi au seul
    niveau du département n'a pas de sens pour un territoire d'action), plus ceux des cartes de
    la synthèse. `section4` : le tableau du §4 (le même pour tous les territoires d'une
    publication). Les lectures sont dans `data_access.tableau_de_bord.read_tableau`.
    """
    code_mois, territoire, cadre = lecture.mois, lecture.territoire, lecture.progressions
    arbre = lecture.arbre
    rattachement, liste_os = _objectifs_strategiques(arbre)
    definitions = {
        str(c): _texte(d) for c, d in zip(arbre["code"], arbre["definition"], strict=True)
    }
    precedents = _precedents(lecture)
    notes = lecture.commentaires
    principales = objectifs.principales(cadre, mois=code_mois)
    autres = _autres_par_indicateur(cadre, code_mois)
    lignes = tuple(
        _ligne(r, objectif=rattachement[str(r["indicateur"])], definitions=definitions,
               precedents=precedents, notes=notes, autres=autres.get(str(r["indicateur"]), ()))
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
                   precedents=precedents, notes=notes, titre=spec.titre,
                   autres=_autres_cibles(retenues))
        )  # fmt: skip
    noms = lecture.territoires
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
        territoires=section4,
        evenements=_evenements(lecture.evenements_mois),
        courbes=_courbes(lecture, cartes),
    )


def _courbes(lecture: LectureTableau, cartes: list[LigneIndicateur]) -> tuple[Courbe, ...]:
    """Les 24 derniers mois de chaque indicateur de la synthèse qui a des valeurs."""
    series, mois = lecture.series, lecture.mois
    garde = (series["fin"] <= mois) & (series["fin"] >= lecture.debut_courbes)
    tous = _evenements(lecture.evenements_courbes)
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
