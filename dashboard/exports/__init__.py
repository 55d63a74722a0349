"""Fichiers qui quittent l'application : tables d'un tableau de bord, CSV, XLSX, PDF, et
`fichiers`, au-dessus des formats, qui choisit le format. Sans Streamlit ni lecture en base."""
