#!/usr/bin/env bash
# Set up and run Accord on SQLite with the seeded texts and demo accounts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-dev

export ACCORD_HOST=${ACCORD_HOST:-127.0.0.1}
export ACCORD_PORT=${ACCORD_PORT:-8000}
.venv/bin/accord db upgrade
.venv/bin/accord seed
password=$(.venv/bin/python -c 'from api.settings import get_settings; print(get_settings().demo_password)')
cat <<MSG

  Accord is running at http://$ACCORD_HOST:$ACCORD_PORT/   (API docs: http://$ACCORD_HOST:$ACCORD_PORT/docs)

  Demo accounts (password: $password)
    secretariat                 secretariat (all processes)
    cofac-mex, cofac-che        co-facilitators of the GCM (Mexico, Switzerland)
    delegate-chn, delegate-deu, delegate-bra, delegate-zaf
                                delegation members (China, Germany, Brazil, South Africa)
    observer                    observer

MSG
exec .venv/bin/accord serve --host "$ACCORD_HOST" --port "$ACCORD_PORT"
