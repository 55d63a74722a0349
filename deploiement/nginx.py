"""Rend le fichier de site nginx de Pilotage depuis deploiement/nginx.conf.modele.

    .venv/bin/python deploiement/nginx.py --ecoute 80 --nom pilotage.example \\
        --journal /var/log/nginx/pilotage.access.log 8501 8502 > pilotage.conf

Les ports en argument sont ceux des processus `pilotage run` (sur 127.0.0.1) ; la taille
maximale d'un corps de requête suit celle des fichiers d'import (config/import.toml). Le
résultat part sur la sortie standard : on le vérifie avec `nginx -t` avant de recharger nginx.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from data_access.fichiers_import import read_config_import

MODELE = Path(__file__).resolve().parent / "nginx.conf.modele"
# Enveloppe multipart d'un téléversement Streamlit, ajoutée à la taille maximale d'un fichier.
MARGE_MO = 1
MO = 1024 * 1024


def _port(texte: str) -> int:
    if not texte.isdigit() or not 0 < int(texte) < 65536:
        raise argparse.ArgumentTypeError(f"port invalide : {texte!r}")
    return int(texte)


def _ecoute(texte: str) -> str:
    """`80`, `8080` ou `127.0.0.1:8080` : ce que nginx accepte après `listen`."""
    adresse, _, port = texte.rpartition(":")
    _port(port)
    if adresse and not re.fullmatch(r"[0-9A-Za-z.\-\[\]:]+", adresse):
        raise argparse.ArgumentTypeError(f"adresse d'écoute invalide : {texte!r}")
    return texte


def _nom(texte: str) -> str:
    if not re.fullmatch(r"[0-9A-Za-z.\-_*]+", texte):
        raise argparse.ArgumentTypeError(f"nom de serveur invalide : {texte!r}")
    return texte


def render(*, ports: Sequence[int], ecoute: str, nom: str, journal: str) -> str:
    """Le fichier de site, marques remplacées ; refuse un modèle dont une marque resterait."""
    if len(set(ports)) != len(ports):
        raise ValueError("un port de processus apparaît deux fois")
    taille_mo = -(-read_config_import().taille_max_octets // MO) + MARGE_MO
    serveurs = "\n".join(f"    server 127.0.0.1:{port} max_fails=0;" for port in ports)
    texte = MODELE.read_text(encoding="utf-8")
    for marque, valeur in {
        "@SERVEURS@": serveurs,
        "@ECOUTE@": ecoute,
        "@NOM@": nom,
        "@JOURNAL@": journal,
        "@TAILLE_MAX@": f"{taille_mo}m",
    }.items():
        texte = texte.replace(marque, valeur)
    restes = re.findall(r"@[A-Z_]+@", texte)
    if restes:
        raise ValueError(f"marques non remplacées dans {MODELE.name} : {', '.join(restes)}")
    return texte


def instance_locale(dossier: Path, *, connexions: int = 256) -> list[str]:
    """Un nginx « de poche » dans `dossier`, pour les tests et les bancs : un nginx.conf qui,
    comme celui de Debian, inclut `conf.d/*.conf`, avec pid, journaux et fichiers temporaires
    dans le dossier. Renvoie la commande qui le lance (ajouter `-g "daemon off;"` pour le garder
    au premier plan). Le binaire est celui du paquet Debian ; absent : FileNotFoundError."""
    binaire = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binaire).exists():
        raise FileNotFoundError("nginx introuvable : apt-get install nginx (scripts/test.sh)")
    (dossier / "conf.d").mkdir(parents=True, exist_ok=True)
    temp = {nom: dossier / "temp" / nom
            for nom in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}  # fmt: skip
    (dossier / "temp").mkdir(exist_ok=True)
    (dossier / "nginx.conf").write_text(
        # En root, les processus de travail gardent l'utilisateur courant (dossiers en 0700).
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {dossier}/nginx.pid;\nerror_log {dossier}/error.log;\n"
        + f"events {{ worker_connections {connexions}; }}\nhttp {{\n"
        + "    include /etc/nginx/mime.types;\n"
        + f"    access_log {dossier}/access.log;\n"
        + "".join(f"    {nom}_temp_path {chemin};\n" for nom, chemin in temp.items())
        + f"    include {dossier}/conf.d/*.conf;\n}}\n",
        encoding="utf-8",
    )
    return [binaire, "-e", f"{dossier}/error.log", "-p", f"{dossier}/", "-c",
            f"{dossier}/nginx.conf"]  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="deploiement/nginx.py", description="Rend le fichier de site nginx de Pilotage."
    )
    parser.add_argument("ports", metavar="PORT", nargs="+", type=_port,
                        help="ports des processus « pilotage run » sur 127.0.0.1")  # fmt: skip
    parser.add_argument("--ecoute", required=True, type=_ecoute,
                        help="port (ou adresse:port) où nginx écoute, par exemple 80")  # fmt: skip
    parser.add_argument("--nom", required=True, type=_nom,
                        help="nom du serveur tel que le tapent les navigateurs")  # fmt: skip
    parser.add_argument("--journal", required=True, type=Path,
                        help="fichier du journal des accès (chemin absolu)")  # fmt: skip
    args = parser.parse_args(argv)
    if not args.journal.is_absolute():
        parser.error("--journal doit être un chemin absolu")
    try:
        texte = render(
            ports=args.ports, ecoute=args.ecoute, nom=args.nom, journal=str(args.journal)
        )
    except ValueError as exc:
        parser.error(str(exc))
    sys.stdout.write(texte)


if __name__ == "__main__":
    main()
