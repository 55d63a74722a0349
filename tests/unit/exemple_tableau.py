"""Un tableau de bord de septembre 2018 construit à la main, pour tester les exports sans base.

Petit mais réaliste : un indicateur en avance, un « en retard » commenté, un taux en %, un
événement « Nouvelle convention » daté de 2018-09, le tableau du §4 et deux courbes (l'une
coupée par un changement de définition). Des textes commencent par `=` et `+` : un tableur ne
doit pas les exécuter.
"""

from __future__ import annotations

from dataclasses import replace

from dashboard.tableau_de_bord.contenu import (
    Courbe,
    Evenement,
    LigneIndicateur,
    LigneTerritoire,
    Objectif,
    Point,
    Publication,
    TableauDeBord,
)

COMMENTAIRE_RETARD = (
    "Fermeture de l'antenne de Saverne en avril ; rattrapage prévu au 4e trimestre."
)
CONVENTION = "Convention de retour à l'emploi avec les groupements d'employeurs"
FORMULE = "=SOMME(A1:A3)"
EVENEMENT_SIGNE = "+2 conseillers en insertion recrutés"
PUBLIE_LE = "2018-10-03T08:05:00+00:00"


def _indicateur(code: str, **valeurs: object) -> LigneIndicateur:
    base: dict[str, object] = {
        "code": code, "libelle": f"Indicateur {code}", "objectif": "OS1",
        "unite": "personnes", "nature": "flux", "periodicite": "trimestrielle",
        "definition": "Définition de démonstration.", "source": "002 §7", "suivi": "cible",
        "reel": None, "cible": None, "periode_cible": "", "attendu": None, "statut": "",
        "statut_precedent": "", "donnees_au": "2018-T3", "source_cible": "002 §3.1",
    }  # fmt: skip
    return LigneIndicateur(**(base | valeurs))  # type: ignore[arg-type]


RETOURS = _indicateur(
    "OO2-S.1", libelle="Nombre total de retours à l'emploi (de 6 mois et plus)",
    unite="retours à l'emploi", reel=9413.0, cible=10000.0, periode_cible="2017-2019",
    attendu=8333.333333, statut="en avance", statut_precedent="en avance",
    titre="Retours à l'emploi durable",
)  # fmt: skip
VOIES = _indicateur(
    "OO3-S.1", libelle="Nombre d'allocataires engagés dans une voie d'insertion",
    objectif="OS2", unite="allocataires", periodicite="semestrielle", reel=4120.0,
    cible=6000.0, periode_cible="2017-2019", attendu=5000.0, statut="en retard",
    statut_precedent="dans la trajectoire", donnees_au="2018-S1",
    commentaire=COMMENTAIRE_RETARD, commentaire_auteur="pilotage",
)  # fmt: skip
TAUX = _indicateur(
    "FIN-1.1", libelle="Taux de sortie", objectif="OS2", unite="%", nature="taux",
    periodicite="annuelle", suivi="sans cible", reel=45.2, donnees_au="2017",
    commentaire=FORMULE, commentaire_auteur="pilotage",
)  # fmt: skip


def _territoire(code: str, libelle: str, reel: float, cible: float, statut: str) -> LigneTerritoire:
    return LigneTerritoire(
        territoire=code, libelle_territoire=libelle, indicateur="OO2-S.1",
        rubrique="Accès à l'emploi", periode="2018", cible=cible, reel=reel,
        attendu=cible * 0.75, statut=statut, donnees_au="2018-T3",
    )  # fmt: skip


TRIMESTRES = ("2016-T4", "2017-T1", "2017-T2", "2017-T3", "2017-T4", "2018-T1", "2018-T2",
              "2018-T3")  # fmt: skip
FINS = ("2016-12", "2017-03", "2017-06", "2017-09", "2017-12", "2018-03", "2018-06", "2018-09")
EV_CONVENTION = Evenement("2018-09", "convention", "Nouvelle convention", CONVENTION, "Partout",
                          "OO2-S.1")  # fmt: skip
EV_DEFINITION = Evenement("2018-03", "definition", "Changement de définition",
                          "Contrôles sur pièces comptés", "Partout", "A31.1")  # fmt: skip

EV_FERMETURE = Evenement("2018-09", "fermeture", "Fermeture d'un service", EVENEMENT_SIGNE,
                         "Territoire Nord", "tous les indicateurs", True)  # fmt: skip


def _mensuels() -> tuple[Point, ...]:
    mois = [f"{a}-{m:02d}" for a in (2016, 2017, 2018) for m in range(1, 13)][9:33]
    return tuple(Point(m, m, None if m == "2017-05" else 340.0 + (i % 5) * 4)
                 for i, m in enumerate(mois))  # fmt: skip


def tableau(publie: bool = True) -> TableauDeBord:
    """Le tableau de bord du Bas-Rhin de septembre 2018, publié (ou provisoire)."""
    publication = Publication(PUBLIE_LE, "pilotage") if publie else None
    return TableauDeBord(
        mois="2018-09",
        territoire="67",
        libelle_territoire="Bas-Rhin",
        derniere_periode="2018-09",
        objectifs=(
            Objectif("OS1", "Favoriser l'accès à l'emploi durable"),
            Objectif("OS2", "Faire une place à chacun"),
        ),
        synthese=(RETOURS, VOIES),
        indicateurs=(RETOURS, VOIES, TAUX),
        territoires=(
            _territoire("NORD", "Nord", 291.0, 736.0, "en retard"),
            _territoire("SUD", "Sud", 600.0, 722.0, "en avance"),
            _territoire("67", "Total (département)", 2854.0, 3733.0, "dans la trajectoire"),
        ),
        evenements=(EV_CONVENTION, EV_FERMETURE),
        courbes=(
            Courbe("OO2-S.1", "Retours à l'emploi durable", "retours à l'emploi",
                   tuple(Point(p, f, 900.0 + 7 * i) for i, (p, f) in
                         enumerate(zip(TRIMESTRES, FINS, strict=True))),
                   (EV_CONVENTION,)),
            Courbe("A31.1", "Contrôles des droits", "contrôles", _mensuels(), (EV_DEFINITION,)),
        ),
        publication=publication,
    )  # fmt: skip


def provisoire() -> TableauDeBord:
    """Le même tableau, non publié."""
    return replace(tableau(), publication=None)
