# A throw-away PostgreSQL server (Debian's) for the test run, stopped on exit.

start_postgres() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_DIR=$(mktemp -d /tmp/readiness-pg.XXXXXX)
  PG_PORT=${PG_PORT:-54329}
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PG_DIR"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bindir/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as[@]}" "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  trap 'stop_postgres' EXIT
  POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/readiness"
  export POSTGRES_URL
  BINDIR_PG="$bindir"
  PG_AS=("${as[@]}")
}

stop_postgres() {
  "${PG_AS[@]}" "$BINDIR_PG/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
