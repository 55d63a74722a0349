"""Carte des cantons, sans Streamlit : réglages (`config/carte.toml`), mesures et classes, carte
folium, fiche d'une zone. N'importe ni `streamlit`, ni `vues`, ni `donnees` : des valeurs
en entrée."""
