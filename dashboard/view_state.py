"""La vue partagée vit dans l'URL : période, territoire, indicateur, plus des clés de page.

Seul module qui lit `st.query_params`. Règles :
- une URL ouverte (lien partagé, rechargement, saisie) impose sa vue ; un paramètre invalide
  donne un avis en français et la valeur par défaut, jamais une erreur ;
- un changement de page efface les paramètres de l'URL (comportement de Streamlit) : la vue est
  alors reprise de l'état des sélecteurs, puis réécrite dans l'URL ;
- la période est toujours écrite dans l'URL, même par défaut : la « dernière période » change avec
  les imports, un lien doit rouvrir exactement la même vue.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import streamlit as st

from dashboard import apparence, formats

CLES = ("periode", "territoire", "indicateur")
_ETAT = {cle: f"vue_{cle}" for cle in CLES}  # clés des sélecteurs dans st.session_state
_URL_ECRITE = "_vue_url_ecrite"
_EXTRAS = "_vue_extras"  # {adresse de page: {clé: valeur}} : chaque page garde ses clés
_PAGE = "_vue_page"
_AVIS = "_vue_avis"


@dataclass(frozen=True)
class Choix:
    """Valeurs permises de chaque clé, dans l'ordre d'affichage, avec leurs libellés."""

    periodes: Sequence[str]
    territoires: Mapping[str, str]
    indicateurs: Mapping[str, str]
    perimetre: str | None = None
    periode_defaut: str | None = None  # `couverture.read_periode_par_defaut` (règle au README)


@dataclass(frozen=True)
class Vue:
    """La vue courante ; `extras` : clés propres à une page (canton, mesure, édition…)."""

    periode: str
    territoire: str
    indicateur: str
    extras: Mapping[str, str] = field(default_factory=dict)

    def params(self) -> dict[str, str]:
        return {"periode": self.periode, "territoire": self.territoire,
                "indicateur": self.indicateur, **self.extras}  # fmt: skip


def defaut(choix: Choix) -> Vue:
    """Période par défaut (le dernier mois aux données complètes, pas le dernier importé),
    département (ou territoire du périmètre), retours à l'emploi."""
    territoire = choix.perimetre or next(iter(choix.territoires))
    indicateur = "OO2-S.1" if "OO2-S.1" in choix.indicateurs else next(iter(choix.indicateurs))
    periode = choix.periode_defaut
    if periode is None or periode not in choix.periodes:
        periode = choix.periodes[-1]
    return Vue(periode=periode, territoire=territoire, indicateur=indicateur)


def parse(params: Mapping[str, str], choix: Choix) -> tuple[Vue, list[str]]:
    """La vue d'une URL ; chaque paramètre invalide est remplacé par le défaut, avec un avis."""
    vue, avis = defaut(choix), []
    valeurs = {"periode": choix.periodes, "territoire": choix.territoires,
               "indicateur": choix.indicateurs}  # fmt: skip
    noms = {"periode": "Période", "territoire": "Territoire", "indicateur": "Indicateur"}
    for cle in CLES:
        brut = params.get(cle)
        if brut is None:
            continue
        if brut in valeurs[cle]:
            changement: dict[str, Any] = {cle: brut}
            vue = replace(vue, **changement)
        elif cle == "territoire" and choix.perimetre is not None:
            avis.append(
                f"Territoire « {brut} » hors de votre périmètre ({choix.perimetre}) : "
                f"affichage de {choix.territoires[vue.territoire]}."
            )
        else:
            avis.append(f"{noms[cle]} « {brut} » inconnu(e) : valeur par défaut affichée.")
    extras = {k: v for k, v in params.items() if k not in CLES}
    return replace(vue, extras=extras), avis


def set_page(adresse: str) -> None:
    """La page de cette exécution (le routeur l'indique) : ses clés propres ne suivent pas la
    personne sur une autre page, et elle les retrouve en revenant."""
    st.session_state[_PAGE] = adresse


def _extras() -> dict[str, str]:
    return dict(st.session_state.get(_EXTRAS, {}).get(st.session_state.get(_PAGE, ""), {}))


def _set_extras(extras: Mapping[str, str]) -> None:
    tous = dict(st.session_state.get(_EXTRAS, {}))
    tous[st.session_state.get(_PAGE, "")] = dict(extras)
    st.session_state[_EXTRAS] = tous


def _params_url() -> dict[str, str]:
    return {cle: st.query_params[cle] for cle in st.query_params}


def current(choix: Choix) -> Vue:
    """La vue de cette exécution ; à appeler une fois par le routeur, avant les sélecteurs."""
    params = _params_url()
    nouvelle_url = bool(params) and params != st.session_state.get(_URL_ECRITE)
    if nouvelle_url:
        vue, avis = parse(params, choix)
        st.session_state[_AVIS] = (avis, vue.params())
        _set_extras(vue.extras)
    else:
        etat = {cle: st.session_state.get(_ETAT[cle]) for cle in CLES}
        vue, _ = parse({k: v for k, v in etat.items() if v is not None}, choix)
        vue = replace(vue, extras=_extras())
    for cle in CLES:
        st.session_state[_ETAT[cle]] = getattr(vue, cle)
    return vue


# Streamlit pâlit le libellé d'un sélecteur grisé sous le contraste exigé (4,5:1, WCAG 1.4.3,
# règle color-contrast d'axe-core) : le libellé garde la couleur du texte, la case reste grisée.
LIBELLE_GRISE_LISIBLE = (
    "<style>[data-testid='stSidebar'] [data-testid='stWidgetLabel'] * "
    "{ color: #0e1117 !important; opacity: 1 !important; }</style>"
)


def render_selecteurs(
    choix: Choix, actifs: Collection[str] = CLES, raisons: Mapping[str, str] | None = None
) -> Vue:
    """Sélecteurs partagés (barre latérale) ; renvoie la vue choisie et l'écrit dans l'URL.

    Un sélecteur qui n'agit pas sur la page (hors de `actifs`) reste visible, grisé, et son
    infobulle dit pourquoi (`raisons`) : sa valeur est gardée pour les autres pages."""
    inactif = {cle: cle not in actifs for cle in CLES}
    aide = {cle: (raisons or {}).get(cle) if inactif[cle] else None for cle in CLES}
    with st.sidebar:
        if any(inactif.values()):
            st.html(LIBELLE_GRISE_LISIBLE)
        st.selectbox("Période", list(reversed(choix.periodes)), key=_ETAT["periode"],
                     format_func=formats.periode, disabled=inactif["periode"],
                     help=aide["periode"])  # fmt: skip
        st.selectbox("Territoire", list(choix.territoires), key=_ETAT["territoire"],
                     format_func=choix.territoires.__getitem__, disabled=inactif["territoire"],
                     help=aide["territoire"])  # fmt: skip
        st.selectbox("Indicateur", list(choix.indicateurs), key=_ETAT["indicateur"],
                     format_func=lambda c: f"{c} · {choix.indicateurs[c]}",
                     disabled=inactif["indicateur"], help=aide["indicateur"])  # fmt: skip
    vue = Vue(
        periode=st.session_state[_ETAT["periode"]],
        territoire=st.session_state[_ETAT["territoire"]],
        indicateur=st.session_state[_ETAT["indicateur"]],
        extras=_extras(),
    )
    _write(vue)
    _render_avis(vue)
    return vue


def _render_avis(vue: Vue) -> None:
    """Les avis sur l'URL restent affichés tant que la personne n'a pas changé la vue.

    (Le composant de cookies relance le script juste après la connexion : un avis affiché une
    seule fois disparaîtrait avant d'être lu.)
    """
    avis, params = st.session_state.get(_AVIS, ([], {}))
    if avis and params == vue.params():
        for message in avis:
            st.warning(message, icon=apparence.ICONE_INFO)
    elif avis:
        del st.session_state[_AVIS]


def _write(vue: Vue) -> None:
    params = vue.params()
    if _params_url() != params:
        st.query_params.from_dict(params)
    st.session_state[_URL_ECRITE] = params


def extra(nom: str, valides: Sequence[str], defaut_: str | None = None) -> str | None:
    """Valeur d'une clé propre à la page (canton choisi, mesure…), validée ; None si absente."""
    valeur = _extras().get(nom)
    if valeur is not None and valeur not in valides:
        st.warning(f"Valeur « {valeur} » inconnue pour « {nom} » : valeur par défaut affichée.",
                   icon=apparence.ICONE_INFO)  # fmt: skip
        valeur = None
    return valeur if valeur is not None else defaut_


def set_extra(nom: str, valeur: str | None) -> None:
    """Écrit (ou retire) une clé propre à la page, dans l'état et dans l'URL."""
    extras = _extras()
    if valeur is None:
        extras.pop(nom, None)
    else:
        extras[nom] = valeur
    _set_extras(extras)
    ecrite = dict(st.session_state.get(_URL_ECRITE, {}))
    ecrite.pop(nom, None)
    if valeur is not None:
        ecrite[nom] = valeur
    st.query_params.from_dict(ecrite)
    st.session_state[_URL_ECRITE] = ecrite


def selecteur(
    widget: Callable[..., Any],
    libelle: str,
    nom: str,
    options: Sequence[str],
    defaut_: str,
    *,
    cle: str,
    **kwargs: Any,
) -> str:
    """Un sélecteur propre à la page, lié à la clé d'URL `nom` (l'URL fait foi).

    L'état du widget est recopié depuis l'URL avant sa création (un lien ouvert ou une URL
    changée le met à jour) ; un changement fait par la personne réécrit l'URL (la valeur par
    défaut n'y figure pas).
    """
    st.session_state[cle] = extra(nom, options, defaut_)
    widget(libelle, list(options), key=cle, on_change=_reporter, args=(nom, cle, defaut_), **kwargs)
    return str(st.session_state[cle])


def onglets(titres: Sequence[str], nom: str, *, cle: str) -> Sequence[Any]:
    """Des onglets dont le choix vit dans l'URL (clé `nom`, valeur : le titre en minuscules,
    sans accents, mots liés par des tirets, « alertes ») : un lien copié depuis un onglet rouvre
    cet onglet. Le premier onglet, par défaut, n'est pas écrit dans l'URL."""
    par_adresse = {adresse_onglet(t): t for t in titres}
    choisi = extra(nom, list(par_adresse), adresse_onglet(titres[0]))
    st.session_state[cle] = par_adresse[str(choisi)]
    return st.tabs(list(titres), key=cle, on_change=_reporter_onglet, args=(nom, cle, titres[0]))


def adresse_onglet(titre: str) -> str:
    """« Changements de statut » → « changements-de-statut », « Événements du mois » →
    « evenements-du-mois » : lisible dans une URL, sans caractère à encoder."""
    sans_accents = unicodedata.normalize("NFKD", titre).encode("ascii", "ignore").decode()
    return "-".join(sans_accents.lower().replace("'", " ").split())


def _reporter_onglet(nom: str, cle: str, premier: str) -> None:
    titre = st.session_state[cle]
    set_extra(nom, None if titre == premier else adresse_onglet(titre))


def _reporter(nom: str, cle: str, defaut_: str) -> None:
    valeur = st.session_state[cle]
    set_extra(nom, None if valeur == defaut_ else valeur)
