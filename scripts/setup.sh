#!/usr/bin/env bash
# Install what Accord needs, from the package registries only, at the pinned versions:
# Python packages from uv.lock into .venv, browser libraries from package-lock.json into node_modules.
# With no arguments .venv is the full development environment (pytest, ruff, mypy …) that both
# `make run` and `make test` use; arguments go to `uv sync`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

UV_VERSION=0.13.8
PYTHON=${PYTHON:-python3}

if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "setup: Accord needs Python 3.11 or newer as '$PYTHON'" >&2
  exit 1
fi
if [ ! -x .tools/bin/uv ] || [ "$(.tools/bin/uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  echo "setup: installing uv $UV_VERSION into .tools/"
  "$PYTHON" -m venv .tools
  .tools/bin/pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
echo "setup: Python packages from uv.lock"
# Compiled bytecode: imports stay fast even where PYTHONDONTWRITEBYTECODE is set (as on CI machines).
.tools/bin/uv sync --locked --quiet --compile-bytecode --python "$PYTHON" "$@"

if ! command -v npm >/dev/null 2>&1; then
  echo "setup: npm is missing"
  apt_install nodejs npm
fi
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.package-lock.json.accord; then
  echo "setup: browser libraries from package-lock.json"
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
  cp package-lock.json node_modules/.package-lock.json.accord
fi
