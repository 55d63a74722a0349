"""Sessions de connexion tenues en base : créer, vérifier, révoquer.

Le cookie de connexion est signé, mais une signature ne se retire pas : sans trace côté
serveur, une copie du cookie prise avant la déconnexion ouvrait encore l'application pendant un
jour. Le cookie porte donc un jeton de session tiré au hasard ; la base en garde l'empreinte
(`session_connexion`) et dit si la session vit encore. Plusieurs processus derrière nginx
partagent cette table : une révocation écrite par l'un (ou par `pilotage users`) vaut pour tous
à la requête suivante.

Une session vit `DUREE` après sa création, quelle que soit l'activité, et meurt plus tôt si elle
est révoquée (déconnexion, mot de passe changé, compte supprimé ou désactivé). La dernière
activité (`vue_le`) n'est réécrite qu'une fois par `RAFRAICHISSEMENT` : une exécution de page
ordinaire ne fait qu'une lecture par clé primaire.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, update

from data_access import schema

DUREE = timedelta(days=1)
RAFRAICHISSEMENT = timedelta(minutes=1)
# Les lignes mortes restent un mois (qui s'est connecté, quand, comment la session a fini).
CONSERVATION = timedelta(days=30)


@dataclass(frozen=True)
class Session:
    """Une session vivante : à qui elle est, et l'empreinte du mot de passe à sa création."""

    identifiant: str
    empreinte_mdp: str


def _maintenant() -> datetime:
    return datetime.now(UTC)


def _utc(quand: datetime) -> datetime:
    """SQLite rend des dates sans fuseau (écrites en UTC) ; PostgreSQL, avec."""
    return quand if quand.tzinfo else quand.replace(tzinfo=UTC)


def empreinte_jeton(jeton: str) -> str:
    """La clé de la ligne : l'empreinte SHA-256 du jeton, jamais le jeton lui-même."""
    return hashlib.sha256(jeton.encode("utf-8")).hexdigest()


def create_session(
    conn: Connection, *, identifiant: str, empreinte_mdp: str, maintenant: datetime | None = None
) -> str:
    """Ouvre une session et rend son jeton (à mettre dans le cookie signé) ; efface au passage
    les sessions terminées depuis plus de `CONSERVATION`."""
    quand = maintenant or _maintenant()
    jeton = secrets.token_urlsafe(32)
    s = schema.session_connexion
    conn.execute(delete(s).where(s.c.cree_le < quand - DUREE - CONSERVATION))
    conn.execute(
        insert(s).values(
            id=empreinte_jeton(jeton), identifiant=identifiant, empreinte_mdp=empreinte_mdp,
            cree_le=quand, vue_le=quand, revoquee_le=None, motif=None,
        )
    )  # fmt: skip
    return jeton


def verify_session(
    conn: Connection, *, jeton: str, maintenant: datetime | None = None
) -> Session | None:
    """La session de ce jeton si elle vit (connue, non révoquée, créée depuis moins de `DUREE`),
    sinon None. Note l'activité au plus une fois par `RAFRAICHISSEMENT`."""
    quand = maintenant or _maintenant()
    s = schema.session_connexion
    cle = empreinte_jeton(jeton)
    ligne = conn.execute(
        select(s.c.identifiant, s.c.empreinte_mdp, s.c.cree_le, s.c.vue_le, s.c.revoquee_le).where(
            s.c.id == cle
        )
    ).first()
    if ligne is None or ligne.revoquee_le is not None:
        return None
    if _utc(ligne.cree_le) + DUREE <= quand:
        return None
    if quand - _utc(ligne.vue_le) >= RAFRAICHISSEMENT:
        conn.execute(update(s).where(s.c.id == cle).values(vue_le=quand))
    return Session(ligne.identifiant, ligne.empreinte_mdp)


def revoke_session(
    conn: Connection, *, jeton: str, motif: str, maintenant: datetime | None = None
) -> bool:
    """Révoque une session (déconnexion) ; vrai si elle vivait encore."""
    s = schema.session_connexion
    resultat = conn.execute(
        update(s)
        .where(s.c.id == empreinte_jeton(jeton), s.c.revoquee_le.is_(None))
        .values(revoquee_le=maintenant or _maintenant(), motif=motif)
    )
    return resultat.rowcount > 0


def revoke_sessions_utilisateur(
    conn: Connection, *, identifiant: str, motif: str, maintenant: datetime | None = None
) -> int:
    """Révoque toutes les sessions vivantes d'un compte (mot de passe changé, compte supprimé ou
    désactivé) ; rend leur nombre."""
    quand = maintenant or _maintenant()
    s = schema.session_connexion
    resultat = conn.execute(
        update(s)
        .where(
            s.c.identifiant == identifiant.strip().lower(),
            s.c.revoquee_le.is_(None),
            s.c.cree_le > quand - DUREE,
        )
        .values(revoquee_le=quand, motif=motif)
    )
    return int(resultat.rowcount)
