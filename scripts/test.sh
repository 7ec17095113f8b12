#!/usr/bin/env bash
# Set up and run the whole test suite: lint, types, layer contracts, then tests on SQLite and on a
# throwaway PostgreSQL of its own (and Debian's Chromium for the browser tests).
# ACCORD_TEST_POSTGRES_URL=postgresql+psycopg://user@host:port/db runs them on an existing server instead.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. scripts/postgres.sh
scripts/setup.sh

# Debian packages the tests need; apt runs only when one is missing.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
has_font "Noto Sans CJK" || missing+=(fonts-noto-cjk)  # legible screenshots of the Chinese interface
if [ -z "${ACCORD_TEST_POSTGRES_URL:-}" ] && ! postgres_bindir >/dev/null; then missing+=(postgresql); fi
# --- documents (issue 10): LibreOffice opens the exported Word files in the document tests -------------
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
# LibreOffice scripted through UNO edits our Word export as a delegate would (tests/documents/libreoffice_edit.py)
/usr/bin/python3 -c 'import uno' >/dev/null 2>&1 || missing+=(python3-uno)
# --- end documents ------------------------------------------------------------------------------------
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)  # the production proxy test
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

echo "test: ruff"; .venv/bin/ruff check api web tests bench
echo "test: ruff format"; .venv/bin/ruff format --check api web tests bench
echo "test: mypy"; .venv/bin/mypy
echo "test: import contracts"; .venv/bin/lint-imports

if [ -z "${ACCORD_TEST_POSTGRES_URL:-}" ]; then
  trap postgres_stop EXIT  # also after a failure, ^C (INT) or TERM: the cluster never outlives the run
  trap 'exit 130' INT
  trap 'exit 143' TERM
  postgres_start
fi
echo "test: pytest"
status=0
.venv/bin/pytest -n 2 --dist loadfile "$@" || status=$?
exit "$status"
