"""La porte d'entrée : connexion (streamlit-authenticator), rôles, verrouillage après échecs.

Ordre suivi à chaque exécution (recette éprouvée, voir shared/STACK_NOTES.md) : ré-authentifier
par le cookie sans rien afficher ; sinon afficher le formulaire et arrêter la page ; une connexion
réussie dans cette exécution continue sans `st.rerun()` (qui perdrait l'écriture du cookie).
Le composant de cookies du navigateur peut répondre en retard : on redemande l'écriture ou
l'effacement du cookie tant que le navigateur ne l'a pas confirmé.

Après une connexion, la page attend que le navigateur ait écrit le cookie (« Connexion en
cours… ») : c'est le script d'un composant, qui sous charge s'exécute plusieurs secondes après
le dessin de la page ; une personne qui rechargeait ou ouvrait un lien dans cet intervalle se
retrouvait devant le formulaire (bench/NOTES_CHARGE.md, « Course à la connexion »).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
import streamlit_authenticator as stauth
from sqlalchemy import Engine
from streamlit_authenticator.utilities import LoginError

from config.settings import Settings
from dashboard import apparence, utilisateurs
from data_access import connexions

NOM_COOKIE = "pilotage_session"
DUREE_COOKIE_JOURS = 1.0
CHAMPS = {
    "Form name": "Connexion",
    "Username": "Identifiant",
    "Password": "Mot de passe",
    "Login": "Se connecter",
}
MESSAGE_ECHEC = "Identifiant ou mot de passe incorrect."
MESSAGE_VERROU = (
    "Ce compte est verrouillé pendant 15 minutes après 5 échecs de connexion. "
    "Réessayez plus tard ou contactez l'administrateur."
)
_COOKIE_VOULU = "_auth_cookie_voulu"  # « poser » après connexion, « effacer » après déconnexion
_CONNEXION_CE_TOUR = "_auth_connexion_ce_tour"
# Instant de la connexion, gardé tant que le navigateur n'a pas écrit le cookie.
_ATTENTE_COOKIE = "_auth_attente_cookie"
# Clé du composant qui écrit le cookie (streamlit-authenticator) : vrai une fois l'écriture faite.
CLE_ECRITURE = "set"
ATTENTE_COOKIE_MAX_S = 10.0
MESSAGE_ATTENTE = "Connexion en cours : votre navigateur enregistre la session…"


class CleCookieInvalide(RuntimeError):
    """La clé du cookie manque ou est une valeur d'exemple, hors démonstration."""


class CompteVerrouille(LoginError):
    """Trop d'échecs récents pour cet identifiant."""


@dataclass(frozen=True)
class Utilisateur:
    """La personne connectée : ce que les pages et les lectures ont besoin de savoir."""

    identifiant: str
    nom: str
    role: str
    perimetre: str | None

    @property
    def libelle_role(self) -> str:
        return utilisateurs.ROLES.get(self.role, self.role)


def cle_cookie(settings: Settings) -> str:
    """La clé qui signe le cookie ; en démonstration seulement, une clé locale générée."""
    probleme = settings.probleme_cle_cookie()
    if probleme is None:
        return str(settings.cookie_key)
    if not settings.demo:
        raise CleCookieInvalide(probleme)
    fichier = settings.data_dir / "cle_cookie_demo"
    if not fichier.exists():
        fichier.parent.mkdir(parents=True, exist_ok=True)
        fichier.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        fichier.chmod(0o600)
    return fichier.read_text(encoding="utf-8").strip()


def _credentials(settings: Settings) -> dict[str, Any]:
    comptes = utilisateurs.read_comptes(settings.users_file)["usernames"]
    return {
        "usernames": {
            ident: {"name": c.get("name", ident), "password": c["password"], "email": "",
                    "roles": c.get("roles") or ["lecteur"], "perimetre": c.get("perimetre")}
            for ident, c in comptes.items()
        }
    }  # fmt: skip


def build(settings: Settings, engine: Engine) -> stauth.Authenticate:
    """L'authentificateur de cette exécution (son composant de cookies est rendu à chaque fois)."""
    auth = stauth.Authenticate(
        _credentials(settings), NOM_COOKIE, cle_cookie(settings), DUREE_COOKIE_JOURS,
        auto_hash=False, login_sleep_time=0,
    )  # fmt: skip
    controleur = auth.authentication_controller
    controleur.login = _avec_verrou(controleur.login, engine)
    return auth


def _avec_verrou(login: Callable[..., Any], engine: Engine) -> Callable[..., Any]:
    """Enveloppe la vérification du mot de passe de la bibliothèque : c'est le seul endroit où
    l'identifiant saisi est connu, qu'elle réussisse ou non. Les échecs sont gardés en base."""

    def login_verrouille(username: str | None = None, password: str | None = None,
                         *args: Any, **kwargs: Any) -> Any:  # fmt: skip
        if not username:
            return login(username, password, *args, **kwargs)
        identifiant = username.strip().lower()
        with engine.begin() as conn:
            verrouille = connexions.est_verrouille(conn, identifiant=identifiant)
            if verrouille:
                connexions.record_echec(conn, identifiant=identifiant)
        if verrouille:
            raise CompteVerrouille(MESSAGE_VERROU)
        reussi = login(username, password, *args, **kwargs)
        with engine.begin() as conn:
            if reussi:
                connexions.reset_echecs(conn, identifiant=identifiant)
            else:
                connexions.record_echec(conn, identifiant=identifiant)
        return reussi

    return login_verrouille


def utilisateur_courant(settings: Settings) -> Utilisateur | None:
    """La personne connectée dans cette session, ou None."""
    if not st.session_state.get("authentication_status"):
        return None
    identifiant = str(st.session_state.get("username"))
    compte = utilisateurs.read_comptes(settings.users_file)["usernames"].get(identifiant)
    if compte is None:  # compte supprimé depuis la connexion
        return None
    role = (compte.get("roles") or ["lecteur"])[0]
    return Utilisateur(
        identifiant, str(compte.get("name", identifiant)), role, compte.get("perimetre")
    )


def _synchroniser_cookie(auth: stauth.Authenticate) -> None:
    """Redemande l'écriture ou l'effacement du cookie tant que le navigateur ne l'a pas confirmé."""
    voulu = st.session_state.get(_COOKIE_VOULU)
    pot = st.session_state.get("init") or {}
    if voulu == "poser" and st.session_state.get("authentication_status") and NOM_COOKIE not in pot:
        auth.cookie_controller.set_cookie()
    elif voulu == "effacer" and NOM_COOKIE in pot:
        auth.cookie_controller.delete_cookie()


def _tenir_cookie(auth: stauth.Authenticate) -> None:
    """`_synchroniser_cookie` après la porte d'entrée, sauf dans l'exécution de la connexion :
    la bibliothèque vient d'y poser le composant d'écriture, le poser encore doublerait sa clé."""
    if not st.session_state.pop(_CONNEXION_CE_TOUR, False):
        _synchroniser_cookie(auth)


def require_user(auth: stauth.Authenticate, settings: Settings) -> Utilisateur | None:
    """Connexion par cookie, sinon formulaire ; renvoie l'utilisateur, ou None (page arrêtée).

    Doit être appelée après `st.navigation` : le formulaire s'affiche à la place de la page
    demandée, dont l'adresse et les paramètres restent dans l'URL jusqu'à la connexion.
    """
    if st.session_state.get("authentication_status"):
        return utilisateur_courant(settings)
    _synchroniser_cookie(auth)
    try:
        auth.login(location="main", key="formulaire_connexion", fields=CHAMPS)
    except CompteVerrouille:
        st.session_state["authentication_status"] = None
        st.error(MESSAGE_VERROU, icon=apparence.ICONE_VERROU)
        return None
    except LoginError:
        st.error(MESSAGE_ECHEC, icon=apparence.ICONE_ATTENTION)
        return None
    statut = st.session_state.get("authentication_status")
    if statut is False:
        st.error(MESSAGE_ECHEC, icon=apparence.ICONE_ATTENTION)
    if statut:
        st.session_state[_COOKIE_VOULU] = "poser"
        st.session_state[_CONNEXION_CE_TOUR] = True  # la bibliothèque vient d'écrire le cookie
        st.session_state[_ATTENTE_COOKIE] = time.monotonic()
        st.session_state["logout"] = None
        return utilisateur_courant(settings)
    return None


def cookie_ecrit() -> bool:
    """Le navigateur a écrit le cookie de connexion : le composant d'écriture l'a confirmé, ou
    le cookie figure dans ce que le navigateur a renvoyé de ses cookies."""
    pot = st.session_state.get("init") or {}
    return st.session_state.get(CLE_ECRITURE) is True or NOM_COOKIE in pot


def attendre_cookie(auth: stauth.Authenticate) -> bool:
    """Vrai tant que la page doit attendre l'écriture du cookie qui suit une connexion (la page
    est alors arrêtée, le message d'attente affiché). La confirmation du composant relance le
    script ; sans elle (composant qui ne se charge pas), la page vient au bout de
    ATTENTE_COOKIE_MAX_S, sans cookie : la session reste connectée, seul un rechargement
    redemanderait le mot de passe."""
    debut = st.session_state.get(_ATTENTE_COOKIE)
    if debut is None:
        return False
    if cookie_ecrit() or time.monotonic() - debut > ATTENTE_COOKIE_MAX_S:
        del st.session_state[_ATTENTE_COOKIE]
        return False
    _tenir_cookie(auth)  # le composant d'écriture doit rester dans la page
    st.info(MESSAGE_ATTENTE, icon=apparence.ICONE_ATTENTE)
    _relancer_au_plus_tard(debut)
    return True


@st.fragment(run_every=1.0)
def _relancer_au_plus_tard(debut: float) -> None:
    """Relance toute la page une fois l'attente maximale passée (aucun autre déclencheur si le
    composant ne répond jamais)."""
    if time.monotonic() - debut > ATTENTE_COOKIE_MAX_S:
        st.rerun()


def render_deconnexion(auth: stauth.Authenticate, utilisateur: Utilisateur) -> bool:
    """Nom, rôle, bouton « Se déconnecter » (barre latérale) ; vrai si l'on vient de sortir."""
    with st.sidebar:
        perimetre = f" · {utilisateur.perimetre}" if utilisateur.perimetre else ""
        st.markdown(f"**{utilisateur.nom}**  \n{utilisateur.libelle_role}{perimetre}")
    _tenir_cookie(auth)
    auth.logout(button_name="Se déconnecter", location="sidebar", key="bouton_deconnexion")
    if not st.session_state.get("authentication_status"):
        st.session_state[_COOKIE_VOULU] = "effacer"
        return True
    return False
