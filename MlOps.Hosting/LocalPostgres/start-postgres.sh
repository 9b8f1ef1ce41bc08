#!/bin/sh
# PostgreSQL from the local server binaries, as Aspire's executable resource (MlOps.Hosting, AddLocalPostgres).
# Environment: PGBIN (initdb, postgres), PGDATA (the cluster), PGPORT (given by Aspire), POSTGRES_PASSWORD.
set -eu
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root: the cluster belongs to the postgres user, and setpriv runs this script as it
  # (exec, not a child: Aspire's stop signal reaches the script below, which turns it into a fast shutdown).
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups /bin/sh "$0"
fi
# A server of this cluster that is still shutting down (a quick restart) holds its lock file: wait for it to go.
if [ -f "$PGDATA/postmaster.pid" ]; then
  old=$(head -n 1 "$PGDATA/postmaster.pid" 2>/dev/null || true)
  tries=0
  while [ -n "$old" ] && kill -0 "$old" 2>/dev/null && [ "$tries" -lt 150 ]; do
    [ "$tries" = 0 ] && echo "waiting for the previous server (pid $old) to stop"
    tries=$((tries + 1))
    sleep 0.2
  done
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "initdb: a new cluster in $PGDATA"
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  "$PGBIN/initdb" -D "$PGDATA" --username=postgres --auth=scram-sha-256 --pwfile="$pwfile" --encoding=UTF8 --locale=C \
    || { rm -f "$pwfile"; exit 1; }
  rm -f "$pwfile"
fi
# The password follows the AppHost's parameter (user secrets may be reset while the cluster is kept): when it changed,
# set it in single-user mode, which prints nothing of it. Only its hash is kept, beside the cluster's own files.
hash=$(printf '%s' "$POSTGRES_PASSWORD" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$PGDATA/mlops-password.sha256" 2>/dev/null)" != "$hash" ]; then
  escaped=$(printf '%s' "$POSTGRES_PASSWORD" | sed "s/'/''/g")
  echo "ALTER USER postgres PASSWORD '$escaped';" | "$PGBIN/postgres" --single -D "$PGDATA" postgres >/dev/null
  (umask 077 && printf '%s\n' "$hash" > "$PGDATA/mlops-password.sha256")
fi
# TCP on 127.0.0.1 only; no unix socket (a deep data folder makes too long a socket path).
"$PGBIN/postgres" -D "$PGDATA" -p "$PGPORT" -c listen_addresses=127.0.0.1 -c unix_socket_directories= &
pid=$!
# Stopping means a fast shutdown (open sessions are cut, everything is written): the SIGTERM Aspire sends would ask for
# a smart one, which waits for every pooled connection of the AppHost to close.
trap 'kill -INT "$pid" 2>/dev/null || true' TERM INT
status=0
wait "$pid" || status=$?
while kill -0 "$pid" 2>/dev/null; do
  status=0
  wait "$pid" || status=$?
done
exit "$status"
