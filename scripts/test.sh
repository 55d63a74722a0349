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

# Paquets Debian des tests : Chromium pour les tests de bout en bout (jamais le navigateur de
# Playwright) ; nginx, curl et pg_dump pour tests/production, qui suit la « Mise en production »
# du README (nginx y est lancé par le test, jamais comme service). Un paquet qui manque est
# installé ; s'il ne peut pas l'être, le script s'arrête en échec.
manquants=()
[ -x /usr/bin/chromium ] || manquants+=(chromium)
command -v npm >/dev/null || manquants+=(npm)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || manquants+=(nginx)
command -v curl >/dev/null || manquants+=(curl)
command -v pg_dump >/dev/null || manquants+=(postgresql-client)
if [ ${#manquants[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    if ! command -v apt-get >/dev/null; then
        echo "test.sh : paquets manquants (${manquants[*]}) et pas d'apt-get pour les installer" >&2
        exit 1
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${manquants[@]}"
fi

# axe-core pour l'audit d'accessibilité (tests/e2e), à la version exacte de package-lock.json.
npm ci --no-audit --no-fund --loglevel=error

exec .venv/bin/python -m pytest "$@"
