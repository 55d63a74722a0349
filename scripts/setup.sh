#!/usr/bin/env bash
# Prépare la machine : environnement Python du projet (.venv) et dépendances. Idempotent.
# Utilisé par scripts/demo.sh et scripts/test.sh ; n'a besoin que de Python ≥ 3.11, pip et apt.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# Réinstalle seulement si pyproject.toml a changé depuis la dernière installation.
stamp=.venv/.pilotage-installe
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[test]"
    touch "$stamp"
fi
