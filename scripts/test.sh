#!/usr/bin/env bash
# Installe ce qu'il faut et lance toute la suite de tests, sur SQLite et PostgreSQL.
# PostgreSQL est requis (127.0.0.1:5432, base « test ») : il est démarré s'il est arrêté, et les
# tests échouent s'il reste injoignable.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 20); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
fi

# Navigateur des tests de bout en bout : le Chromium de Debian (jamais celui de Playwright).
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
fi

exec .venv/bin/python -m pytest "$@"
