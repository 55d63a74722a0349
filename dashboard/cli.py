"""La commande `pilotage` : initialiser la base, charger la démonstration, lancer l'application.

Les messages sont en français et une erreur attendue (référentiel invalide, base injoignable) sort
avec un message clair et le code 1, jamais une trace Python.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence

from sqlalchemy import Engine, inspect
from sqlalchemy.exc import OperationalError

from config.settings import RACINE, read_settings
from dashboard import utilisateurs
from data_access import demo, engine, indicateurs, referentiel
from data_access.fichiers_config import ErreurReferentiel


class ErreurCommande(Exception):
    """Erreur attendue d'une commande : son message est affiché tel quel."""


def _engine() -> Engine:
    return engine.create(read_settings().database_url)


def cmd_init(_args: argparse.Namespace) -> None:
    with _engine().begin() as conn:
        comptes = referentiel.init(conn)
    print("Référentiel chargé : " + ", ".join(f"{n} {nom}" for nom, n in comptes.items()))


def cmd_demo(args: argparse.Namespace) -> None:
    eng = _engine()
    with eng.begin() as conn:
        referentiel.init(conn)
    with eng.begin() as conn:
        rapport = demo.load(conn, graine=args.graine)
    comptes = utilisateurs.add_comptes_demo(read_settings().users_file)
    print("Comptes de démonstration : " + ", ".join(
        f"{c.identifiant} / {c.mot_de_passe} ({utilisateurs.ROLES[c.role]}"
        f"{', ' + c.perimetre if c.perimetre else ''})" for c in comptes
    ))  # fmt: skip
    print(
        f"Données de démonstration chargées : {rapport.valeurs} valeurs, "
        f"{rapport.indicateurs} indicateurs, de {rapport.debut} à {rapport.fin} "
        f"(lot {rapport.lot}, « {demo.LIBELLE_LOT} »)."
    )


def cmd_run(args: argparse.Namespace) -> None:
    settings = read_settings()
    probleme = settings.probleme_cle_cookie()
    if probleme and not settings.demo:
        raise ErreurCommande(
            f"démarrage refusé : {probleme}. Définissez PILOTAGE_COOKIE_KEY (32 caractères au "
            'moins, par exemple : python -c "import secrets; print(secrets.token_urlsafe(48))"), '
            "ou PILOTAGE_DEMO=1 pour la démonstration."
        )
    commande = [
        sys.executable, "-m", "streamlit", "run", str(RACINE / "dashboard" / "app.py"),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.port", str(args.port), "--server.address", args.adresse,
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


def cmd_users(args: argparse.Namespace) -> None:
    fichier = read_settings().users_file
    if args.action == "list":
        for c in utilisateurs.list_comptes(fichier):
            perimetre = c.perimetre or "tout le département"
            print(f"{c.identifiant};{c.nom};{c.role};{perimetre}")
    elif args.action == "add":
        mot_de_passe = _lire_mot_de_passe()
        compte = utilisateurs.add_compte(
            fichier, args.identifiant, role=args.role, nom=args.nom, perimetre=args.perimetre,
            mot_de_passe=mot_de_passe,
        )  # fmt: skip
        print(f"Compte « {compte.identifiant} » créé ({utilisateurs.ROLES[compte.role]}).")
    elif args.action == "passwd":
        utilisateurs.set_mot_de_passe(fichier, args.identifiant, _lire_mot_de_passe())
        print(f"Mot de passe de « {args.identifiant} » changé.")
    else:
        utilisateurs.remove_compte(fichier, args.identifiant)
        print(f"Compte « {args.identifiant} » supprimé.")


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
    p_users.set_defaults(func=cmd_users)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pilotage", description="Pilotage du PDIE du Bas-Rhin.")
    sous = parser.add_subparsers(dest="commande", required=True, metavar="COMMANDE")
    sous.add_parser(
        "init", help="crée le schéma et charge le référentiel (idempotent)"
    ).set_defaults(func=cmd_init)
    p_demo = sous.add_parser("demo", help="charge le jeu de données de démonstration")
    p_demo.add_argument("--graine", type=int, default=67, help="graine du générateur (défaut 67)")
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
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Point d'entrée de la commande `pilotage`."""
    args = _parser().parse_args(argv)
    try:
        args.func(args)
    except (ErreurCommande, ErreurReferentiel, utilisateurs.ErreurCompte) as exc:
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
