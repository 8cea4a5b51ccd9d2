#!/usr/bin/env bash
# PgBouncer in transaction pooling mode in front of a PostgreSQL server, for the test suite's
# PostgreSQL pass (.ci/run) and as the worked example of docs/deployment.md's settings.
#
#   scripts/pgbouncer.sh start DIR [PORT]   writes DIR/pgbouncer.ini, starts PgBouncer on
#                                            127.0.0.1:PORT (6432) and waits until it answers
#   scripts/pgbouncer.sh stop DIR           stops it and removes DIR
#
# Every database of the server is reachable through it by name (a `*` entry); clients sign in as
# a user the server trusts (PGBOUNCER_USER, postgres) on PGBOUNCER_SERVER_HOST/PORT (127.0.0.1:5432),
# as on the test machine. PgBouncer refuses to run as root: as root it runs as
# the user postgres. The application behind it needs TOGETHER_DATABASE_POOLING=transaction.
set -euo pipefail

command="${1:-}"
dir="${2:-}"
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: $0 start DIR [PORT] | stop DIR" >&2; exit 2; }

case "$command" in
start)
  port="${3:-6432}"
  server_host="${PGBOUNCER_SERVER_HOST:-127.0.0.1}"
  server_port="${PGBOUNCER_SERVER_PORT:-5432}"
  bin="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"
  [ -x "$bin" ] || { echo "pgbouncer: not installed (Debian: apt-get install pgbouncer)" >&2; exit 1; }
  answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }
  if answers; then echo "pgbouncer: 127.0.0.1:$port is already in use" >&2; exit 1; fi
  mkdir -p "$dir"
  # The users PgBouncer lets in; with auth_type trust their passwords are not checked.
  echo "\"${PGBOUNCER_USER:-postgres}\" \"\"" > "$dir/userlist.txt"
  cat > "$dir/pgbouncer.ini" <<EOF
[databases]
* = host=$server_host port=$server_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pidfile = $dir/pgbouncer.pid
logfile = $dir/pgbouncer.log
; A server connection serves one transaction, then the next client's: no session state survives.
pool_mode = transaction
; The test run opens many small pools (one database per test file, ten connections each).
max_client_conn = 500
default_pool_size = 20
; Idle server connections are closed soon, so that dropped test databases and the server's
; max_connections are not held by connections nobody uses.
server_idle_timeout = 10
EOF
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres "$dir"
    runuser -u postgres -- "$bin" -d "$dir/pgbouncer.ini"
  else
    "$bin" -d "$dir/pgbouncer.ini"
  fi
  for _ in $(seq 1 50); do
    if answers && kill -0 "$(cat "$dir/pgbouncer.pid" 2>/dev/null)" 2>/dev/null; then exit 0; fi
    sleep 0.1
  done
  echo "pgbouncer: did not answer on 127.0.0.1:$port; its log:" >&2
  cat "$dir/pgbouncer.log" >&2 || true
  exit 1
  ;;
stop)
  if [ -f "$dir/pgbouncer.pid" ]; then
    pid="$(cat "$dir/pgbouncer.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start DIR [PORT] | stop DIR" >&2
  exit 2
  ;;
esac
