"""Pilote « chromium » du banc de charge : chaque session est un contexte du Chromium de Debian.

Plus proche d'une personne (dessin, composants, cookie de connexion), mais sur deux cœurs le
navigateur consomme plus que le serveur mesuré : au-delà de quelques sessions, il mesure surtout
Chromium. Sous charge, le formulaire de connexion peut être redessiné (relance du composant des
cookies) entre la saisie et le clic ; le pilote ressaisit alors, comme la personne, et compte
ces reprises.
"""

from __future__ import annotations

import os
import random
import re
import time
from pathlib import Path
from typing import Any

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
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

CHROMIUM = os.environ.get("PILOTAGE_CHROMIUM", "/usr/bin/chromium")
DELAI_MS = 60_000
ETAT_LIBRE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


async def lancer_navigateur(p: Any) -> Browser:
    return await p.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-background-networking", "--disable-component-update"],
    )  # fmt: skip


async def _attendre(page: Page) -> None:
    await page.locator(ETAT_LIBRE).wait_for(state="attached", timeout=DELAI_MS)


def _journal(page: Page, nom: str) -> None:
    """Avec `PILOTAGE_CHARGE_JOURNAL` (un dossier) : ce que voit l'onglet, horodaté (navigations,
    websockets ouverts et fermés, console), à croiser avec le journal du serveur."""
    dossier = os.environ.get("PILOTAGE_CHARGE_JOURNAL")
    if not dossier:
        return
    fichier = Path(dossier) / f"onglet-{nom}.log"

    def ecrire(texte: str) -> None:
        with fichier.open("a", encoding="utf-8") as f:
            f.write(f"{time.strftime('%H:%M:%S')}.{int(time.time() * 1000) % 1000:03d} {texte}\n")

    def websocket(ws: Any) -> None:
        ecrire(f"websocket ouvert {ws.url}")
        ws.on("close", lambda _: ecrire(f"websocket fermé {ws.url}"))
        ws.on("socketerror", lambda e: ecrire(f"websocket en erreur {e}"))

    page.on(
        "framenavigated", lambda f: ecrire(f"navigation {f.url}") if f == page.main_frame else None
    )
    page.on("websocket", websocket)
    page.on("console", lambda m: ecrire(f"console {m.type} {m.text[:300]}"))
    page.on("pageerror", lambda e: ecrire(f"erreur de page {e}"))


async def connecter(contexte: BrowserContext, adresse: str, mesures: Mesures) -> Page:
    page = await contexte.new_page()
    _journal(page, str(id(contexte)))
    debut = time.perf_counter()
    await page.goto(f"{adresse}/synthese?{VUE_SONDE}")
    await _attendre(page)
    for essai in range(4):
        await page.get_by_role("textbox", name="Identifiant").fill(IDENTIFIANT)
        await page.locator('input[type="password"]').fill(MOT_DE_PASSE)
        await page.get_by_role("button", name="Se connecter").click()
        try:
            await page.get_by_text("· Données de").first.wait_for(timeout=DELAI_MS // 4)
            break
        except Exception:  # noqa: BLE001 — formulaire redessiné, ou page encore en calcul
            if essai == 3:
                raise
            if not await page.get_by_role("textbox", name="Identifiant").count():
                # Connectée, la page se calcule encore : on attend, sans ressaisir.
                await page.get_by_text("· Données de").first.wait_for(timeout=DELAI_MS)
                break
            mesures.reprises += 1
    await _attendre(page)
    mesures.connexions.append(time.perf_counter() - debut)
    return page


async def sonde(page: Page, adresse: str, mesures: Mesures) -> None:
    """Le réalisé des retours à l'emploi (Synthèse, décembre 2019, département)."""
    debut = time.perf_counter()
    await page.goto(f"{adresse}/synthese?{VUE_SONDE}")
    carte = page.locator(f'[class*="st-key-{CLE_SONDE}"] [data-testid="stMetricValue"]').first
    await carte.wait_for(timeout=DELAI_MS)
    await _attendre(page)
    mesures.affichages.append(time.perf_counter() - debut)
    mesures.sonde.append(nombre(await carte.inner_text()))


async def _lire(page: Page, hasard: random.Random, reflexion: float) -> None:
    await page.wait_for_timeout(hasard.uniform(0.5, 1.5) * reflexion * 1000)


async def session(
    navigateur: Browser, adresse: str, tours: int, mesures: Mesures, *, reflexion: float,
    graine: int,
) -> None:  # fmt: skip
    hasard = random.Random(graine)
    contexte = await navigateur.new_context(viewport={"width": 1280, "height": 900})
    etape = "connexion"
    try:
        page = await connecter(contexte, adresse, mesures)
        for tour in range(tours):
            await sonde(page, adresse, mesures)
            for chemin in PAGES:
                etape = chemin
                debut = time.perf_counter()
                await page.goto(f"{adresse}{chemin}?{VUE_SONDE}")
                await page.get_by_role("combobox", name="Période").wait_for(timeout=DELAI_MS)
                await _attendre(page)
                mesures.affichages.append(time.perf_counter() - debut)
                await _lire(page, hasard, reflexion)
                libelle = list(PERIODES)[tour % len(PERIODES)]
                debut = time.perf_counter()
                periode = page.get_by_role("combobox", name="Période")
                await periode.click()
                await periode.fill(libelle)
                await page.keyboard.press("Enter")
                # L'URL est réécrite par le script relancé : l'attendre, puis la fin du script,
                # mesure la relance elle-même et pas l'état d'avant le clic.
                voulue = re.compile(f"periode={PERIODES[libelle]}")
                await page.wait_for_url(voulue, timeout=DELAI_MS)
                await _attendre(page)
                mesures.changement(chemin, time.perf_counter() - debut)
                if await page.locator('[data-testid="stException"]').count():
                    mesures.erreurs.append(f"{chemin} : exception affichée")
                if await page.get_by_text("Une erreur inattendue est survenue").count():
                    mesures.erreurs.append(f"{chemin} : erreur affichée")
                await _lire(page, hasard, reflexion)
    except Exception as exc:  # noqa: BLE001 — une session qui échoue est une erreur comptée
        if os.environ.get("PILOTAGE_CHARGE_CAPTURES") and contexte.pages:
            chemin = Path(os.environ["PILOTAGE_CHARGE_CAPTURES"]) / f"echec-{id(contexte)}.png"
            await contexte.pages[-1].screenshot(path=str(chemin))
        premiere = (str(exc).splitlines() or [""])[0][:200]
        mesures.erreurs.append(f"{etape} : {type(exc).__name__} : {premiere}")
    finally:
        await contexte.close()


__all__ = ["async_playwright", "connecter", "lancer_navigateur", "session", "sonde"]
