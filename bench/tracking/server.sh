# bench/tracking/server.sh, sourced: a throwaway PostgreSQL cluster and MlOps.Tracking on free 127.0.0.1 ports,
# both stopped and deleted on exit. Sets $base (the server's URL), $tmp, $pg_port, $bin.
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -n "$bin" ] || bin=$(dirname "$(command -v postgres)")
tmp=$(mktemp -d /tmp/mlops-bench-tracking-XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb and postgres refuse to run as root: run them as the postgres system user.
  chown -R postgres:postgres "$tmp"
  as_pg=(runuser -u postgres --)
fi
free_port() { local p; for p in $(seq "$1" $(($1 + 200))); do (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return; }; done; }
pg_port=$(free_port "${PG_PORT_FROM:-55432}")
http_port=$(free_port "${HTTP_PORT_FROM:-58080}")
server_pid=""; pg_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$pg_pid" ] && "${as_pg[@]}" "$bin/pg_ctl" stop -D "$tmp/data" -m fast >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

"${as_pg[@]}" "$bin/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$tmp/initdb.log" 2>&1
"${as_pg[@]}" "$bin/postgres" -D "$tmp/data" -p "$pg_port" -k "$tmp" -c listen_addresses=127.0.0.1 \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 >"$tmp/postgres.log" 2>&1 &
pg_pid=$!
for _ in $(seq 100); do "$bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.1; done
"$bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -c "create database tracking" >/dev/null

dotnet build MlOps.Tracking -c Release -v q -nologo >/dev/null
ConnectionStrings__tracking="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=tracking;Maximum Pool Size=50" \
Tracking__ArtifactsRoot="$tmp/artifacts" Logging__LogLevel__Default=Warning \
  dotnet MlOps.Tracking/bin/Release/net10.0/MlOps.Tracking.dll --urls "http://127.0.0.1:$http_port" >"$tmp/tracking.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$http_port"
for _ in $(seq 300); do curl -fs "$base/health" >/dev/null 2>&1 && break; sleep 0.1; done
