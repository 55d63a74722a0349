"""Page montrée à la place d'une page réservée quand le rôle ne la permet pas."""

import streamlit as st

from dashboard import apparence

st.error(
    "Cette page est réservée à la mission de pilotage et aux administrateurs.",
    icon=apparence.ICONE_VERROU,
)
