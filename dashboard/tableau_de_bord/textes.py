"""Les cibles et les sources d'une ligne du tableau de bord, en mots : les mêmes à l'écran, en
séance (comité) et dans les exports.

Quand les documents donnent deux cibles pour la même période (OO2-S.1 : 10 000 au §3.1, 11 199
en sommant les objectifs territoriaux du §4), les deux sont écrites, chacune avec sa source
nommée par son document (`dashboard.sources`) ; aucune n'est choisie en silence.
"""

from __future__ import annotations

from dashboard import formats, sources
from dashboard.modeles import natures_cibles
from dashboard.tableau_de_bord.contenu import AutreCible, LigneIndicateur, TableauDeBord


def texte_autre_cible(autre: AutreCible, unite: str, *, detail: bool = False) -> str:
    """« 11 199 (PDIE 2017-2019, §4) » ; avec `detail`, la période, l'attendu et le statut :
    « 11 199 (2017-2019, PDIE 2017-2019, §4), attendu à date 9 333, en avance »."""
    valeur = formats.valeur(autre.cible, unite)
    source = sources.lisible(autre.source_cible)
    if not detail:
        return f"{valeur} ({source})" if source else valeur
    lieu = ", ".join(t for t in (autre.periode_cible, source) if t)
    texte = f"{valeur} ({lieu})" if lieu else valeur
    if autre.attendu is not None:
        texte += f", attendu à date {formats.valeur(autre.attendu, unite)}"
    statut = natures_cibles.mot_statut(autre.statut, autre.nature_cible, autre.regle_cible)
    return texte + (f", {statut}" if autre.statut else "")


def texte_sources(ligne: LigneIndicateur) -> str:
    """D'où viennent la cible et ses autres cibles, chacune nommée par sa valeur quand il y en
    a plusieurs : « 10 000 : PDIE 2017-2019, §3.1, §7 (OO2) ; 11 199 : PDIE 2017-2019, §4 » ;
    sans cible, la source de l'indicateur."""
    if ligne.cible is None or not ligne.autres_cibles:
        return sources.lisible(ligne.source_cible or ligne.source)
    cibles = [(ligne.cible, ligne.source_cible)]
    cibles += [(a.cible, a.source_cible) for a in ligne.autres_cibles]
    return " ; ".join(f"{formats.valeur(c, ligne.unite)} : {sources.lisible(s)}" for c, s in cibles)


def texte_cibles(ligne: LigneIndicateur) -> str:
    """La cible d'une ligne en texte, avec ses autres cibles et leurs sources quand il y en a :
    « 10 000 (PDIE 2017-2019, §3.1, §7 (OO2)) ; autre cible : 11 199 (PDIE 2017-2019, §4) »."""
    if ligne.cible is None:
        return "aucune"
    valeur = formats.valeur(ligne.cible, ligne.unite)
    if not ligne.autres_cibles:
        return valeur
    source = sources.lisible(ligne.source_cible)
    morceaux = [f"{valeur} ({source})" if source else valeur]
    morceaux += [f"autre cible : {texte_autre_cible(a, ligne.unite)}" for a in ligne.autres_cibles]
    return " ; ".join(morceaux)


def _sources_citees(tableau: TableauDeBord) -> list[str]:
    lignes = (*tableau.synthese, *tableau.indicateurs)
    return [
        *(i.source_cible or i.source for i in lignes),
        *(a.source_cible for i in lignes for a in i.autres_cibles),
    ]


def texte_documents(tableau: TableauDeBord) -> str:
    """La ligne « Sources » : chaque document cité par les cibles et les définitions du
    tableau, titre court puis titre complet (« PDIE 2017-2019 (Plan départemental …) »)."""
    documents = sources.documents_cites(_sources_citees(tableau))
    return " ; ".join(f"{d.titre} ({d.document})" for d in documents) or "aucun document cité"
