"""Frontière des erreurs : aucune trace Python n'atteint l'écran, tout est dit en français.

Une base injoignable ou non initialisée a son message et la marche à suivre ; toute autre
exception est journalisée côté serveur avec une référence courte, que l'écran montre pour que
l'équipe retrouve l'incident.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import OperationalError, ProgrammingError

from config.settings import COMMANDE_CLE, CONSEIL_CLE
from dashboard import apparence
from dashboard.auth import CleCookieInvalide
from data_access.droits import DroitRefuse
from data_access.perimetre import HorsPerimetre

journal = logging.getLogger("pilotage")


@contextmanager
def frontiere() -> Iterator[None]:
    """Transforme toute exception de la page en message français (st.stop/st.rerun passent)."""
    try:
        yield
    except CleCookieInvalide as exc:
        conseil = CONSEIL_CLE.replace(COMMANDE_CLE, f"`{COMMANDE_CLE}`")  # code, pas Markdown
        st.error(
            f"L'application refuse de démarrer : {exc}. {conseil}.", icon=apparence.ICONE_VERROU
        )
    except HorsPerimetre:
        st.error("Ce territoire est hors de votre périmètre.", icon=apparence.ICONE_VERROU)
    except DroitRefuse as exc:
        # Une écriture que la page aurait dû ne pas proposer : le refus de la fonction qui
        # écrit est dit tel quel (il est en français et ne contient aucun détail technique).
        st.error(str(exc), icon=apparence.ICONE_VERROU)
    except (OperationalError, ProgrammingError) as exc:
        reference = _journaliser(exc)
        if "no such table" in str(exc) or "does not exist" in str(exc):
            st.error(
                "La base de données n'est pas initialisée. Lancez « pilotage init » (ou "
                f"« pilotage demo »), puis rechargez la page. Référence : {reference}.",
                icon=apparence.ICONE_BASE,
            )
        else:
            st.error(
                "La base de données est injoignable. Vérifiez le réglage PILOTAGE_DATABASE_URL "
                f"et que le serveur de base de données tourne. Référence : {reference}.",
                icon=apparence.ICONE_BASE,
            )
    except Exception as exc:
        reference = _journaliser(exc)
        st.error(
            "Une erreur inattendue est survenue ; elle a été enregistrée. Transmettez la "
            f"référence {reference} à l'équipe de pilotage.",
            icon=apparence.ICONE_ATTENTION,
        )


def _journaliser(exc: BaseException) -> str:
    reference = uuid.uuid4().hex[:8]
    journal.error("erreur %s", reference, exc_info=exc)
    return reference
