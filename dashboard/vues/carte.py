"""Rendu Streamlit de la page « Carte des cantons » : carte, légende, tableau, fiche de zone.

La page appelle ces fonctions ; le calcul est dans `carte.mesures`, `dessin` et `fiche_canton`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import formats, view_state
from dashboard.carte import dessin, fiche_canton, geometrie
from dashboard.carte.classes import Methode
from dashboard.carte.config import (
    ConfigCarte,
    read_geojson,
    read_libelles_territoires,
    read_libelles_zones,
)
from dashboard.carte.mesures import (
    Departement,
    Indicateur,
    Mesure,
    Mesures,
    build_mesures,
    build_tableau,
    mesures_disponibles,
    un_an_avant,
)
from dashboard.donnees import annotations as donnees_annotations
from dashboard.donnees import lectures
from dashboard.exports import en_csv, tables
from dashboard.graphiques import resumes
from dashboard.vues import annotations as vue_annotations
from dashboard.vues import graphiques
from data_access import periodes
from data_access.territoires import DEPARTEMENT

METHODES = {
    Methode.QUANTILES.value: "quantiles",
    Methode.INTERVALLES_EGAUX.value: "intervalles égaux",
}


def indicateur(code: str) -> tuple[Indicateur, dict[str, object]]:
    fiche = lectures.fiche_indicateur(code)
    ind = Indicateur(code, str(fiche["libelle"]), str(fiche["nature"]), str(fiche["unite"]))
    return ind, fiche


def periode_lue(ind: Indicateur, periode: str, perimetre: str | None) -> str:
    """La période que montre la carte : celle demandée, ou, si aucun canton lisible n'y a de
    valeur pour cet indicateur, sa dernière période connue avant elle (une carte vide n'apprend
    rien, et la période par défaut peut précéder un indicateur en retard d'import)."""
    if lectures.par_canton(ind.code, periode, perimetre)["valeur"].notna().any():
        return periode
    fin = str(periodes.parse(periode).fin)
    return lectures.derniere_periode_cantons(ind.code, fin, perimetre) or periode


def render_periode(ind: Indicateur, periode: str, mois: str, perimetre: str | None) -> str:
    """Écrit la période montrée et, si la carte remonte à une période antérieure, le dit ;
    rend la période à lire."""
    lue = periode_lue(ind, periode, perimetre)
    if lue == periode:
        st.caption(f"Période : {formats.periode(periode)} (dernière période close "
                   f"{formats.periode_precedee(mois, 'en')})")  # fmt: skip
        return periode
    st.caption(f"Période : {formats.periode(lue)}")
    st.info(
        f"Aucune valeur {formats.periode_precedee(periode, 'en')} pour cet indicateur. "
        f"Dernière période connue pour cet indicateur : {formats.periode(lue)}.",
        icon=":material/history:",
    )
    return lue


def render_choix_mesure(ind: Indicateur, config: ConfigCarte) -> tuple[Mesure, Methode]:
    """Sélecteurs propres à la carte (mesure, classes), gardés dans l'URL."""
    mesures = [m.value for m in mesures_disponibles(ind.nature)]
    gauche, droite = st.columns([3, 2])
    with gauche:
        choix = view_state.selecteur(
            st.selectbox, "Mesure", "mesure", mesures, mesures[0], cle="carte_mesure"
        )
    with droite:
        classes = view_state.selecteur(
            st.radio, "Classes", "classes", list(METHODES), config.methode.value,
            cle="carte_classes", format_func=METHODES.__getitem__, horizontal=True,
        )  # fmt: skip
    return Mesure(choix), Methode(classes)


def departement(
    ind: Indicateur, periode: str, mesure: Mesure, perimetre: str | None
) -> Departement:
    """La référence de la carte : le département lui-même, lu à part des cantons du périmètre."""
    avant = None
    if mesure is Mesure.EVOLUTION:
        avant = lectures.valeur_departement(ind.code, un_an_avant(periode), perimetre)
    return Departement(
        valeur=lectures.valeur_departement(ind.code, periode, perimetre),
        population=lectures.populations().get(DEPARTEMENT),
        valeur_un_an_avant=avant,
    )


def build(
    ind: Indicateur, periode: str, mesure: Mesure, perimetre: str | None, seuil: int
) -> Mesures:
    precedent = None
    if mesure is Mesure.EVOLUTION:
        precedent = lectures.par_canton(ind.code, un_an_avant(periode), perimetre)
    return build_mesures(
        lectures.par_canton(ind.code, periode, perimetre),
        indicateur=ind,
        periode=periode,
        mesure=mesure,
        seuil=seuil,
        departement=departement(ind, periode, mesure, perimetre),
        precedent=precedent,
    )


def render_carte(mesures: Mesures, config: ConfigCarte) -> str | None:
    """La carte ; renvoie la zone cliquée (un déplacement ou un zoom ne relance pas la page)."""
    retour = st_folium(
        dessin.build_carte(mesures, config, legende_sur_carte=False),
        key="carte",
        height=620,
        width=None,  # largeur du conteneur ; use_container_width laisse Leaflet sans taille
        returned_objects=["last_clicked"],
    )
    st.caption(graphiques.texte_brut(resume_carte(mesures)))  # les valeurs : le tableau
    clic = (retour or {}).get("last_clicked")
    if not clic:
        return None
    return geometrie.zone_au_point(read_geojson("cantons_67.geojson"), clic["lat"], clic["lng"])


def resume_carte(mesures: Mesures) -> str:
    """La phrase de la carte, écrite avec les mêmes nombres que sa légende et son tableau."""
    g = mesures.grandeur
    textes = [g.court(float(v)) for v in mesures.zones["valeur"]]
    mesure = f"{mesures.indicateur.code}, {g.libelle[:1].lower()}{g.libelle[1:]}"
    return resumes.carte(mesures.zones, textes, mesure=mesure, periode=mesures.periode)


def render_choix_zone(cliquee: str | None) -> str | None:
    """La zone dont la fiche est ouverte : un clic sur la carte ou la liste (accessible au
    clavier) ; gardée dans l'URL (`canton=`)."""
    libelles = read_libelles_zones()
    zones = list(libelles)
    if cliquee and cliquee != view_state.extra("canton", zones):
        view_state.set_extra("canton", cliquee)
    courante = view_state.extra("canton", zones)
    options = ["", *zones]
    choix = st.selectbox(
        "Fiche de la zone", options, index=options.index(courante or ""),
        format_func=lambda z: libelles.get(z, "— choisir une zone —"),
    )  # fmt: skip
    if (choix or None) != courante:
        view_state.set_extra("canton", choix or None)
    return choix or None


def render_legende(mesures: Mesures, config: ConfigCarte) -> None:
    legende = dessin.build_legende(mesures, config)
    st.html(dessin.render_legende_html(legende))
    for note in legende.notes:
        st.caption(note)


def render_tableau(mesures: Mesures) -> None:
    """Les mêmes chiffres en tableau accessible, avec leur export CSV (qui dit en première
    ligne s'il porte des données de démonstration)."""
    st.dataframe(build_tableau(mesures), hide_index=True, width="stretch")
    mention = tables.MENTION_DEMO if lectures.demonstration() else ""
    st.download_button(
        "Télécharger le tableau (CSV)",
        en_csv.to_csv_bytes(build_tableau(mesures, pour_csv=True), mention=mention),
        file_name=f"carte_{mesures.indicateur.code}_{mesures.periode}.csv",
        mime=en_csv.TYPE_MIME,
    )


def render_fiche(zone: str, ind: Indicateur, mois: str, perimetre: str | None, seuil: int) -> None:
    """Fiche de la zone cliquée : série comparée, rang, indicateurs principaux du plan."""
    libelles = read_libelles_zones()
    cantons_long = lectures.cantons_toutes_periodes(ind.code, perimetre)
    if zone not in set(cantons_long["zone_carte"]):
        st.info("Cette zone est hors de votre périmètre.")
        return
    territoire = str(
        cantons_long.loc[cantons_long["zone_carte"] == zone, "territoire_action"].iloc[0]
    )
    st.subheader(libelles.get(zone, zone))
    st.caption(
        f"{read_libelles_territoires().get(territoire, territoire)} "
        "(rattachement à confirmer par le Département)"
    )
    pops = lectures.populations()
    nom_zone = libelles.get(zone, zone)
    nom_territoire = read_libelles_territoires().get(territoire, territoire)
    courbes = {
        nom_zone: fiche_canton.serie_zone(cantons_long, zone=zone, indicateur=ind, seuil=seuil),
        nom_territoire: _comparable(ind, territoire, pops, perimetre),
        "Bas-Rhin": _comparable(ind, DEPARTEMENT, pops, perimetre),
    }
    mesure = fiche_canton.mesure_comparable(ind)
    titre = "pour 1 000 habitants" if mesure is Mesure.POUR_1000 else ind.unite
    cantons = cantons_long.loc[cantons_long["zone_carte"] == zone, "canton"]
    evenements = donnees_annotations.evenements(ind.code, tuple(sorted(set(cantons.astype(str)))))
    graphique = fiche_canton.build_comparaison(courbes, titre_axe=titre, annotations=evenements)
    graphiques.render(
        graphique, fiche_canton.resume_comparaison(courbes, titre_axe=titre),
        valeurs=fiche_canton.tableau_comparaison(courbes), titre_valeurs="Valeurs des courbes",
    )  # fmt: skip
    if bool(courbes[nom_zone]["masque"].any()):
        st.caption(
            "Périodes sans point pour la zone : effectif sous le seuil du secret statistique."
        )
    with st.container(key="evenements_zone"):
        st.markdown("**Événements datés**")
        traces = fiche_canton.evenements_traces(courbes, evenements)
        vue_annotations.render_liste(evenements, numeros=vue_annotations.numeros(traces))
    st.markdown("**Indicateurs du plan pour cette zone**")
    st.dataframe(
        pd.DataFrame(_principaux(zone, mois, perimetre, seuil)), hide_index=True, width="stretch"
    )


def _comparable(
    ind: Indicateur, territoire: str, pops: dict[str, int], perimetre: str | None
) -> pd.DataFrame:
    serie = lectures.serie(ind.code, territoire, perimetre)
    return fiche_canton.serie_territoire(serie, population=pops.get(territoire), indicateur=ind)


def _principaux(zone: str, mois: str, perimetre: str | None, seuil: int) -> list[dict[str, str]]:
    lignes = []
    for code in fiche_canton.INDICATEURS_PRINCIPAUX:
        ind, fiche = indicateur(code)
        periode = fiche_canton.periode_a_date(mois, fiche.get("periodicite"))  # type: ignore[arg-type]
        if periode is None:
            continue
        periode = periode_lue(ind, periode, perimetre)
        cantons = lectures.par_canton(code, periode, perimetre)
        lignes.append(
            fiche_canton.ligne_principale(
                cantons, zone=zone, indicateur=ind, periode=periode, seuil=seuil
            )
        )
    return lignes


def titre_periode(periode: str) -> str:
    return formats.periode(periode)
