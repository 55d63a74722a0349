"""Les pages de l'application et qui peut les voir.

Chaque page a une adresse stable (`/carte`, `/objectifs`…) : elles sont citées dans les liens
partagés et les tableaux de bord publiés. Une page réservée reste enregistrée (cachée) pour les
autres rôles sous la forme d'une page « accès réservé », pour qu'un lien direct ne tombe pas sur
la fenêtre « Page not found » de Streamlit, qui bloque toute l'interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import streamlit as st

from data_access import droits
from data_access.droits import Droit


@dataclass(frozen=True)
class PageApp:
    """Une page : fichier (relatif à dashboard/app.py), titre, adresse, rôles permis."""

    fichier: str
    titre: str
    adresse: str
    icone: str
    roles: frozenset[str] = frozenset({"admin", "pilotage", "lecteur"})


PAGES = (
    PageApp("../pages/synthese.py", "Synthèse", "synthese", ":material/dashboard:"),
    PageApp("../pages/carte.py", "Carte des cantons", "carte", ":material/map:"),
    PageApp("../pages/objectifs.py", "Objectifs", "objectifs", ":material/checklist:"),
    PageApp("../pages/territoires.py", "Territoires", "territoires", ":material/location_on:"),
    PageApp(
        "../pages/moyens_resultats.py",
        "Moyens et résultats",
        "moyens-resultats",
        ":material/balance:",
    ),
    PageApp(
        "../pages/tableau_de_bord.py", "Tableau de bord", "tableau-de-bord", ":material/newspaper:"
    ),
    PageApp(
        "../pages/import_donnees.py",
        "Import",
        "import",
        ":material/upload_file:",
        droits.roles_ayant(Droit.IMPORTER),
    ),
)
PAGE_RESERVEE = "../pages/acces_reserve.py"
ADRESSE_DEFAUT = "synthese"


def build_pages(role: str | None) -> list[st.Page]:
    """Pages enregistrées pour ce rôle ; sans rôle (non connecté), toutes, cachées.

    Toutes restent enregistrées pour un visiteur non connecté : un lien direct vers une page
    doit garder son adresse et sa requête jusqu'à la fin de la connexion.
    """
    pages = []
    for page in PAGES:
        cachee = role is None
        if role is None or role in page.roles:
            fichier = page.fichier
        else:
            fichier, cachee = PAGE_RESERVEE, True
        defaut = page.adresse == ADRESSE_DEFAUT
        visibilite: Literal["hidden", "visible"] = "hidden" if cachee else "visible"
        adresse = "accueil" if defaut else page.adresse
        pages.append(
            st.Page(
                fichier,
                title=page.titre,
                url_path=adresse,
                icon=page.icone,
                default=defaut,
                visibility=visibilite,
            )  # fmt: skip
        )
        if defaut:
            # La page par défaut est servie à la racine « / » : son adresse propre
            # (« /synthese ») doit aussi répondre, par un alias caché.
            pages.append(st.Page(fichier, title=page.titre, url_path=page.adresse,
                                 visibility="hidden"))  # fmt: skip
    return pages


def autorisee(adresse: str, role: str) -> bool:
    """Vrai si ce rôle peut voir la page à cette adresse (adresse inconnue : non).

    Streamlit donne une adresse vide à la page par défaut.
    """
    adresse = adresse or ADRESSE_DEFAUT
    return any(page.adresse == adresse and role in page.roles for page in PAGES)
