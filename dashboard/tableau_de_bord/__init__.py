"""Le tableau de bord mensuel sans Streamlit : son contenu, ses éditions publiées (figer, relire)
et les diapositives du mode comité. N'importe ni `streamlit`, ni `vues`, ni `donnees`."""
