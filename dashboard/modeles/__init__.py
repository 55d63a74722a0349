"""Modèles des pages de progression (Synthèse, Objectifs, Territoires, Moyens et résultats) :
des textes déjà formatés, construits depuis des cadres lus ailleurs. Sans Streamlit ni lecture."""
