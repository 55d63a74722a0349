"""Lire une spécification Vega-Lite produite par Altair (`chart.to_dict()`) dans les tests."""

from __future__ import annotations

from typing import Any


def marque(couche: dict[str, Any]) -> str:
    """Le type de marque d'une couche (`line`, `rule`, `text`…)."""
    valeur = couche["mark"]
    return valeur["type"] if isinstance(valeur, dict) else valeur


def donnees(spec: dict[str, Any], couche: dict[str, Any]) -> list[dict[str, Any]]:
    """Les valeurs d'une couche (Altair remonte au niveau du graphique les données communes)."""
    nom = (couche.get("data") or spec["data"])["name"]
    return spec["datasets"][nom]
