"""Configuration de Pilotage : réglages typés et données de référence (fichiers lisibles)."""
