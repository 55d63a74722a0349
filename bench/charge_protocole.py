"""Pilote « protocole » du banc de charge : chaque session est un `client_streamlit.Session`.

Une session se connecte par le formulaire, puis, à chaque tour, relit la sonde (Synthèse de
décembre 2019) et parcourt les pages : ouverture par l'adresse, temps de lecture, changement
de période, temps de lecture. Le temps de lecture (`reflexion`, tiré entre la moitié et une fois
et demie la valeur donnée, graine fixe par session) est celui d'une personne qui regarde la
page avant de cliquer : sans lui, vingt sessions cliqueraient en continu, ce que personne ne
fait.
"""

from __future__ import annotations

import asyncio
import json
import random

from charge_mesures import (
    CLE_SONDE,
    IDENTIFIANT,
    MOT_DE_PASSE,
    PAGES,
    PERIODES,
    VUE_SONDE,
    Mesures,
    nombre,
)
from client_streamlit import Rendu, Session


async def connecter(session: Session, mesures: Mesures) -> Rendu:
    """Ouvre la Synthèse, remplit le formulaire de connexion et l'envoie."""
    formulaire = await session.ouvrir("/synthese", VUE_SONDE)
    await session.saisir(formulaire.widget("text_input", "Identifiant"), IDENTIFIANT)
    await session.saisir(formulaire.widget("text_input", "Mot de passe"), MOT_DE_PASSE)
    rendu = await session.cliquer(formulaire.widget("button", "Se connecter"))
    duree = formulaire.duree + rendu.duree
    # La page attend que l'onglet confirme l'écriture du cookie (dashboard/auth.py) : le pilote
    # renvoie ce que renverrait le composant des cookies une fois le cookie écrit.
    ecriture = [c for c in rendu.de_type("component_instance")
                if json.loads(c.json_args).get("method") == "set"]  # fmt: skip
    if ecriture:
        rendu = await session.repondre(ecriture[0], True)
        duree += rendu.duree
    mesures.connexions.append(duree)
    rendu.widget("selectbox", "Période")  # connectée : la page est là, sinon KeyError
    return rendu


async def sonde(session: Session, mesures: Mesures) -> None:
    """Le réalisé des retours à l'emploi (Synthèse, décembre 2019, département)."""
    rendu = await session.ouvrir("/synthese", VUE_SONDE)
    mesures.affichages.append(rendu.duree)
    mesures.erreurs += rendu.erreurs()
    mesures.sonde.append(nombre(rendu.dans_bloc(CLE_SONDE, "metric")[0].body))


async def _lire(hasard: random.Random, reflexion: float) -> None:
    await asyncio.sleep(hasard.uniform(0.5, 1.5) * reflexion)


async def session(
    adresse: str, tours: int, mesures: Mesures, *, reflexion: float, graine: int
) -> None:
    hasard = random.Random(graine)
    etape = "connexion"
    try:
        async with Session(adresse) as s:
            await _lire(hasard, reflexion)  # les sessions n'arrivent pas toutes à la même seconde
            await connecter(s, mesures)
            for tour in range(tours):
                etape = "sonde"
                await sonde(s, mesures)
                for chemin in PAGES:
                    etape = chemin
                    rendu = await s.ouvrir(chemin, VUE_SONDE)
                    mesures.affichages.append(rendu.duree)
                    mesures.erreurs += [f"{chemin} : {e}" for e in rendu.erreurs()]
                    await _lire(hasard, reflexion)
                    libelle = list(PERIODES)[tour % len(PERIODES)]
                    rendu = await s.choisir(rendu.widget("selectbox", "Période"), libelle)
                    mesures.changement(chemin, rendu.duree)
                    mesures.erreurs += [f"{chemin} : {e}" for e in rendu.erreurs()]
                    if f"periode={PERIODES[libelle]}" not in s.requete:
                        mesures.erreurs.append(f"{chemin} : adresse non réécrite ({s.requete})")
                    await _lire(hasard, reflexion)
    except Exception as exc:  # noqa: BLE001 — une session qui échoue est une erreur comptée
        premiere = (str(exc).splitlines() or [""])[0][:200]
        mesures.erreurs.append(f"{etape} : {type(exc).__name__} : {premiere}")
