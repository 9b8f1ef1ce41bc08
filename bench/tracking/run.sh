#!/usr/bin/env bash
# bench/tracking: MlOps.Tracking on a throwaway PostgreSQL cluster, next to the same server built from BASELINE_REF
# (the commit before issue 14's fixes), both measured in this run:
#   metrics  - WRITERS concurrent writers log PER_WRITER metrics each through runs/log-batch (batches of BATCH);
#              every point is counted back.
#   tags     - WRITERS writers on ONE run send the same 5 tags and params in their own random orders, TAG_CALLS
#              times each; every failed call is counted (the baseline deadlocks: 40P01 answered as 500).
# Figures last. A new case is a function that runs against "$url" and appends "RESULT <case> key=value ..." lines
# to "$results" (see run_case); the summary prints every case it finds.
set -euo pipefail
cd "$(dirname "$0")/../.."
WRITERS=${WRITERS:-8}
PER_WRITER=${PER_WRITER:-10000}
BATCH=${BATCH:-1000}
TAG_CALLS=${TAG_CALLS:-100}
BASELINE_REF=${BASELINE_REF:-71c2c52}   # "none" skips the baseline

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -n "$bin" ] || bin=$(dirname "$(command -v postgres)")
tmp=$(mktemp -d /tmp/mlops-bench-tracking-XXXXXX)
results="$tmp/results.txt"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb and postgres refuse to run as root: run them as the postgres system user.
  chown -R postgres:postgres "$tmp"
  as_pg=(runuser -u postgres --)
fi
free_port() { local p; for p in $(seq "$1" $(($1 + 200))); do (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return; }; done; }
pids=(); pg_pid=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  [ -n "$pg_pid" ] && "${as_pg[@]}" "$bin/pg_ctl" stop -D "$tmp/data" -m fast >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

pg_port=$(free_port 55432)
"${as_pg[@]}" "$bin/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$tmp/initdb.log" 2>&1
"${as_pg[@]}" "$bin/postgres" -D "$tmp/data" -p "$pg_port" -k "$tmp" -c listen_addresses=127.0.0.1 \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 >"$tmp/postgres.log" 2>&1 &
pg_pid=$!
for _ in $(seq 100); do "$bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.1; done

# start_server NAME DLL: a database of its own, the server on a free port; sets $url.
start_server() {
  local name=$1 dll=$2 port
  port=$(free_port $((58080 + ${#pids[@]} * 10)))
  "$bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -c "create database $name" >/dev/null
  ConnectionStrings__tracking="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$name;Maximum Pool Size=50" \
  Tracking__ArtifactsRoot="$tmp/artifacts-$name" Logging__LogLevel__Default=Warning \
    dotnet "$dll" --urls "http://127.0.0.1:$port" >"$tmp/$name.log" 2>&1 &
  pids+=($!)
  url="http://127.0.0.1:$port"
  for _ in $(seq 300); do curl -fs "$url/health" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "$name did not become healthy:" >&2; tail -20 "$tmp/$name.log" >&2; exit 1
}

# run_case SERVER CASE ARGS...: one TrackingBench case; its RESULT line is kept, labelled with the server.
run_case() {
  local server=$1; shift
  dotnet bench/tracking/TrackingBench/bin/Release/net10.0/TrackingBench.dll "$url" "$@" | tee "$tmp/case.out" | grep -v '^RESULT' || true
  grep '^RESULT' "$tmp/case.out" | sed "s/^RESULT /$server /" >>"$results"
}

bench_server() {
  run_case "$1" metrics "$WRITERS" "$PER_WRITER" "$BATCH"
  run_case "$1" tags "$WRITERS" "$TAG_CALLS"
}

echo "building MlOps.Tracking and TrackingBench…"
dotnet build MlOps.Tracking -c Release -v q -nologo >/dev/null
dotnet build bench/tracking/TrackingBench -c Release -v q -nologo >/dev/null
start_server current MlOps.Tracking/bin/Release/net10.0/MlOps.Tracking.dll
bench_server current

if [ "$BASELINE_REF" != none ]; then
  echo "building the baseline MlOps.Tracking from $BASELINE_REF…"
  mkdir -p "$tmp/baseline"
  git archive "$BASELINE_REF" MlOps.Tracking MlOps.ServiceDefaults Directory.Build.props Directory.Packages.props global.json \
    $(git ls-tree --name-only "$BASELINE_REF" .editorconfig) | tar -x -C "$tmp/baseline"
  dotnet build "$tmp/baseline/MlOps.Tracking" -c Release -v q -nologo >/dev/null
  start_server baseline "$tmp/baseline/MlOps.Tracking/bin/Release/net10.0/MlOps.Tracking.dll"
  bench_server baseline
fi

echo
echo "== bench/tracking: $(nproc) cores, PostgreSQL $("$bin/postgres" --version | awk '{print $3}'), baseline = MlOps.Tracking at $BASELINE_REF =="
printf '%-9s %-8s %s\n' server case figures
while read -r server case figures; do printf '%-9s %-8s %s\n' "$server" "$case" "$figures"; done <"$results"
! grep -q 'current tags .*failed=[1-9]' "$results"
