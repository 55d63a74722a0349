"""Mise en production : fichier de site nginx et instance locale pour les tests et bancs."""
