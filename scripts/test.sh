#!/usr/bin/env bash
# Set up and run the whole test suite: lint, types, layer contracts, then tests on SQLite and PostgreSQL
# (and Debian's Chromium for the browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  # Chinese fonts, so that screenshots of the Chinese interface and texts are legible.
  echo "test: installing Debian's chromium and CJK fonts for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
# --- documents (issue 10): LibreOffice opens the exported Word files in the document tests -------------
if ! command -v soffice >/dev/null 2>&1; then
  echo "test: installing Debian's LibreOffice (writer, no GUI) for the document tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui >/dev/null
fi
# --- end documents ------------------------------------------------------------------------------------
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "test: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
fi

echo "test: ruff"; .venv/bin/ruff check api web tests bench
echo "test: ruff format"; .venv/bin/ruff format --check api web tests bench
echo "test: mypy"; .venv/bin/mypy
echo "test: import contracts"; .venv/bin/lint-imports
echo "test: pytest"
exec .venv/bin/pytest -n 2 --dist loadfile "$@"
