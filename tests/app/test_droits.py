"""Droits d'écriture côté application : les fonctions que les pages appellent refusent d'elles-
mêmes un lecteur et un compte à périmètre hors de son territoire, et les pages ne proposent à
chacun que ce qu'il peut faire (ticket 19).

Les fonctions de `dashboard.donnees` sont appelées ici directement, avec l'utilisateur tel que
le routeur le donne aux pages (`auth.Utilisateur`), comme le ferait une page qui oublierait de
cacher un bouton : le refus vient de la fonction qui écrit, et la base ne bouge pas.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard import utilisateurs
from dashboard.auth import Utilisateur
from dashboard.donnees import annotations as donnees_annotations
from dashboard.donnees import editions as donnees_editions
from dashboard.donnees import import_donnees as donnees_import
from data_access import annotations
from data_access.droits import DroitRefuse, administrateur_local
from data_access.lots import Comptes
from tests.app.aides import connexion, page
from tests.bases import empreinte_base

pytestmark = pytest.mark.usefixtures("environnement")

ELU_NORD = Utilisateur("elu-nord", "Vice-président NORD", "lecteur", "NORD")
PILOTAGE_NORD = Utilisateur("pil-nord", "Mission NORD", "pilotage", "NORD")
MOIS = "2019-02"
FICHIER = b"indicateur;territoire;periode;valeur\nOO2-S.1;6704;2019-T1;4321\n"  # canton du SUD


def _annotation_du_sud(environnement: Path) -> int:
    with connexion(environnement, ecriture=True) as conn:
        return annotations.add_annotation(
            conn, mois=MOIS, type="incident", libelle="Panne au SUD", indicateurs=None,
            territoire="SUD", acteur=administrateur_local("admin"),
        )  # fmt: skip


ECRITURES: dict[str, Callable[[Utilisateur, Path], object]] = {
    "importer": lambda u, _: donnees_import.importer(
        "sud.csv", FICHIER, acteur=u, correction=False, attendu=Comptes(ajoutees=1)
    ),
    "annuler": lambda u, _: donnees_import.annuler(1, acteur=u),
    "commenter": lambda u, _: donnees_editions.commenter(
        MOIS, {("OO2-S.1", "67"): "Explication."}, acteur=u
    ),
    "publier": lambda u, _: donnees_editions.publier(MOIS, acteur=u),
    "annoter": lambda u, _: donnees_annotations.add(
        mois=MOIS, type_="incident", libelle="Panne", indicateurs=None, territoire=None, acteur=u
    ),
    "supprimer un événement": lambda u, env: donnees_annotations.delete(
        _annotation_du_sud(env), acteur=u
    ),
}


@pytest.mark.parametrize("utilisateur", [ELU_NORD, PILOTAGE_NORD], ids=["lecteur", "pilotage-NORD"])
@pytest.mark.parametrize("nom", list(ECRITURES))
def test_les_ecritures_de_l_application_refusent_hors_des_droits(
    environnement: Path, nom: str, utilisateur: Utilisateur
) -> None:
    with connexion(environnement) as conn:
        avant = empreinte_base(conn)
    with pytest.raises(DroitRefuse) as refus:
        ECRITURES[nom](utilisateur, environnement)
    qui = "lecture seule" if utilisateur.role == "lecteur" else "mission de pilotage"
    debut = f"Droit refusé : le compte « {utilisateur.identifiant} » ({qui}, périmètre NORD) "
    assert str(refus.value).startswith(debut + "ne peut pas ")
    with connexion(environnement) as conn:
        apres = empreinte_base(conn)
    if nom == "supprimer un événement":  # l'événement à supprimer a été créé pour le test
        assert apres["annotation"][0] == avant["annotation"][0] + 1
        apres["annotation"] = avant["annotation"]
    assert apres == avant


def test_un_lecteur_n_a_aucun_bouton_d_ecriture_sur_le_tableau_de_bord() -> None:
    at = page("elu-nord", "tableau_de_bord", {"periode": MOIS})
    assert not [t for t in at.toggle if t.key == "tdb_preparer"]
    assert not [b for b in at.button if b.key == "tdb_publier"]


def test_un_compte_a_perimetre_commente_son_territoire_mais_ne_publie_pas(
    environnement: Path,
) -> None:
    utilisateurs.add_compte(
        environnement / "utilisateurs.yaml", "pil-nord", acteur=administrateur_local("admin"),
        role="pilotage", perimetre="NORD", mot_de_passe="un-long-secret",
    )  # fmt: skip
    at = page("pil-nord", "tableau_de_bord", {"periode": MOIS})
    at.toggle(key="tdb_preparer").set_value(True).run()
    zones = [z.key for z in at.text_area]
    assert zones and all(cle.endswith("_NORD") for cle in zones), zones
    assert not [b for b in at.button if b.key == "tdb_publier"]
