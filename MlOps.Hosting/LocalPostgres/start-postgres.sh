#!/bin/sh
# PostgreSQL from the local server binaries, as Aspire's executable resource (MlOps.Hosting, AddLocalPostgres).
# Environment: PGBIN (initdb, postgres), PGDATA (the cluster), PGPORT (given by Aspire), POSTGRES_PASSWORD.
set -eu
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root: the cluster belongs to the postgres user, and setpriv runs this script as it
  # (exec, not a child: Aspire's stop signal reaches PostgreSQL itself).
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups /bin/sh "$0"
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
exec "$PGBIN/postgres" -D "$PGDATA" -p "$PGPORT" -c listen_addresses=127.0.0.1 -c unix_socket_directories=
