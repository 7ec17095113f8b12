#!/usr/bin/env bash
# Set up and run Accord on SQLite with the seeded texts and demo accounts.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

export ACCORD_HOST=${ACCORD_HOST:-127.0.0.1}
export ACCORD_PORT=${ACCORD_PORT:-8000}
refuse_taken_port() {
  if ! port_free "$ACCORD_HOST" "$ACCORD_PORT"; then
    echo "run: port $ACCORD_PORT on $ACCORD_HOST is already in use; stop what holds it, or pick another" \
      "port: ACCORD_PORT=8001 make run" >&2
    exit 1
  fi
}
refuse_taken_port
# The full environment, the same one `make test` uses: running never uninstalls what tests need.
scripts/setup.sh
# PDF downloads are printed by LibreOffice headless, with Chinese in Noto CJK (docs/DOCUMENTS.md).
# Without them Accord still runs and the PDF links answer 503, saying what is missing.
pdf_missing=()
command -v soffice >/dev/null 2>&1 || pdf_missing+=(libreoffice-writer-nogui)
has_font "Noto Sans CJK" || pdf_missing+=(fonts-noto-cjk)
if [ ${#pdf_missing[@]} -gt 0 ] && ! apt_install "${pdf_missing[@]}"; then
  echo "run: going on without PDF downloads (they answer 503 until ${pdf_missing[*]} are installed)" >&2
fi
.venv/bin/accord db upgrade
.venv/bin/accord seed
password=$(.venv/bin/python -c 'from api.settings import get_settings; print(get_settings().demo_password)')

refuse_taken_port  # again: setting up takes a while
.venv/bin/accord serve --host "$ACCORD_HOST" --port "$ACCORD_PORT" &
server=$!
stop_server() { kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
trap 'stop_server; exit 130' INT
trap 'stop_server; exit 143' TERM
probe=$ACCORD_HOST
case $probe in 0.0.0.0 | "::" | "") probe=127.0.0.1 ;; esac
until port_listening "$probe" "$ACCORD_PORT"; do  # announce the URL only once it answers
  if ! kill -0 "$server" 2>/dev/null; then
    status=0; wait "$server" || status=$?
    echo "run: Accord did not start (accord serve exited with status $status)" >&2
    exit 1
  fi
  sleep 0.2
done
cat <<MSG

  Accord is running at http://$ACCORD_HOST:$ACCORD_PORT/   (API docs: http://$ACCORD_HOST:$ACCORD_PORT/docs)

  Demo accounts (password: $password)
    secretariat                 secretariat (all processes)
    cofac-mex, cofac-che        co-facilitators of the GCM (Mexico, Switzerland)
    delegate-chn, delegate-deu, delegate-bra, delegate-zaf
                                delegation members (China, Germany, Brazil, South Africa)
    observer                    observer

MSG
status=0
wait "$server" || status=$?
exit "$status"
