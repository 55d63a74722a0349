"""Mode présentation du comité de pilotage : les diapositives du tableau de bord, en données.

Le comité départemental de pilotage relit le tableau de bord en séance, projeté sur un écran de
salle. Une diapositive par section, et chacune doit tenir dans l'écran sans défiler (on ne fait
pas défiler une projection devant vingt personnes) : ce module décide quoi montrer et combien —
l'ordre des diapositives, les indicateurs retenus d'un objectif et ceux qui renvoient à la page
Objectifs, le statut de chaque territoire sur la carte, les tableaux en HTML. Il n'appelle pas
Streamlit, pour que ces choix se testent sans navigateur ; `dashboard.vues.comite` pose.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from dashboard import apparence, formats, sources
from dashboard.modeles import barres, natures_cibles
from dashboard.modeles.moyens_resultats import Ratio, texte_ratio, texte_valeur
from dashboard.modeles.synthese import libelle_statut
from dashboard.tableau_de_bord import textes
from dashboard.tableau_de_bord.contenu import (
    EN_RETARD,
    LigneIndicateur,
    LigneTerritoire,
    TableauDeBord,
)

MODE = "comite"
# Une diapositive d'objectif garde ses lignes lisibles de loin à 1280×720 : au-delà, les autres
# indicateurs sont comptés et renvoyés à la page Objectifs.
MAX_LIGNES_OBJECTIF = 6
MAX_ALERTES = 4
INDICATEUR_CARTE = "OO2-S.1"  # accès à l'emploi : l'objectif du §4 que le comité suit d'abord
SANS_TRAJECTOIRE = "sans trajectoire"
HORS_PERIMETRE = "hors de votre périmètre"
# Les étiquettes de la carte grandissent avec elle (la carte suit la hauteur de l'écran).
TAILLE_ETIQUETTE = "max(11, height / 26)"
ORDRE_STATUTS = ("en retard", "dans la trajectoire", "en avance", "non renseigné",
                 natures_cibles.NON_EVALUABLE, natures_cibles.REPERE)  # fmt: skip

# Couleurs claires de la carte : le nom du territoire et son statut sont écrits en noir dessus,
# le statut se lit donc aussi en noir et blanc (et sans distinguer les couleurs).
REMPLISSAGE_STATUT = {
    **{statut: style.fond for statut, style in apparence.STATUTS.items()},
    HORS_PERIMETRE: "#f4f4f4",
}


@dataclass(frozen=True)
class Diapo:
    """Une diapositive : sa clé (« synthese », « OS2 », « carte »…) et son titre."""

    cle: str
    titre: str


SYNTHESE, TERRITOIRES, CARTE, MOYENS, ALERTES = (
    "synthese", "territoires", "carte", "moyens", "alertes",
)  # fmt: skip


def diapos(tableau: TableauDeBord) -> tuple[Diapo, ...]:
    """Les diapositives, dans l'ordre de la séance : synthèse, chaque objectif stratégique,
    territoires, carte, moyens et résultats, alertes.

    La liste ne dépend que de l'arbre du plan, jamais des chiffres du mois : `diapo=4` désigne
    la même section d'une édition à l'autre, et un lien noté en séance reste juste.
    """
    objectifs = tuple(Diapo(o.code, f"{o.code} · {o.libelle}") for o in tableau.objectifs)
    return (
        Diapo(SYNTHESE, "Synthèse"),
        *objectifs,
        Diapo(TERRITOIRES, "Territoires d'action (§4)"),
        Diapo(CARTE, "Carte : accès à l'emploi par territoire d'action"),
        Diapo(MOYENS, "Moyens et résultats"),
        Diapo(ALERTES, "Alertes"),
    )


def abrege(texte: str, longueur: int = 60) -> str:
    """Le texte coupé au dernier mot avant `longueur` caractères, suivi de « … »."""
    if len(texte) <= longueur:
        return texte
    return texte[: longueur - 1].rsplit(" ", 1)[0] + "…"


def numeros(nombre: int) -> list[str]:
    """Les valeurs permises de `diapo=` dans l'URL : « 1 » à « n »."""
    return [str(i) for i in range(1, nombre + 1)]


# --- Diapositive d'un objectif stratégique --------------------------------------------------


def statut_affiche(statut: str, nature: str = "", regle: str = "") -> str:
    """« ▼ en retard » ; un indicateur sans cible est « sans trajectoire », pas non renseigné ;
    un repère dit la nature de sa cible (« ◇ repère (plafond) »)."""
    return libelle_statut(statut, nature, regle) if statut else SANS_TRAJECTOIRE


def _priorite(ligne: LigneIndicateur) -> int:
    """Ce que le comité doit voir d'abord : les retards, puis les indicateurs des objectifs
    opérationnels (« OO… »), puis ceux qui ont une trajectoire, puis les autres."""
    if ligne.statut == EN_RETARD:
        return 0
    if ligne.code.startswith("OO"):
        return 1
    if ligne.statut in ORDRE_STATUTS[1:3]:
        return 2
    if ligne.statut:
        return 3
    return 4 if ligne.reel is not None else 5


@dataclass(frozen=True)
class ResumeObjectif:
    """Un objectif stratégique en une diapositive.

    `comptes` : (statut, nombre d'indicateurs), dans l'ordre de `ORDRE_STATUTS` puis « sans
    trajectoire », statuts absents omis. `lignes` : les indicateurs montrés, les plus importants
    d'abord ; `autres` : combien ne tiennent pas et sont renvoyés à la page Objectifs.
    """

    code: str
    libelle: str
    comptes: tuple[tuple[str, int], ...]
    lignes: tuple[LigneIndicateur, ...]
    autres: int


def comptes_statuts(lignes: Iterable[LigneIndicateur]) -> tuple[tuple[str, int], ...]:
    compte = Counter(ligne.statut or SANS_TRAJECTOIRE for ligne in lignes)
    return tuple((s, compte[s]) for s in (*ORDRE_STATUTS, SANS_TRAJECTOIRE) if compte[s])


def resume_objectif(
    tableau: TableauDeBord, code: str, maximum: int = MAX_LIGNES_OBJECTIF
) -> ResumeObjectif:
    """Les comptes par statut de l'objectif et ses `maximum` indicateurs principaux."""
    libelle = next((o.libelle for o in tableau.objectifs if o.code == code), code)
    lignes = tableau.par_objectif(code)
    rangs = {ligne.code: i for i, ligne in enumerate(lignes)}
    tries = sorted(lignes, key=lambda ligne: (_priorite(ligne), rangs[ligne.code]))
    return ResumeObjectif(
        code, libelle, comptes_statuts(lignes), tuple(tries[:maximum]),
        max(0, len(lignes) - maximum),
    )  # fmt: skip


def barre_objectif(tableau: TableauDeBord, resume: ResumeObjectif) -> barres.Barre:
    """La barre par statut de l'objectif (tous ses indicateurs, pas seulement ceux montrés), et
    la cible additionnée de ses indicateurs jugés sur une cible quand la somme a un sens
    (`barres.cible_additionnee`) : le comité lit l'objectif d'un coup d'œil."""
    statuts = [statut for statut, nombre in resume.comptes for _ in range(nombre)]
    jugees = [
        {"suivi": ligne.suivi, "comparable": True, "nature": ligne.nature, "unite": ligne.unite,
         "periode_cible": ligne.periode_cible, "cible": ligne.cible, "reel": ligne.reel,
         "attendu": ligne.attendu}
        for ligne in tableau.par_objectif(resume.code)
        if ligne.suivi == "cible" and ligne.cible is not None
        and ligne.statut not in natures_cibles.NON_JUGES
    ]  # fmt: skip
    return barres.build_barre(resume.code, statuts, cible=barres.cible_additionnee(jugees))


def texte_comptes(comptes: Sequence[tuple[str, int]]) -> str:
    """« ▼ en retard : 1 · ● dans la trajectoire : 5 · sans trajectoire : 3 »."""
    return " · ".join(f"{statut_affiche('' if s == SANS_TRAJECTOIRE else s)} : {n}"
                      for s, n in comptes)  # fmt: skip


def texte_autres(autres: int, ou: str = "page Objectifs") -> str:
    """« + 7 autres indicateurs : page Objectifs » (vide s'il n'y en a pas)."""
    if autres <= 0:
        return ""
    return f"+ {autres} autre{'s' * (autres > 1)} indicateur{'s' * (autres > 1)} : {ou}"


def _reel(ligne: LigneIndicateur) -> str:
    if ligne.suivi == "jalon":
        return {None: formats.MANQUANT, 1.0: "réalisé"}.get(ligne.reel, "non réalisé")
    return formats.valeur(ligne.reel, ligne.unite)


def _et_autres(
    ligne: LigneIndicateur, principale: float | None, autres: Iterable[float | None]
) -> str:
    """« 10 000 / 11 199 » : le chiffre de la cible principale puis ceux de ses autres cibles
    (les documents en donnent deux, les deux sont montrés ; leurs sources sont dans l'aide)."""
    return " / ".join(formats.valeur(x, ligne.unite) for x in (principale, *autres))


def lignes_indicateurs(lignes: Iterable[LigneIndicateur]) -> list[list[str]]:
    """Les cellules d'un tableau d'indicateurs en texte français (voir `ENTETES_INDICATEURS`)."""
    return [
        [
            ligne.code,
            ligne.titre or ligne.libelle,
            _reel(ligne),
            _et_autres(ligne, ligne.cible, (a.cible for a in ligne.autres_cibles))
            if ligne.cible is not None
            else "aucune",
            _et_autres(ligne, ligne.attendu, (a.attendu for a in ligne.autres_cibles)),
            statut_affiche(ligne.statut, ligne.nature_cible, ligne.regle_cible),
            formats.periode(ligne.donnees_au) if ligne.donnees_au else formats.AUCUNE_DONNEE,
        ]
        for ligne in lignes
    ]


def notes_cibles(lignes: Iterable[LigneIndicateur]) -> list[str]:
    """Sous un tableau, les sources des indicateurs à plusieurs cibles (« OO2-S.1, sources des
    cibles : 10 000 : PDIE 2017-2019, §3.1, §7 (OO2) ; 11 199 : PDIE 2017-2019, §4 »)."""
    return [f"{ligne.code}, sources des cibles : {textes.texte_sources(ligne)}"
            for ligne in lignes if ligne.autres_cibles]  # fmt: skip


ENTETES_INDICATEURS = ("Code", "Indicateur", "Réalisé", "Cible", "Attendu à date", "Statut",
                       "Période des données")  # fmt: skip
SANS_COUPURE_INDICATEURS = (0, 2, 3, 4, 5, 6)  # tout sauf le libellé, qui se replie


# --- Territoires (§4) et carte -------------------------------------------------------------


@dataclass(frozen=True)
class GrilleTerritoires:
    """Le tableau du §4 en grille : une ligne par territoire, une colonne par rubrique."""

    periode: str
    rubriques: tuple[tuple[str, str], ...]  # (indicateur, rubrique)
    lignes: tuple[tuple[str, tuple[LigneTerritoire | None, ...]], ...]  # (libellé, cases)


def grille_territoires(tableau: TableauDeBord) -> GrilleTerritoires:
    rubriques = tuple(dict.fromkeys((t.indicateur, t.rubrique) for t in tableau.territoires))
    cases = {(t.territoire, t.indicateur): t for t in tableau.territoires}
    noms = dict.fromkeys((t.territoire, t.libelle_territoire) for t in tableau.territoires)
    lignes = tuple(
        (libelle, tuple(cases.get((code, ind)) for ind, _ in rubriques)) for code, libelle in noms
    )
    periode = next((t.periode for t in tableau.territoires), "")
    return GrilleTerritoires(periode, rubriques, lignes)


def texte_case(case: LigneTerritoire | None) -> str:
    """« 291 sur 736 (attendu 368) » puis, à la ligne, « ▼ en retard »."""
    if case is None:
        return formats.MANQUANT
    attendu = formats.valeur(case.attendu, "")
    chiffres = f"{formats.valeur(case.reel, '')} sur {formats.valeur(case.cible, '')}"
    if case.attendu is not None:
        chiffres += f" (attendu {attendu})"
    return f"{chiffres}\n{statut_affiche(case.statut)}"


def statuts_carte(
    tableau: TableauDeBord, indicateur: str = INDICATEUR_CARTE
) -> dict[str, LigneTerritoire]:
    """La case du §4 de chaque territoire d'action pour l'indicateur de la carte."""
    return {t.territoire: t for t in tableau.territoires if t.indicateur == indicateur}


def build_carte(
    tableau: TableauDeBord, contours: Mapping[str, Any], indicateur: str = INDICATEUR_CARTE
) -> alt.LayerChart | alt.FacetChart:
    """Les quatre territoires d'action colorés par leur statut du §4, avec leur nom, le statut
    en toutes lettres et « réalisé sur cible » écrits dessus.

    Lue dans le contenu figé de l'édition (`tableau.territoires`), jamais dans les valeurs du
    jour. Les contours viennent du fichier versionné `territoires_67.geojson` : aucune tuile ni
    requête à internet. Un territoire absent (hors du périmètre de l'élu) est dit comme tel.
    """
    cases = statuts_carte(tableau, indicateur)
    formes, etiquettes = [], []
    for feature in contours["features"]:
        proprietes = feature["properties"]
        case = cases.get(proprietes["code"])
        statut = (case.statut or "non renseigné") if case else HORS_PERIMETRE
        chiffres = (
            f"{formats.valeur(case.reel, '')} sur {formats.valeur(case.cible, '')}" if case else ""
        )
        formes.append({
            "type": "Feature", "geometry": feature["geometry"],
            "properties": {"libelle": proprietes["libelle"], "statut": statut,
                           "chiffres": chiffres or formats.MANQUANT},
        })  # fmt: skip
        lon, lat = proprietes["etiquette"]
        texte = [proprietes["libelle"], statut_affiche(statut) if case else statut, chiffres]
        etiquettes.append({"lon": lon, "lat": lat, "texte": [t for t in texte if t]})
    couleur = alt.Color(
        "properties.statut:N", title="Statut",
        scale=alt.Scale(domain=list(REMPLISSAGE_STATUT), range=list(REMPLISSAGE_STATUT.values())),
        legend=None,
    )  # fmt: skip
    fond = (
        alt.Chart(alt.Data(values=formes))
        .mark_geoshape(stroke="#252525", strokeWidth=1.5)
        .encode(
            color=couleur,
            tooltip=[alt.Tooltip("properties.libelle:N", title="Territoire"),
                     alt.Tooltip("properties.statut:N", title="Statut"),
                     alt.Tooltip("properties.chiffres:N", title="Réalisé sur cible")],
        )
    )  # fmt: skip
    noms = (
        alt.Chart(alt.Data(values=etiquettes))
        .mark_text(
            fontSize=alt.ExprRef(TAILLE_ETIQUETTE),
            fontWeight="bold",
            color="#111111",
            lineHeight=alt.ExprRef(f"1.25 * {TAILLE_ETIQUETTE}"),
        )  # fmt: skip
        .encode(longitude="lon:Q", latitude="lat:Q", text="texte:N")
    )
    return alt.layer(fond, noms).project(type="mercator").properties(width="container")


# --- Moyens et résultats ------------------------------------------------------------------


ENTETES_RATIOS = ("Rapprochement", "Moyen", "Résultat", "Ratio")


def lignes_ratios(ratios: Iterable[Ratio]) -> list[list[str]]:
    """Chaque ratio avec ses deux termes et leurs périodes : un ratio ne se lit pas seul."""
    return [
        [
            r.libelle,
            f"{texte_valeur(r.moyen.valeur, r.moyen.unite)} ({r.moyen.periode})",
            f"{texte_valeur(r.resultat.valeur, r.resultat.unite)} ({r.resultat.periode})",
            texte_ratio(r),
        ]
        for r in ratios
    ]


def aide_ratio(ratio: Ratio) -> str:
    """La formulation du document pour le moyen, la source du résultat et la lecture."""
    return (
        f"**{ratio.libelle}** · moyen : « {ratio.moyen.texte} » "
        f"({sources.lisible(ratio.moyen.source)}) ; "
        f"résultat : {sources.lisible(ratio.resultat.source)}. {ratio.mention}"
    )


# --- Alertes ---------------------------------------------------------------------------------


def alertes(
    tableau: TableauDeBord, maximum: int = MAX_ALERTES
) -> tuple[tuple[LigneIndicateur, ...], int]:
    """Les indicateurs en retard montrés (dans l'ordre du plan) et combien restent."""
    toutes = tableau.alertes
    return toutes[:maximum], max(0, len(toutes) - maximum)


LONGUEUR_COMMENTAIRE = 240  # au-delà, le texte entier est dans l'onglet Alertes de la page


def commentaire(ligne: LigneIndicateur, longueur: int | None = None) -> str:
    """Le commentaire de la mission de pilotage, signé, marqué s'il est de démonstration ;
    coupé à `longueur` caractères (un commentaire peut en compter mille)."""
    if not ligne.commentaire:
        return "Aucun commentaire."
    texte = ligne.commentaire
    if longueur is not None and len(texte) > longueur:
        texte = texte[:longueur].rsplit(" ", 1)[0] + " […] (texte entier : onglet Alertes)"
    demo = " (démonstration)" if ligne.commentaire_demo else ""
    return f"« {texte} » — {ligne.commentaire_auteur}{demo}"


def alerte_html(ligne: LigneIndicateur) -> str:
    """Une alerte en encadré : statut en mot, indicateur, chiffres, puis le commentaire.

    Le commentaire est du texte saisi : il est échappé, jamais lu comme du Markdown ou du HTML.
    """
    reel, cible, attendu = (lignes_indicateurs([ligne])[0][i] for i in (2, 3, 4))
    tete = f"{statut_affiche(ligne.statut)} · {ligne.code} · {ligne.libelle}"
    donnees = formats.donnees_de(ligne.donnees_au, majuscule=False)
    chiffres = f"réalisé {reel} sur {cible} (attendu {attendu}), {donnees}"
    return (
        f'<div class="comite-alerte"><p><strong>{html.escape(tete)}</strong> — '
        f"{html.escape(chiffres)}</p>"
        f"<p>{html.escape(commentaire(ligne, LONGUEUR_COMMENTAIRE))}</p></div>"
    )


# --- Définitions (un clic) --------------------------------------------------------------------


def aide(ligne: LigneIndicateur) -> str:
    """Ce que mesure le chiffre, à quelle date, d'où il vient : l'aide d'une valeur."""
    morceaux = [f"**{ligne.code}** · {ligne.definition or ligne.libelle}"]
    morceaux.append(f"{formats.donnees_de(ligne.donnees_au)}.")
    if ligne.cible is not None:
        morceaux.append(f"Cible {formats.valeur(ligne.cible, ligne.unite)} "
                        f"({ligne.periode_cible}).")  # fmt: skip
    morceaux += [f"Autre cible : {textes.texte_autre_cible(a, ligne.unite, detail=True)}."
                 for a in ligne.autres_cibles]  # fmt: skip
    if sources := textes.texte_sources(ligne):
        morceaux.append(f"Source{'s' * bool(ligne.autres_cibles)} : {sources}.")
    return " ".join(morceaux)


def definitions(tableau: TableauDeBord, codes: Iterable[str]) -> list[str]:
    """L'aide de chaque indicateur cité, une fois chacun, dans l'ordre donné."""
    connues = {i.code: i for i in (*tableau.synthese, *tableau.indicateurs)}
    return [aide(connues[c]) for c in dict.fromkeys(codes) if c in connues]


# --- Tableaux HTML ---------------------------------------------------------------------------


def table_html(
    entetes: Sequence[str],
    lignes: Iterable[Sequence[str]],
    *,
    sans_coupure: Collection[int] = (0,),
    classe: str = "comite-table",
) -> str:
    """Un tableau HTML échappé (« \\n » dans une cellule : retour à la ligne) ; les colonnes
    `sans_coupure` (codes, statuts, dates) ne se coupent pas en fin de ligne.

    Du HTML plutôt qu'un `st.dataframe` : la grille de données a des lignes de hauteur fixe en
    pixels, quand une diapositive doit grandir avec l'écran (la taille du texte suit la fenêtre).
    """

    def cellule(i: int, texte: str) -> str:
        contenu = "<br>".join(html.escape(part) for part in str(texte).split("\n"))
        return f'<td class="nw">{contenu}</td>' if i in sans_coupure else f"<td>{contenu}</td>"

    tete = "".join(f"<th>{html.escape(e)}</th>" for e in entetes)
    corps = "".join(
        "<tr>" + "".join(cellule(i, c) for i, c in enumerate(ligne)) + "</tr>" for ligne in lignes
    )
    return f'<table class="{classe}"><thead><tr>{tete}</tr></thead><tbody>{corps}</tbody></table>'


def titre_html(titre: str, contexte: str) -> str:
    """Le titre de la diapositive et, dessous, ce qu'elle montre (territoire, édition, date)."""
    return (
        f'<div class="comite-titre">{html.escape(titre)}</div>'
        f'<div class="comite-contexte">{html.escape(contexte)}</div>'
    )
