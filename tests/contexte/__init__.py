"""Chaque chiffre vrai dans chaque contexte (ticket 18) : qui regarde, quelle édition, quelle
base."""
