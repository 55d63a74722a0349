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

La session vit en base (`data_access.sessions`) : le cookie signé ne porte que l'identifiant du
compte et un jeton de session. Chaque exécution de page vérifie ce jeton une fois (une lecture
par clé primaire) : une déconnexion, un mot de passe changé, un compte supprimé ou désactivé
ferment la session pour tous les processus, au clic suivant. Un cookie invalide, expiré, révoqué
ou forgé ramène au formulaire, jamais à une page d'erreur.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import jwt
import streamlit as st
import streamlit_authenticator as stauth
from sqlalchemy import Engine
from streamlit_authenticator.utilities import LoginError

from config.settings import Settings
from dashboard import apparence, formats, utilisateurs
from data_access import connexions, sessions

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
# Jeton de la session en base (celui que porte le cookie) ; jamais affiché.
CLE_SESSION = "_auth_session"
ALGORITHME = "HS256"
journal = logging.getLogger("pilotage.connexion")


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
    """Les comptes tels que les lit la bibliothèque ; un compte désactivé n'y figure pas (ni
    connexion, ni reprise de session)."""
    comptes = utilisateurs.read_comptes(settings.users_file)["usernames"]
    return {
        "usernames": {
            ident: {"name": c.get("name", ident), "password": c["password"], "email": "",
                    "roles": c.get("roles") or ["lecteur"], "perimetre": c.get("perimetre")}
            for ident, c in comptes.items() if not c.get("desactive")
        }
    }  # fmt: skip


@dataclass
class Porte:
    """La porte d'entrée d'une exécution de page : l'authentificateur de la bibliothèque, les
    comptes lus pour cette exécution, et le jeton de session déjà vérifié en base pendant cette
    exécution (une seule lecture par exécution)."""

    auth: stauth.Authenticate
    engine: Engine
    comptes: dict[str, Any]
    cle: str
    verifiee: str | None = field(default=None)


def _maintenant() -> datetime:
    return datetime.now(UTC)


def empreinte_mdp(hache: str) -> str:
    """Empreinte du haché du mot de passe, gardée avec la session : un mot de passe changé
    ferme les sessions ouvertes avec l'ancien, même si la révocation n'a pas été écrite."""
    return hashlib.sha256(hache.encode("utf-8")).hexdigest()


def build(settings: Settings, engine: Engine) -> Porte:
    """La porte de cette exécution (le composant de cookies de la bibliothèque est rendu à
    chaque fois). La lecture et l'écriture du cookie sont remplacées par les nôtres : jeton de
    session dans le cookie, vérification en base, toute erreur de jeton rattrapée."""
    cle = cle_cookie(settings)
    credentials = _credentials(settings)
    auth = stauth.Authenticate(
        credentials, NOM_COOKIE, cle, DUREE_COOKIE_JOURS, auto_hash=False, login_sleep_time=0,
    )  # fmt: skip
    porte = Porte(auth, engine, credentials["usernames"], cle)
    controleur = auth.authentication_controller
    controleur.login = _avec_verrou(controleur.login, porte)
    modele = auth.cookie_controller.cookie_model
    modele.get_cookie = lambda: _lire_cookie(porte)
    modele._token_encode = lambda: _encoder(porte, modele.exp_date)
    return porte


@dataclass(frozen=True)
class Jeton:
    """Le contenu d'un cookie de connexion dont la signature et la forme sont bonnes."""

    identifiant: str
    session: str
    expire: float


def lire_jeton(brut: str, cle: str, maintenant: float | None = None) -> Jeton | None:
    """Le jeton d'un cookie, ou None s'il est illisible, mal signé, signé par un autre
    algorithme (`alg: none` compris), expiré, ou sans jeton de session (cookie d'avant les
    sessions en base). Ne lève jamais : un cookie vient du navigateur, donc de n'importe qui."""
    try:
        contenu = jwt.decode(brut, cle, algorithms=[ALGORITHME])
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
    if not isinstance(contenu, dict):
        return None
    identifiant, session, expire = (contenu.get(k) for k in ("username", "sid", "exp_date"))
    if not (isinstance(identifiant, str) and identifiant and isinstance(session, str) and session):
        return None
    if isinstance(expire, bool) or not isinstance(expire, int | float):
        return None
    if expire <= (time.time() if maintenant is None else maintenant):
        return None
    return Jeton(identifiant, session, float(expire))


def _encoder(porte: Porte, expire: float | None) -> str:
    """Le cookie écrit après une connexion : compte, jeton de session, date d'expiration."""
    contenu = {"username": st.session_state.get("username"), "exp_date": expire,
               "sid": st.session_state.get(CLE_SESSION)}  # fmt: skip
    return jwt.encode(contenu, porte.cle, algorithm=ALGORITHME)


def _cookie_du_navigateur() -> str | None:
    """Le cookie de connexion envoyé par le navigateur à l'ouverture de la session."""
    return st.context.cookies.get(NOM_COOKIE)


def _lire_cookie(porte: Porte) -> dict[str, Any] | bool | None:
    """Remplace la lecture du cookie de la bibliothèque : un jeton qu'elle accepterait n'est
    rendu que si sa session vit en base. Un cookie refusé sera effacé du navigateur."""
    if st.session_state.get("logout"):
        return False
    brut = _cookie_du_navigateur()
    if not brut:
        return None
    jeton = lire_jeton(brut, porte.cle)
    if jeton is None or not _session_valide(porte, jeton.session, jeton.identifiant):
        st.session_state[_COOKIE_VOULU] = "effacer"
        st.session_state["logout"] = True  # le même cookie ne sera pas relu à chaque exécution
        return None
    st.session_state[CLE_SESSION] = jeton.session
    return {"username": jeton.identifiant, "exp_date": jeton.expire}


def _session_valide(porte: Porte, session: object, identifiant: str) -> bool:
    """La session vit en base, est bien celle de ce compte, qui existe, n'est pas désactivé et
    a toujours le mot de passe de la connexion. Une lecture au plus par exécution."""
    compte = porte.comptes.get(identifiant)
    if not isinstance(session, str) or not session or compte is None:
        return False
    if porte.verifiee == session:
        return True
    with porte.engine.begin() as conn:
        trouvee = sessions.verify_session(conn, jeton=session)
    valide = (
        trouvee is not None
        and trouvee.identifiant == identifiant
        and trouvee.empreinte_mdp == empreinte_mdp(str(compte["password"]))
    )
    porte.verifiee = session if valide else None
    return valide


def ouvrir_session(engine: Engine, identifiant: str, hache: str) -> str:
    """Ouvre une session en base pour ce compte et rend son jeton (après une connexion réussie ;
    aussi pour les tests et les bancs qui préparent une session connectée sans navigateur)."""
    with engine.begin() as conn:
        return sessions.create_session(
            conn, identifiant=identifiant, empreinte_mdp=empreinte_mdp(hache)
        )


def _oublier_session() -> None:
    """La session n'est plus valable : la page redevient celle d'une personne non connectée
    (formulaire), et le cookie sera effacé du navigateur."""
    for cle in ("authentication_status", "username", "name", "roles", "email"):
        st.session_state[cle] = None
    st.session_state.pop(CLE_SESSION, None)
    st.session_state.pop(_ATTENTE_COOKIE, None)
    st.session_state["logout"] = True  # pas de reprise par un cookie déjà refusé
    st.session_state[_COOKIE_VOULU] = "effacer"


def reprendre_session(porte: Porte) -> None:
    """Reprise de la session par le cookie, sans rien afficher. Un compte disparu entre la
    lecture du cookie et la reprise fait lever `LoginError` à la bibliothèque : formulaire."""
    try:
        porte.auth.login(location="unrendered")
    except LoginError:
        _oublier_session()


def _avec_verrou(login: Callable[..., Any], porte: Porte) -> Callable[..., Any]:
    """Enveloppe la vérification du mot de passe de la bibliothèque : c'est le seul endroit où
    l'identifiant saisi est connu, qu'elle réussisse ou non. Les échecs sont gardés en base ;
    une tentative pendant un verrou n'est pas notée (elle ne le prolonge pas). Une connexion
    réussie ouvre la session en base."""

    def login_verrouille(username: str | None = None, password: str | None = None,
                         *args: Any, **kwargs: Any) -> Any:  # fmt: skip
        if not username:
            return login(username, password, *args, **kwargs)
        identifiant = username.strip().lower()
        maintenant = _maintenant()
        with porte.engine.begin() as conn:
            fin = connexions.read_fin_verrou(conn, identifiant=identifiant)
        if fin is not None and maintenant < fin:
            journal.info("connexion refusée : « %s » est verrouillé jusqu'à %s",
                         identifiant, fin.isoformat())  # fmt: skip
            raise CompteVerrouille(MESSAGE_VERROU)
        if fin is not None:
            journal.warning("fin du verrou de « %s » (levé à %s)", identifiant, fin.isoformat())
        reussi = login(username, password, *args, **kwargs)
        with porte.engine.begin() as conn:
            if reussi:
                connexions.reset_echecs(conn, identifiant=identifiant)
            else:
                connexions.record_echec(conn, identifiant=identifiant, quand=maintenant)
                fin = connexions.read_fin_verrou(conn, identifiant=identifiant)
        if not reussi and fin is not None and maintenant < fin:
            journal.warning(
                "« %s » verrouillé jusqu'à %s après %d échecs de connexion", identifiant,
                fin.isoformat(), connexions.ECHECS_MAX,
            )  # fmt: skip
        if reussi:
            hache = porte.comptes[identifiant]["password"]
            jeton = ouvrir_session(porte.engine, identifiant, hache)
            st.session_state[CLE_SESSION] = jeton
            porte.verifiee = jeton
        return reussi

    return login_verrouille


def utilisateur_courant(porte: Porte) -> Utilisateur | None:
    """La personne connectée dans cette session, ou None. Sa session est vérifiée en base (une
    fois par exécution) : révoquée, expirée, ou compte supprimé ou désactivé, elle est oubliée
    et la page redemande la connexion."""
    if not st.session_state.get("authentication_status"):
        return None
    identifiant = str(st.session_state.get("username"))
    if not _session_valide(porte, st.session_state.get(CLE_SESSION), identifiant):
        _oublier_session()
        return None
    compte = porte.comptes[identifiant]
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


def require_user(porte: Porte) -> Utilisateur | None:
    """Connexion par cookie, sinon formulaire ; renvoie l'utilisateur, ou None (page arrêtée).

    Doit être appelée après `st.navigation` : le formulaire s'affiche à la place de la page
    demandée, dont l'adresse et les paramètres restent dans l'URL jusqu'à la connexion.
    """
    if st.session_state.get("authentication_status"):
        return utilisateur_courant(porte)
    _synchroniser_cookie(porte.auth)
    try:
        porte.auth.login(location="main", key="formulaire_connexion", fields=CHAMPS)
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
        return utilisateur_courant(porte)
    return None


def cookie_ecrit() -> bool:
    """Le navigateur a écrit le cookie de connexion : le composant d'écriture l'a confirmé, ou
    le cookie figure dans ce que le navigateur a renvoyé de ses cookies."""
    pot = st.session_state.get("init") or {}
    return st.session_state.get(CLE_ECRITURE) is True or NOM_COOKIE in pot


def attendre_cookie(porte: Porte) -> bool:
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
    _tenir_cookie(porte.auth)  # le composant d'écriture doit rester dans la page
    st.info(MESSAGE_ATTENTE, icon=apparence.ICONE_ATTENTE)
    _relancer_au_plus_tard(debut)
    return True


@st.fragment(run_every=1.0)
def _relancer_au_plus_tard(debut: float) -> None:
    """Relance toute la page une fois l'attente maximale passée (aucun autre déclencheur si le
    composant ne répond jamais)."""
    if time.monotonic() - debut > ATTENTE_COOKIE_MAX_S:
        st.rerun()


def render_deconnexion(porte: Porte, utilisateur: Utilisateur) -> bool:
    """Nom, rôle, bouton « Se déconnecter » (barre latérale) ; vrai si l'on vient de sortir.
    La déconnexion révoque la session en base : une copie du cookie n'ouvre plus rien."""
    with st.sidebar:
        perimetre = f" · {utilisateur.perimetre}" if utilisateur.perimetre else ""
        nom = formats.texte_brut(utilisateur.nom)  # saisi par un administrateur : texte brut
        st.markdown(f"**{nom}**  \n{utilisateur.libelle_role}{perimetre}")
    _tenir_cookie(porte.auth)
    jeton = st.session_state.get(CLE_SESSION)
    porte.auth.logout(button_name="Se déconnecter", location="sidebar", key="bouton_deconnexion")
    if not st.session_state.get("authentication_status"):
        if jeton:
            with porte.engine.begin() as conn:
                sessions.revoke_session(conn, jeton=jeton, motif="deconnexion")
        st.session_state.pop(CLE_SESSION, None)
        st.session_state[_COOKIE_VOULU] = "effacer"
        return True
    return False
