"""Un client du protocole de Streamlit, sans navigateur : websocket et messages protobuf.

Pour la charge : vingt Chromium sur deux cœurs mesurent surtout Chromium (le dessin d'une page
y coûte plus que son script). Ce client fait ce que fait l'onglet, côté protocole : il ouvre
`/_stcore/stream`, demande l'exécution d'une page avec son adresse (`query_string`), reçoit les
éléments, renvoie les valeurs des widgets (formulaire de connexion, sélecteur de période) et
attend la fin du script. Ce qu'il ne fait pas : dessiner, exécuter les composants (le cookie de
connexion n'est donc jamais écrit : chaque session se connecte par le formulaire ; le pilote
renvoie seulement la réponse qu'un onglet renverrait, `repondre`), garder un cache de messages
(il reçoit tout, ce qui charge un peu plus le serveur qu'un onglet).

Les messages sont ceux du paquet `streamlit.proto` de la version installée : le client suit la
version du serveur, sans copie du protocole.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

DELAI_S = 60.0
TERMINE = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
ERREUR_INATTENDUE = "Une erreur inattendue est survenue"


class ErreurProtocole(RuntimeError):
    """Le serveur a fermé la connexion, ou le script n'a pas fini dans le délai."""


@dataclass
class Rendu:
    """Ce qu'une exécution du script a envoyé : éléments et blocs, par chemin dans la page."""

    duree: float = 0.0
    elements: dict[tuple[int, ...], Element] = field(default_factory=dict)
    blocs: dict[tuple[int, ...], str] = field(default_factory=dict)  # chemin -> identifiant

    def de_type(self, genre: str) -> Iterator[Any]:
        """Les éléments d'un genre (`text_input`, `selectbox`, `metric`…), dans l'ordre."""
        for chemin in sorted(self.elements):
            element = self.elements[chemin]
            if element.WhichOneof("type") == genre:
                yield getattr(element, genre)

    def widget(self, genre: str, libelle: str) -> Any:
        """Le widget de ce genre et de ce libellé ; KeyError s'il n'est pas dans la page."""
        for w in self.de_type(genre):
            if w.label == libelle:
                return w
        raise KeyError(f"pas de {genre} « {libelle} » dans la page")

    def dans_bloc(self, cle: str, genre: str) -> list[Any]:
        """Les éléments d'un genre sous le conteneur de clé `cle` (`st.container(key=…)`)."""
        racines = [c for c, ident in self.blocs.items() if ident.endswith(cle)]
        return [
            getattr(e, genre)
            for c, e in sorted(self.elements.items())
            if e.WhichOneof("type") == genre and any(c[: len(r)] == r for r in racines)
        ]

    def erreurs(self) -> list[str]:
        """Exceptions affichées et messages d'erreur inattendue : ce qu'une personne verrait."""
        trouvees = [f"exception : {e.message}" for e in self.de_type("exception")]
        trouvees += [a.body for a in self.de_type("alert") if ERREUR_INATTENDUE in a.body]
        return trouvees


class Session:
    """Une session Streamlit, comme un onglet : `async with Session(adresse) as s`."""

    def __init__(self, adresse: str) -> None:
        self.adresse = adresse.rstrip("/")
        self.requete = ""
        self.pages: dict[str, str] = {}  # chemin d'URL -> page_script_hash
        self.page = ""  # page_script_hash de la page affichée, renvoyé à chaque relance
        self._valeurs: dict[str, WidgetState] = {}
        self._ws: Any = None

    async def __aenter__(self) -> Session:
        morceaux = urlsplit(self.adresse)
        ws = "wss" if morceaux.scheme == "https" else "ws"
        self._ws = await websockets.connect(
            f"{ws}://{morceaux.netloc}/_stcore/stream", subprotocols=["streamlit"],  # type: ignore[list-item]
            origin=self.adresse, max_size=None, open_timeout=DELAI_S,  # type: ignore[arg-type]
        )  # fmt: skip
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._ws.close()

    async def ouvrir(self, chemin: str, requete: str = "") -> Rendu:
        """Ouvre une page par son adresse (`/synthese`, `periode=2019-12&territoire=67`), dans la
        même session : comme un lien suivi, la vue vient de l'adresse, pas des widgets d'avant."""
        self.requete = requete
        self._valeurs.clear()
        nom = chemin.strip("/")
        return await self._executer(page_hash=self.pages.get(nom, ""), page_nom=nom)

    async def saisir(self, widget: Any, valeur: str) -> None:
        """Retient la valeur d'un champ de texte (envoyée avec la prochaine exécution)."""
        self._valeurs[widget.id] = WidgetState(id=widget.id, string_value=valeur)

    async def choisir(self, selecteur: Any, option: str) -> Rendu:
        """Choisit une option d'un menu déroulant : le script se relance, comme au clic."""
        self._valeurs[selecteur.id] = WidgetState(id=selecteur.id, string_value=option)
        return await self._executer()

    async def repondre(self, composant: Any, valeur: Any) -> Rendu:
        """La valeur qu'un composant renvoie depuis l'onglet (`setComponentValue`) : le script
        se relance, comme dans le navigateur."""
        self._valeurs[composant.id] = WidgetState(id=composant.id, json_value=json.dumps(valeur))
        return await self._executer()

    async def cliquer(self, bouton: Any) -> Rendu:
        """Un clic sur un bouton (ou le bouton d'envoi d'un formulaire)."""
        return await self._executer(declencheur=WidgetState(id=bouton.id, trigger_value=True))

    async def _executer(
        self,
        *,
        page_hash: str | None = None,
        page_nom: str = "",
        declencheur: WidgetState | None = None,
    ) -> Rendu:
        etats = WidgetStates(
            widgets=[*self._valeurs.values(), *([declencheur] if declencheur else [])]
        )
        etat = ClientState(
            query_string=self.requete, widget_states=etats,
            page_script_hash=self.page if page_hash is None else page_hash,
            page_name=page_nom,
        )  # fmt: skip
        debut = time.perf_counter()
        await self._ws.send(BackMsg(rerun_script=etat).SerializeToString())
        rendu = await self._recevoir()
        rendu.duree = time.perf_counter() - debut
        return rendu

    async def _recevoir(self) -> Rendu:
        """Lit les messages jusqu'à la fin réussie d'une exécution. Une exécution interrompue
        pour une relance (`st.rerun`, changement d'adresse) est suivie d'une autre : on garde
        les éléments de la dernière."""
        rendu = Rendu()
        limite = time.monotonic() + DELAI_S
        while True:
            reste = limite - time.monotonic()
            if reste <= 0:
                raise ErreurProtocole(f"le script n'a pas fini en {DELAI_S:.0f} s")
            try:
                brut = await asyncio.wait_for(self._ws.recv(), timeout=reste)
            except (websockets.ConnectionClosed, TimeoutError) as exc:
                raise ErreurProtocole(f"connexion perdue : {exc}") from exc
            msg = ForwardMsg()
            msg.ParseFromString(brut)
            genre = msg.WhichOneof("type")
            if genre == "new_session":
                rendu = Rendu()
                self.page = msg.new_session.page_script_hash
                self.pages.update(
                    {p.url_pathname: p.page_script_hash for p in msg.new_session.app_pages}
                )
            elif genre == "navigation":
                self.pages.update(
                    {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
                )
            elif genre == "page_info_changed":
                self.requete = msg.page_info_changed.query_string
            elif genre == "delta":
                chemin = tuple(msg.metadata.delta_path)
                quoi = msg.delta.WhichOneof("type")
                if quoi == "new_element":
                    rendu.elements[chemin] = msg.delta.new_element
                elif quoi == "add_block":
                    rendu.blocs[chemin] = msg.delta.add_block.id
            elif genre == "script_finished" and msg.script_finished == TERMINE:
                return rendu
