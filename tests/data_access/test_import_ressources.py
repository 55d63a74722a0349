"""Import des moyens (ETP, budgets) sur SQLite et PostgreSQL : un fichier hostile est refusé avec
son message français (fichier, ligne, colonne) sans rien changer ; un fichier valide fait un lot
qui s'annule à l'identique ; les droits sont vérifiés par la fonction qui écrit.

Chaque refus compare l'empreinte de toute la base (lignes et SHA-256 de chaque table) avant et
après : « rien n'a changé » veut dire nulle part.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, select

from data_access import import_ressources, imports, schema
from data_access.droits import ActeurLocal, DroitRefuse, administrateur_local
from data_access.fichiers_import import ImportRefuse
from tests.bases import empreinte_base

ADMIN = administrateur_local("admin")
ENTETE = "code;type;objectif;partenaire;territoire;annee;valeur;unite;texte;source;note\n"
BON = (
    ENTETE
    + "ETP-NORD-2019-RENFORT;etp;OO2;Département;NORD;2019;2;ETP;Renfort de 2 ETP;Délibération;\n"
    + "DEMO-ETP-SUD-2019;etp;OO2;Département;SUD;2019;5;ETP;5 ETP en 2019;Bilan 2019;\n"
)

HOSTILES = {
    "formule": (
        ENTETE + 'X1;etp;OO2;CD;NORD;2019;1;ETP;=HYPERLINK("http://x.example");Test;\n',
        ['hostile.csv:ligne 2:texte: formule refusée (=HYPERLINK("http://x.example")) : un '
         "tableur l'exécuterait ; écrivez le texte sans « = », « + », « - » ou « @ » en tête"],
    ),
    "negatif-et-territoire": (
        ENTETE + "X1;etp;OO2;CD;ZZ;2019;-1;ETP;texte;Test;\n",
        ["hostile.csv:ligne 2:territoire: territoire inconnu « ZZ » (67, NORD, OUEST, EMS, SUD "
         "ou un code de canton)",
         "hostile.csv:ligne 2:valeur: nombre positif ou nul attendu, lu « -1 »"],
    ),
    "colonne-inconnue": (
        ENTETE.replace(";note", ";note;script") + "X1;etp;OO2;CD;NORD;2019;1;ETP;t;s;;x\n",
        ["hostile.csv:ligne 1:script: colonne inconnue"],
    ),
    "champ-en-trop": (
        ENTETE + "X1;etp;OO2;CD;NORD;2019;1;ETP;t;s;;en trop\n",
        ["hostile.csv:ligne 2: plus de champs que de colonnes dans l'en-tête (un « ; » en trop ?)"],
    ),
    "code-du-referentiel": (
        ENTETE + "ETP-MDE-1.1;etp;MDE-1.1;MDE;EMS;2020;9;ETP;t;s;\n",
        ["hostile.csv:ligne 2:code: le code « ETP-MDE-1.1 » appartient au référentiel "
         "(ressources.csv)"],
    ),
    "binaire": (
        "PK\x03\x04\x00\x00classeur",
        ["hostile.csv: fichier illisible : texte CSV attendu (UTF-8 ou Windows-1252, séparateur "
         "« ; »), pas un classeur ni un fichier binaire"],
    ),
}  # fmt: skip


def _lignes(conn: Connection, code: str) -> list[tuple[object, ...]]:
    r = schema.ressource
    colonnes = [c for c in r.c if c.name != "id"]
    return [tuple(x) for x in conn.execute(select(*colonnes).where(r.c.code == code))]


@pytest.mark.parametrize("cas", list(HOSTILES))
def test_un_fichier_hostile_est_refuse_sans_rien_changer(conn: Connection, cas: str) -> None:
    contenu, messages = HOSTILES[cas]
    avant = empreinte_base(conn)
    with pytest.raises(ImportRefuse) as refus:
        import_ressources.commit_import_ressources(
            conn, nom="hostile.csv", contenu=contenu.encode("latin-1" if cas == "binaire"
                                                             else "utf-8"), acteur=ADMIN,
        )  # fmt: skip
    assert [str(e) for e in refus.value.erreurs] == messages
    assert empreinte_base(conn) == avant


def test_un_fichier_valide_fait_un_lot_qui_s_annule_a_l_identique(conn: Connection) -> None:
    sud_avant = _lignes(conn, "DEMO-ETP-SUD-2019")
    apercu = import_ressources.prepare_import_ressources(conn, nom="moyens.csv",
                                                         contenu=BON.encode())  # fmt: skip
    assert list(apercu.lignes.index) == [2, 3]  # numéros de ligne du fichier
    assert apercu.lignes["etat"].tolist() == ["ajoutee", "modifiee"]
    assert apercu.lignes["ancien_valeur"].tolist()[1] == 3.5
    avant = empreinte_base(conn)
    resultat = import_ressources.commit_import_ressources(
        conn, nom="moyens.csv", contenu=BON.encode(), acteur=ADMIN, attendu=apercu.comptes
    )
    assert resultat.lot is not None
    (sud,) = _lignes(conn, "DEMO-ETP-SUD-2019")
    assert (sud[5], sud[6], sud[-1]) == (2019, 5.0, resultat.lot)  # année, valeur, lot
    lots = imports.read_lots(conn).set_index("lot")
    assert lots.loc[resultat.lot, "annulable"] and lots.loc[resultat.lot, "type"] == "ressources"
    annulation = imports.rollback_lot(conn, lot=resultat.lot, acteur=ADMIN)
    assert (annulation.retirees, annulation.retablies) == (1, 1)
    assert _lignes(conn, "DEMO-ETP-SUD-2019") == sud_avant
    assert _lignes(conn, "ETP-NORD-2019-RENFORT") == []
    apres = empreinte_base(conn)
    changees = {t for t in avant if avant[t] != apres[t]}
    assert changees == {"lot_import", "journal", "ressource_precedente"}  # l'historique seul


def test_un_lot_repris_depuis_ne_s_annule_pas(conn: Connection) -> None:
    premier = import_ressources.commit_import_ressources(
        conn, nom="moyens.csv", contenu=BON.encode(), acteur=ADMIN
    ).lot
    second = import_ressources.commit_import_ressources(
        conn, nom="moyens_2.csv", contenu=BON.replace(";5;ETP", ";6;ETP").encode(), acteur=ADMIN
    ).lot
    with pytest.raises(imports.AnnulationImpossible, match=f"repris depuis par le lot {second}"):
        imports.rollback_lot(conn, lot=int(premier or 0), acteur=ADMIN)
    imports.rollback_lot(conn, lot=int(second or 0), acteur=ADMIN)
    imports.rollback_lot(conn, lot=int(premier or 0), acteur=ADMIN)
    assert _lignes(conn, "DEMO-ETP-SUD-2019")[0][6] == 3.5


@pytest.mark.parametrize(
    ("acteur", "message"),
    [
        (ActeurLocal("lecteur", "lecteur"), "Droit refusé : le compte « lecteur » (lecture "
         "seule) ne peut pas importer des moyens (ETP, effectifs, budgets)."),
        (ActeurLocal("pil-nord", "pilotage", "NORD"), "Droit refusé : le compte « pil-nord » "
         "(mission de pilotage, périmètre NORD) ne peut pas importer des moyens (ETP, effectifs, "
         "budgets) hors de son périmètre (SUD)."),
    ],
    ids=["lecteur", "perimetre-NORD-ailleurs"],
)  # fmt: skip
def test_un_compte_sans_le_droit_ne_peut_pas_importer_de_moyens(
    conn: Connection, acteur: ActeurLocal, message: str
) -> None:
    avant = empreinte_base(conn)
    with pytest.raises(DroitRefuse) as refus:
        import_ressources.commit_import_ressources(
            conn, nom="moyens.csv", contenu=BON.encode(), acteur=acteur
        )
    assert str(refus.value) == message
    assert empreinte_base(conn) == avant
