#!/usr/bin/env bash
# Scores the built site with afdocs (the Agent-Friendly Documentation Spec checker) through
# the three ways it is served: `make preview`, the shipped nginx configuration, and a plain
# static server that ignores Accept (Python's http.server). Prints one scorecard each.
#
#   make build && bash hosting/audit-afdocs.sh [site-dir]
#
# A maintainer's tool, not a test: afdocs is an npm package and scores can move with its
# version, so the version is pinned and the figures go in the issue notes. Servers listen on
# 127.0.0.1 only and are stopped by PID on exit.
set -euo pipefail

AFDOCS_VERSION=0.22.2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SITE=$(cd "${1:-$ROOT/site}" && pwd)
PY=${PY:-$ROOT/.venv/bin/python}
CANONICAL=$("$PY" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["site_url"].rstrip("/"))' "$ROOT/mkdocs.yml")
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_for() {  # bounded: 100 tries, 0.1 s apart
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "audit: $1 did not answer" >&2
  return 1
}

(cd "$WORK" && npm install --silent --no-audit --no-fund "afdocs@$AFDOCS_VERSION" >/dev/null 2>&1)
AFDOCS=$WORK/node_modules/.bin/afdocs

score() {  # name, base URL
  echo "== $1 ($2)"
  "$AFDOCS" check "$2/" -f scorecard --canonical-origin "$CANONICAL" 2>&1 \
    | grep -E '^  Overall Score|^      (WARN|FAIL) ' || true
}

port=$(free_port)
(cd "$ROOT/hooks" && exec "$PY" -m errdocs preview "$SITE" --port "$port") >/dev/null 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$port/"
score "make preview" "http://127.0.0.1:$port"

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ -x "$NGINX" ]; then
  port=$(free_port)
  sed -e "s#    listen 80;#    listen 127.0.0.1:$port;#" -e "s#    root /var/www/docs/site;#    root $SITE;#" \
    -e "s#/etc/nginx/docs-headers.conf#$SITE/_headers.nginx.conf#" \
    "$ROOT/hosting/nginx.conf" > "$WORK/docs.conf"
  {
    printf 'daemon off;\nworker_processes 1;\npid %s/nginx.pid;\nerror_log %s/error.log;\n' "$WORK" "$WORK"
    [ "$(id -u)" = 0 ] && printf 'user root;\n'
    printf 'events {}\nhttp {\n    access_log off;\n'
    for kind in client_body proxy fastcgi uwsgi scgi; do printf '    %s_temp_path %s/%s;\n' "$kind" "$WORK" "$kind"; done
    printf '    include %s/docs.conf;\n}\n' "$WORK"
  } > "$WORK/nginx.conf"
  "$NGINX" -p "$WORK" -c "$WORK/nginx.conf" &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$port/"
  score "nginx (hosting/nginx.conf)" "http://127.0.0.1:$port"
else
  echo "== nginx: not installed (apt-get install -y nginx); skipped"
fi

port=$(free_port)
"$PY" -m http.server "$port" --bind 127.0.0.1 --directory "$SITE" >/dev/null 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$port/"
score "plain static server (ignores Accept)" "http://127.0.0.1:$port"
