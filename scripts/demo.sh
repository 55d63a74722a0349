#!/usr/bin/env bash
# Installe, charge le référentiel et la démonstration (base SQLite créée au premier lancement),
# puis lance l'application sur http://127.0.0.1:${PORT:-8501}.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PILOTAGE_DEMO=1
.venv/bin/pilotage demo
exec .venv/bin/pilotage run --port "${PORT:-8501}"
