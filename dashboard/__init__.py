"""Application Streamlit de Pilotage et outils en ligne de commande."""
