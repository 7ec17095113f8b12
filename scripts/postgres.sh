# A throwaway PostgreSQL cluster for the test suite, under var/test-postgres/<pid>/; source it, then
# `postgres_start` (exports ACCORD_TEST_POSTGRES_URL) and `postgres_stop` (stops it, deletes it).
# The cluster listens on a free port of 127.0.0.1 only, with no Unix socket, and trusts its own user
# `accord` alone: it neither needs nor touches any other PostgreSQL server on the machine.

# free_port and friends live in lib.sh: sourced alone (as by hand), this file brings them itself.
command -v free_port >/dev/null 2>&1 || . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The newest PostgreSQL server binaries installed (Debian keeps them off PATH, per major version).
postgres_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -n -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 || return 1
  dirname "$(command -v pg_ctl)"
}

# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user (or `nobody`).
_postgres_owner() {
  if [ "$(id -u)" != 0 ]; then id -un
  elif id postgres >/dev/null 2>&1; then echo postgres
  else echo nobody
  fi
}

_postgres_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$POSTGRES_OWNER" -- "$@"; else "$@"; fi
}

# Clusters left behind by runs that were killed outright (their test.sh process is gone).
_postgres_sweep() {
  local dir pid
  for dir in var/test-postgres/*/; do
    [ -d "$dir" ] || continue
    pid=$(basename "$dir")
    kill -0 "$pid" 2>/dev/null && continue
    if [ -f "$dir/data/postmaster.pid" ]; then
      _postgres_as_owner "$POSTGRES_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
  done
}

postgres_start() {
  POSTGRES_BIN=$(postgres_bindir) || { echo "test: PostgreSQL's initdb and pg_ctl are not installed" >&2; return 1; }
  POSTGRES_OWNER=$(_postgres_owner)
  _postgres_sweep
  POSTGRES_DIR="$PWD/var/test-postgres/$$"
  mkdir -p "$POSTGRES_DIR"
  if [ "$(id -u)" = 0 ]; then chown "$POSTGRES_OWNER" "$POSTGRES_DIR"; fi
  if ! _postgres_as_owner test -w "$POSTGRES_DIR"; then
    # The owner cannot reach the clone (e.g. a clone inside /root): keep the cluster in /tmp instead.
    rm -rf "$POSTGRES_DIR"
    POSTGRES_DIR=$(mktemp -d /tmp/accord-test-postgres.XXXXXX)
    if [ "$(id -u)" = 0 ]; then chown "$POSTGRES_OWNER" "$POSTGRES_DIR"; fi
    echo "test: $POSTGRES_OWNER cannot write under $PWD/var; the test cluster lives in $POSTGRES_DIR"
  fi
  local data="$POSTGRES_DIR/data" log="$POSTGRES_DIR/server.log" port attempt
  if ! _postgres_as_owner "$POSTGRES_BIN/initdb" -D "$data" -U accord -A trust -E UTF8 --locale=C.UTF-8 \
      --no-sync >"$POSTGRES_DIR/initdb.log" 2>&1; then
    echo "test: initdb failed:" >&2; cat "$POSTGRES_DIR/initdb.log" >&2; return 1
  fi
  printf '%s\n' "# Accord's throwaway test cluster: its own user, on loopback, and nobody else." \
    "host all accord 127.0.0.1/32 trust" >"$data/pg_hba.conf"
  printf '%s\n' "listen_addresses = '127.0.0.1'" "unix_socket_directories = ''" "max_connections = 200" \
    "fsync = off" "synchronous_commit = off" "full_page_writes = off" >>"$data/postgresql.conf"
  for attempt in 1 2 3; do  # a free port can be taken between the choice and the bind: try another
    port=$(free_port)
    if _postgres_as_owner "$POSTGRES_BIN/pg_ctl" -D "$data" -l "$log" -o "-p $port" -w -t 60 start >/dev/null; then
      export ACCORD_TEST_POSTGRES_URL="postgresql+psycopg://accord@127.0.0.1:$port/postgres"
      echo "test: PostgreSQL $("$POSTGRES_BIN/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port ($POSTGRES_DIR)"
      return 0
    fi
  done
  echo "test: the test PostgreSQL did not start; its log:" >&2; tail -n 20 "$log" >&2
  return 1
}

postgres_stop() {
  [ -n "${POSTGRES_DIR:-}" ] && [ -d "$POSTGRES_DIR" ] || return 0
  if [ -f "$POSTGRES_DIR/data/postmaster.pid" ]; then
    _postgres_as_owner "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      _postgres_as_owner "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -m immediate stop >/dev/null 2>&1
  fi
  rm -rf "$POSTGRES_DIR"
  POSTGRES_DIR=
}
