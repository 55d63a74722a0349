"""La commande `pilotage` : initialiser la base, charger la démonstration, lancer l'application.

Les messages sont en français et une erreur attendue (référentiel invalide, base injoignable) sort
avec un message clair et le code 1, jamais une trace Python.
"""

from __future__ import annotations

import argparse
import getpass
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import OperationalError

from config.settings import CONSEIL_CLE, RACINE, read_settings
from dashboard import cli_editions, utilisateurs
from dashboard.exports import en_csv, modele_import
from dashboard.tableau_de_bord import editions
from data_access import (
    demo,
    droits,
    echelle,
    engine,
    fichiers_import,
    import_ressources,
    imports,
    indicateurs,
    migrations,
    periodes,
    referentiel,
    schema,
    sessions,
)
from data_access.annotations import add_annotations_demo
from data_access.commentaires import CommentaireInvalide
from data_access.fichiers_config import ErreurReferentiel
from data_access.fichiers_import import ConfigImportInvalide, ImportRefuse, read_config_import
from data_access.lots import Comptes


class ErreurCommande(Exception):
    """Erreur attendue d'une commande : son message est affiché tel quel."""


def _engine() -> Engine:
    return engine.create(read_settings().database_url)


def _init(conn: Connection) -> dict[str, int]:
    """`referentiel.init`, avec le juge des retards de la publication : les commentaires d'une
    base antérieure (sans territoire) vont aux territoires où leur indicateur était en retard."""
    return referentiel.init(conn, retards=editions.retards_du_mois)


def _migrer(eng: Engine) -> None:
    """Monte la base à la dernière révision (une transaction par révision) et dit ce qui a été
    fait : base d'avant les migrations versionnées reconnue, révisions appliquées."""
    try:
        rapport = migrations.upgrade(eng)
    except migrations.MigrationImpossible as exc:
        raise ErreurCommande(f"mise à jour du schéma interrompue : {exc}.") from None
    except Exception as exc:
        raise ErreurCommande(_echec_de_revision(eng, exc)) from None
    if rapport.reconnue:
        print(f"Base créée avant les migrations versionnées : son schéma est celui de la "
              f"révision {rapport.reconnue}, elle y est marquée.")  # fmt: skip
    if not rapport.appliquees:
        print(f"Schéma à jour (révision {rapport.revision}) : aucune révision à appliquer.")
        return
    print(f"Révisions appliquées ({len(rapport.appliquees)}), chacune dans sa transaction :")
    for r in rapport.appliquees:
        print(f"  {r.revision} : {r.message}")
    print(f"Schéma à jour : révision {rapport.revision}.")


def _echec_de_revision(eng: Engine, exc: Exception) -> str:
    """Le message d'une révision qui a échoué : elle est annulée, la base reste à la révision
    précédente (lue dans la base) ; une base injoignable garde son propre message."""
    try:
        with eng.connect() as conn:
            revision = migrations.revision_actuelle(conn)
    except OperationalError:
        raise exc from None
    cause = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return (f"mise à jour du schéma arrêtée ({cause}) : la révision fautive est annulée, la base "
            f"est restée à la révision {revision or 'initiale'}. Corrigez la cause, puis relancez "
            "« pilotage init ».")  # fmt: skip


def cmd_init(_args: argparse.Namespace) -> None:
    eng = _engine()
    _migrer(eng)
    with eng.begin() as conn:
        comptes = _init(conn)
    print("Référentiel chargé : " + ", ".join(f"{n} {nom}" for nom, n in comptes.items()))


def _cmd_demo_echelle(args: argparse.Namespace) -> None:
    """`pilotage demo --echelle france` : jeu synthétique chargé par COPY (PostgreSQL seulement)."""
    eng = _engine()
    if eng.dialect.name != "postgresql":
        raise ErreurCommande(
            "le jeu à l'échelle se charge dans PostgreSQL seulement (chargement en masse par "
            "COPY) : définissez PILOTAGE_DATABASE_URL, par exemple "
            "postgresql+psycopg://postgres@127.0.0.1:5432/pilotage_echelle."
        )
    _migrer(eng)
    with eng.begin() as conn:
        _init(conn)
    try:
        with eng.begin() as conn:
            r = echelle.load(conn, echelle=echelle.ECHELLES[args.echelle], graine=args.graine)
    except ValueError as exc:
        raise ErreurCommande(str(exc)) from None
    utilisateurs.add_comptes_demo(read_settings().users_file, acteur=_acteur(args))
    print(f"Données synthétiques chargées (lot {r.lot}) : {r.valeurs} valeurs, {r.cantons} "
          f"cantons, {r.indicateurs} indicateurs, en {r.duree_totale:.0f} s (COPY "
          f"{r.duree_copy:.0f} s, {r.valeurs / r.duree_copy:.0f} lignes/s ; index "
          f"{r.duree_index:.0f} s ; sommes des cantons {r.duree_sommes:.0f} s).")  # fmt: skip


def cmd_demo(args: argparse.Namespace) -> None:
    if args.echelle:
        _cmd_demo_echelle(args)
        return
    eng = _engine()
    _migrer(eng)
    with eng.begin() as conn:
        _init(conn)
    with eng.begin() as conn:
        rapport = demo.load(conn, graine=args.graine)
    with eng.begin() as conn:
        evenements = add_annotations_demo(conn)
        fin = periodes.Mois.parse(rapport.fin)
        debut = str(fin.decale(-editions.MOIS_DEMO))
        publiees = editions.publier_demo(conn, debut=debut, fin=str(fin.decale(-1)))
    comptes = utilisateurs.add_comptes_demo(read_settings().users_file, acteur=_acteur(args))
    print("Comptes de démonstration : " + ", ".join(
        f"{c.identifiant} / {c.mot_de_passe} ({utilisateurs.ROLES[c.role]}"
        f"{', ' + c.perimetre if c.perimetre else ''})" for c in comptes
    ))  # fmt: skip
    print(
        f"Données de démonstration chargées : {rapport.valeurs} valeurs, "
        f"{rapport.indicateurs} indicateurs, de {rapport.debut} à {rapport.fin} "
        f"(lot {rapport.lot}, « {demo.LIBELLE_LOT} »)."
    )
    print(f"Événements de démonstration : {evenements} ; éditions de démonstration publiées : "
          f"{publiees} (de {debut} à {fin.decale(-1)}, commentaires fictifs marqués).")  # fmt: skip


def cmd_run(args: argparse.Namespace) -> None:
    settings = read_settings()
    probleme = settings.probleme_cle_cookie()
    if probleme and not settings.demo:
        raise ErreurCommande(
            f"démarrage refusé : {probleme}. {CONSEIL_CLE} (ou PILOTAGE_DEMO=1 pour la "
            "démonstration)."
        )
    # La boîte de dépôt annonce et applique la taille de `config/import.toml`, pas les 200 Mo
    # de Streamlit : un fichier trop gros est arrêté par le navigateur, avant tout envoi.
    taille = max(1, math.ceil(read_config_import().taille_max_mo))
    commande = [
        sys.executable, "-m", "streamlit", "run", str(RACINE / "dashboard" / "app.py"),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.port", str(args.port), "--server.address", args.adresse,
        "--server.maxUploadSize", str(taille),
    ]  # fmt: skip
    # Le processus devient Streamlit (exec) : les signaux d'arrêt lui parviennent directement.
    os.chdir(RACINE)
    os.execv(sys.executable, commande)


def cmd_referentiel(args: argparse.Namespace) -> None:
    eng = _engine()
    if not inspect(eng).has_table("indicateur"):
        raise ErreurCommande("la base n'est pas initialisée : lancez d'abord « pilotage init ».")
    with eng.connect() as conn:
        cadre = indicateurs.read_cibles(conn) if args.cibles else indicateurs.read_referentiel(conn)
    if args.cibles:
        cadre["valeur"] = cadre["valeur"].map(lambda v: f"{v:g}")
    sys.stdout.write(cadre.to_csv(sep=";", index=False, lineterminator="\n"))


def _base_prete(eng: Engine) -> Engine:
    """Refuse clairement une base non initialisée, ou en retard sur les révisions du schéma."""
    tables = set(inspect(eng).get_table_names())
    if "indicateur" not in tables:
        raise ErreurCommande("la base n'est pas initialisée : lancez d'abord « pilotage init ».")
    with eng.connect() as conn:
        revision = migrations.revision_actuelle(conn)
    if revision != migrations.tete():
        raise ErreurCommande("la base date d'une version antérieure : lancez « pilotage init » "
                             "pour la mettre à jour (aucune donnée n'est perdue).")  # fmt: skip
    return eng


def _auteur(args: argparse.Namespace) -> str:
    return (getattr(args, "auteur", None) or os.environ.get("USER")
            or os.environ.get("USERNAME") or "pilotage")  # fmt: skip


def _acteur(args: argparse.Namespace) -> droits.ActeurLocal:
    """Qui agit : la commande est un administrateur local, sans périmètre (qui a le shell du
    serveur et le fichier de la base a déjà tous les droits), nommé par `--auteur` ou $USER."""
    return droits.administrateur_local(_auteur(args))


def _resume(comptes: Comptes) -> str:
    return (f"{comptes.ajoutees} ligne(s) ajoutée(s), {comptes.modifiees} modifiée(s), "
            f"{comptes.identiques} identique(s)")  # fmt: skip


def _afficher_non_fournies(apercu: imports.Apercu) -> None:
    """Les lignes laissées sans valeur (modèle en partie rempli) : ignorées, et dites."""
    n = len(apercu.non_fournies)
    if n:
        lignes = ", ".join(str(x) for x in apercu.non_fournies["ligne"].head(10))
        suite = f" … (et {n - 10} autre(s))" if n > 10 else ""
        print(f"{n} ligne(s) non fournie(s) (valeur vide), ignorée(s) : ligne(s) {lignes}{suite}.")


def _afficher_modifiees(apercu: imports.Apercu, limite: int = 20) -> None:
    """Les lignes modifiées, ancienne → nouvelle valeur (les `limite` premières)."""
    modifiees = apercu.par_etat("modifiee")
    for numero, ligne in modifiees.head(limite).iterrows():
        print(f"  ligne {numero} : {ligne['indicateur']} {ligne['territoire']} "
              f"{ligne['periode']} : {en_csv.cellule(ligne['ancien_valeur']) or 'vide'} → "
              f"{en_csv.cellule(ligne['valeur']) or 'vide'}")  # fmt: skip
    if len(modifiees) > limite:
        print(f"  … et {len(modifiees) - limite} autre(s) ligne(s) modifiée(s)")


def cmd_import(args: argparse.Namespace) -> None:
    chemin = Path(args.fichier)
    if not chemin.is_file():
        raise ErreurCommande(f"fichier introuvable : {chemin}")
    fichiers_import.check_taille(str(chemin), chemin.stat().st_size)
    contenu, eng = chemin.read_bytes(), _base_prete(_engine())
    if args.simulation:
        with eng.connect() as conn:
            apercu = imports.prepare_import(conn, nom=str(chemin), contenu=contenu,
                                            correction=args.correction)  # fmt: skip
        print(f"Simulation : aucune erreur dans {chemin} ({apercu.format}) ; rien n'a été écrit.")
        print(f"L'import donnerait : {_resume(apercu.comptes)}.")
        _afficher_non_fournies(apercu)
        _afficher_modifiees(apercu)
        return
    with eng.begin() as conn:
        resultat = imports.commit_import(
            conn, nom=str(chemin), contenu=contenu, acteur=_acteur(args), correction=args.correction
        )
    if resultat.lot is None and resultat.comptes.identiques == 0:
        print("Aucune modification : aucune ligne du fichier n'a de valeur ; aucun lot créé.")
        _afficher_non_fournies(resultat.apercu)
        return
    if resultat.lot is None:
        deja = resultat.apercu.deja_importe
        print(f"Aucune modification : les {resultat.comptes.identiques} ligne(s) sont identiques "
              "aux valeurs en vigueur ; aucun lot créé"
              + (f" (ce contenu a déjà été importé : lot {deja})." if deja else "."))  # fmt: skip
        _afficher_non_fournies(resultat.apercu)
        return
    print(f"Lot {resultat.lot} créé : {_resume(resultat.comptes)}.")
    _afficher_non_fournies(resultat.apercu)
    _afficher_modifiees(resultat.apercu)


def cmd_import_ressources(args: argparse.Namespace) -> None:
    """`pilotage import-ressources FICHIER` : même contrôle, aperçu, lot et annulation que
    l'import des indicateurs (`pilotage annuler LOT` annule aussi un lot de moyens)."""
    chemin = Path(args.fichier)
    if not chemin.is_file():
        raise ErreurCommande(f"fichier introuvable : {chemin}")
    fichiers_import.check_taille(str(chemin), chemin.stat().st_size)
    contenu, eng = chemin.read_bytes(), _base_prete(_engine())
    if args.simulation:
        with eng.connect() as conn:
            apercu = import_ressources.prepare_import_ressources(
                conn, nom=str(chemin), contenu=contenu
            )
        print(f"Simulation : aucune erreur dans {chemin} ; rien n'a été écrit.")
        print(f"L'import donnerait : {_resume(apercu.comptes)}.")
        return
    with eng.begin() as conn:
        resultat = import_ressources.commit_import_ressources(
            conn, nom=str(chemin), contenu=contenu, acteur=_acteur(args)
        )
    if resultat.lot is None:
        print(f"Aucune modification : les {resultat.comptes.identiques} ligne(s) sont identiques "
              "aux moyens en base ; aucun lot créé.")  # fmt: skip
        return
    print(f"Lot {resultat.lot} créé (moyens) : {_resume(resultat.comptes)}.")


def cmd_lots(_args: argparse.Namespace) -> None:
    with _base_prete(_engine()).connect() as conn:
        cadre = imports.read_lots(conn)
    print("lot;cree_le;auteur;fichier;ajoutees;modifiees;identiques;statut;annulable")
    for r in cadre.itertuples():
        annulable = "oui" if r.annulable else f"non ({r.motif})"
        print(f"{r.lot};{r.cree_le:%Y-%m-%d %H:%M};{r.auteur};{r.fichier or r.libelle};"
              f"{r.ajoutees};{r.modifiees};{r.identiques};{r.statut};{annulable}")  # fmt: skip


def cmd_annuler(args: argparse.Namespace) -> None:
    with _base_prete(_engine()).begin() as conn:
        annulation = imports.rollback_lot(conn, lot=args.lot, acteur=_acteur(args))
    print(f"Lot {annulation.lot} annulé : {annulation.retirees} valeur(s) retirée(s), "
          f"{annulation.retablies} version(s) précédente(s) rétablie(s).")  # fmt: skip


def cmd_modele(args: argparse.Namespace) -> None:
    with _base_prete(_engine()).connect() as conn:
        modele = imports.build_modele(conn)
        territoires = imports.build_territoires_modele(conn)
    if args.fichier is None:
        cadre = territoires if args.territoires else modele
        sys.stdout.write(cadre.to_csv(sep=";", index=False, lineterminator="\n"))
        return
    chemin = Path(args.fichier)
    second = chemin.with_name(f"{chemin.stem}_territoires{chemin.suffix or '.csv'}")
    if chemin.suffix.lower() == ".xlsx":  # un classeur : feuilles « Valeurs » et « Territoires »
        chemin.write_bytes(modele_import.to_xlsx_modele(modele, territoires))
        print(f"Modèle écrit : {chemin} ({len(modele)} lignes, {modele['indicateur'].nunique()} "
              "indicateurs, feuille « Valeurs » ; codes des territoires : feuille "
              "« Territoires »).")  # fmt: skip
        return
    chemin.write_bytes(en_csv.to_csv_bytes(modele))
    second.write_bytes(en_csv.to_csv_bytes(territoires))
    print(f"Modèle écrit : {chemin} ({len(modele)} lignes, {modele['indicateur'].nunique()} "
          f"indicateurs) ; codes des territoires : "
          f"{second} ({len(territoires)} territoires).")  # fmt: skip


def _lire_mot_de_passe() -> str:
    """Mot de passe saisi au terminal (sans écho, deux fois), ou lu sur l'entrée standard.

    Jamais en argument : il resterait dans l'historique du shell et la liste des processus.
    """
    if sys.stdin.isatty():
        premier = getpass.getpass("Mot de passe : ")
        if getpass.getpass("Confirmez le mot de passe : ") != premier:
            raise ErreurCommande("les deux saisies du mot de passe diffèrent")
        return premier
    return sys.stdin.readline().rstrip("\n")


def _fermer_sessions(identifiant: str, motif: str) -> None:
    """Révoque en base les sessions ouvertes du compte : tous les processus `pilotage run` la
    lisent à l'exécution suivante de chaque page. Sans table des sessions (base pas encore
    initialisée), aucune session n'a pu s'ouvrir."""
    with _engine().begin() as conn:
        if not inspect(conn).has_table(schema.session_connexion.name):
            return
        n = sessions.revoke_sessions_utilisateur(conn, identifiant=identifiant, motif=motif)
    print(f"{n} session(s) ouverte(s) fermée(s).")


def cmd_users(args: argparse.Namespace) -> None:
    fichier, acteur = read_settings().users_file, _acteur(args)
    if args.action == "list":
        for c in utilisateurs.list_comptes(fichier):
            perimetre = c.perimetre or "tout le département"
            etat = "" if c.actif else ";désactivé"
            print(f"{c.identifiant};{c.nom};{c.role};{perimetre}{etat}")
    elif args.action == "add":
        mot_de_passe = _lire_mot_de_passe()
        compte = utilisateurs.add_compte(
            fichier, args.identifiant, role=args.role, nom=args.nom, perimetre=args.perimetre,
            mot_de_passe=mot_de_passe, acteur=acteur,
        )  # fmt: skip
        print(f"Compte « {compte.identifiant} » créé ({utilisateurs.ROLES[compte.role]}).")
    elif args.action == "passwd":
        utilisateurs.set_mot_de_passe(fichier, args.identifiant, _lire_mot_de_passe(),
                                      acteur=acteur)  # fmt: skip
        print(f"Mot de passe de « {args.identifiant} » changé.")
        _fermer_sessions(args.identifiant, "mot_de_passe")
    elif args.action in ("disable", "enable"):
        utilisateurs.set_actif(fichier, args.identifiant, args.action == "enable", acteur=acteur)
        if args.action == "enable":
            print(f"Compte « {args.identifiant} » réactivé.")
            return
        print(f"Compte « {args.identifiant} » désactivé.")
        _fermer_sessions(args.identifiant, "desactivation")
    else:
        utilisateurs.remove_compte(fichier, args.identifiant, acteur=acteur)
        print(f"Compte « {args.identifiant} » supprimé.")
        _fermer_sessions(args.identifiant, "suppression")


def _parser_users(sous: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p_users = sous.add_parser("users", help="gère les comptes (fichier PILOTAGE_USERS_FILE)")
    actions = p_users.add_subparsers(dest="action", required=True, metavar="ACTION")
    p_add = actions.add_parser("add", help="crée un compte (mot de passe demandé ou lu sur stdin)")
    p_add.add_argument("identifiant")
    p_add.add_argument("--role", required=True, choices=sorted(utilisateurs.ROLES))
    p_add.add_argument("--perimetre", choices=utilisateurs.PERIMETRES, default=None)
    p_add.add_argument("--nom", default=None, help="nom affiché (défaut : l'identifiant)")
    actions.add_parser("passwd", help="change un mot de passe").add_argument("identifiant")
    actions.add_parser("list", help="liste les comptes")
    actions.add_parser("remove", help="supprime un compte").add_argument("identifiant")
    actions.add_parser(
        "disable", help="désactive un compte (connexion refusée, sessions fermées)"
    ).add_argument("identifiant")
    actions.add_parser("enable", help="réactive un compte désactivé").add_argument("identifiant")
    p_users.set_defaults(func=cmd_users)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pilotage", description="Pilotage du PDIE du Bas-Rhin.")
    sous = parser.add_subparsers(dest="commande", required=True, metavar="COMMANDE")
    sous.add_parser(
        "init", help="crée ou met à jour le schéma (révisions) et charge le référentiel"
    ).set_defaults(func=cmd_init)
    p_demo = sous.add_parser("demo", help="charge le jeu de données de démonstration")
    p_demo.add_argument("--graine", type=int, default=67, help="graine du générateur (défaut 67)")
    p_demo.add_argument("--echelle", choices=sorted(echelle.ECHELLES),
                        help="jeu synthétique à cette échelle (PostgreSQL seulement)")  # fmt: skip
    p_demo.set_defaults(func=cmd_demo)
    p_run = sous.add_parser("run", help="lance l'application Streamlit")
    p_run.add_argument("--port", type=int, default=8501)
    p_run.add_argument("--adresse", default="127.0.0.1", help="adresse d'écoute (défaut 127.0.0.1)")
    p_run.set_defaults(func=cmd_run)
    p_ref = sous.add_parser(
        "referentiel", help="écrit le référentiel en CSV sur la sortie standard"
    )
    p_ref.add_argument(
        "--cibles", action="store_true", help="écrit les cibles au lieu des indicateurs"
    )
    p_ref.set_defaults(func=cmd_referentiel)
    _parser_users(sous)
    _parser_import(sous)
    cli_editions.ajouter(sous)
    return parser


def _cmd_edition(args: argparse.Namespace) -> None:
    """`publier` et `exporter` : une connexion (une transaction pour publier) sur une base prête."""
    args.acteur = _acteur(args) if "auteur" in args else None
    eng = _base_prete(_engine())
    with eng.begin() if args.transaction else eng.connect() as conn:
        args.edition(args, conn)


def _parser_import(sous: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p_import = sous.add_parser("import", help="importe un fichier d'indicateurs (CSV ou XLSX)")
    p_import.add_argument("fichier", metavar="FICHIER")
    p_import.add_argument("--simulation", action="store_true",
                          help="contrôle et aperçu seulement, rien n'est écrit")  # fmt: skip
    p_import.add_argument("--correction", action="store_true",
                          help="permet de corriger des valeurs de mois publiés")  # fmt: skip
    p_import.add_argument("--auteur", default=None, help="nom noté dans le lot (défaut : $USER)")
    p_import.set_defaults(func=cmd_import)
    p_moyens = sous.add_parser(
        "import-ressources",
        help="importe un fichier de moyens (ETP, effectifs, budgets ; format : "
        "config/referentiel/FORMAT_RESSOURCES.md)",
    )
    p_moyens.add_argument("fichier", metavar="FICHIER")
    p_moyens.add_argument("--simulation", action="store_true",
                          help="contrôle et aperçu seulement, rien n'est écrit")  # fmt: skip
    p_moyens.add_argument("--auteur", default=None, help="nom noté dans le lot (défaut : $USER)")
    p_moyens.set_defaults(func=cmd_import_ressources)
    sous.add_parser("lots", help="liste les lots d'import").set_defaults(func=cmd_lots)
    p_annuler = sous.add_parser("annuler", help="annule un lot d'import (valeurs précédentes "
                                "rétablies)")  # fmt: skip
    p_annuler.add_argument("lot", metavar="LOT", type=int)
    p_annuler.add_argument("--auteur", default=None, help="nom noté au journal (défaut : $USER)")
    p_annuler.set_defaults(func=cmd_annuler)
    p_modele = sous.add_parser("modele", help="écrit le modèle d'import (CSV ou XLSX) pré-rempli")
    p_modele.add_argument("fichier", metavar="FICHIER", nargs="?", default=None,
                          help="fichier à écrire : .csv (et FICHIER_territoires.csv à côté) ou "
                          ".xlsx (feuilles « Valeurs » et « Territoires ») ; sans lui, le modèle "
                          "sur la sortie standard")  # fmt: skip
    p_modele.add_argument("--territoires", action="store_true",
                          help="sans FICHIER : écrit les codes des territoires")  # fmt: skip
    p_modele.set_defaults(func=cmd_modele)


def main(argv: Sequence[str] | None = None) -> None:
    """Point d'entrée de la commande `pilotage`."""
    args = _parser().parse_args(argv)
    if "edition" in args:
        args.func = _cmd_edition
    try:
        args.func(args)
    except ImportRefuse as exc:
        for erreur in exc.erreurs:
            print(erreur, file=sys.stderr)
        print(f"pilotage : fichier refusé ({len(exc.erreurs)} erreur(s)) ; rien n'a été écrit.",
              file=sys.stderr)  # fmt: skip
        raise SystemExit(1) from None
    except (ErreurCommande, ErreurReferentiel, utilisateurs.ErreurCompte, ConfigImportInvalide,
            imports.AnnulationImpossible, editions.PublicationRefusee, CommentaireInvalide,
            cli_editions.ErreurEdition, droits.DroitRefuse,
            migrations.MigrationImpossible) as exc:  # fmt: skip
        print(f"pilotage : {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    except OperationalError:
        url = read_settings().database_url
        print(
            "pilotage : base de données injoignable. Vérifiez PILOTAGE_DATABASE_URL "
            f"(actuellement « {_masquer(url)} ») et que le serveur tourne.",
            file=sys.stderr,
        )
        raise SystemExit(1) from None


def _masquer(url: str) -> str:
    """L'URL sans son mot de passe, pour l'afficher."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    main()
