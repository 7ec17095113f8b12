# Shell helpers shared by the set-up scripts; source it (`. scripts/lib.sh`), never run it.

# Install Debian packages: as root directly, otherwise through sudo; when neither works, say what to run.
apt_install() {
  local apt=(apt-get)
  if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "setup: missing Debian packages: $*. Install them as root (apt-get install $*), then retry." >&2
      return 1
    fi
    apt=(sudo apt-get)
  fi
  echo "setup: installing Debian packages: $*"
  if ! "${apt[@]}" update -qq || ! DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq "$@" >/dev/null; then
    echo "setup: could not install $* with ${apt[*]}; install them yourself (apt-get install $*), then retry." >&2
    return 1
  fi
}

# Whether fontconfig knows a font family (case-insensitive). The list is read in full before it is
# searched: `fc-list | grep -q` under pipefail fails when grep quits early and fc-list gets SIGPIPE.
has_font() {
  local families
  families=$(fc-list : family 2>/dev/null) || return 1
  grep -qiF -- "$1" <<<"$families"
}

# Whether a server could bind HOST PORT now (with SO_REUSEADDR, as uvicorn and PostgreSQL bind).
port_free() {
  python3 - "$1" "$2" <<'PY'
import socket, sys
with socket.socket() as probe:
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind((sys.argv[1], int(sys.argv[2])))
    except OSError:
        sys.exit(1)
PY
}

# A TCP port on 127.0.0.1 that nothing uses at the moment.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Whether something accepts connections on HOST PORT (bash's own /dev/tcp: no other tool needed).
port_listening() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}
