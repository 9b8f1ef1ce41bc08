#!/usr/bin/env bash
# bench/serve: the serving API under wrk on 127.0.0.1 -- single-row /predict (32 connections, 20 s) and
# /predict/batch with 100 rows -- with monitoring off and on (drift + prediction log in PostgreSQL + shadow
# challenger), next to the HTTP floor (Kestrel returning a constant JSON body) and the Python baseline (FastAPI + a
# one-row pandas DataFrame + scikit-learn GradientBoosting predict_proba). Figures last.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-100000}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-32}
BATCH_ROWS=${BATCH_ROWS:-100}
BATCH_CONNECTIONS=${BATCH_CONNECTIONS:-8}
THREADS=${THREADS:-2}
PORT=${PORT:-5181}
FLOOR_PORT=${FLOOR_PORT:-5182}
PYTHON_PORT=${PYTHON_PORT:-5183}
PG_PORT=${PG_PORT:-5184}
ON_PORT=${ON_PORT:-5185}
ROUNDS=${ROUNDS:-3}
out=bench/serve/out
mkdir -p "$out"

command -v wrk >/dev/null || { echo "bench/serve needs wrk (apt-get install wrk)" >&2; exit 1; }

pids=()
pg_dir=""
as_pg=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_dir" ]; then "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; fi
}
trap cleanup EXIT

wait_healthy() { # url seconds
  for _ in $(seq 1 $(($2 * 10))); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = "200" ] && return 0
    sleep 0.1
  done
  echo "bench/serve: $1 did not become healthy in $2 s" >&2
  return 1
}

# wrk URL BODY_FILE CONNECTIONS -> the RESULT line of post.lua, after a short warm-up run (JIT tiers, pools, caches)
load() {
  BODY_FILE="$2" wrk -t"$THREADS" -c"$3" -d"$WARMUP" -s bench/serve/post.lua "$1" >/dev/null
  BODY_FILE="$2" wrk -t"$THREADS" -c"$3" -d"$DURATION" --latency -s bench/serve/post.lua "$1" | grep '^RESULT' | tail -1
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench/serve: building (Release)..." >&2
dotnet build MlOps.Trainer -c Release -v q -nologo >/dev/null
dotnet build MlOps.Serving -c Release -v q -nologo >/dev/null
dotnet build bench/serve/HttpFloor -c Release -v q -nologo >/dev/null
trainer="dotnet MlOps.Trainer/bin/Release/net10.0/mlops-trainer.dll"

[ -f "$out/transactions-$ROWS.csv" ] || $trainer generate --rows "$ROWS" --seed 1 --out "$out/transactions-$ROWS.csv" >&2
# The served model has the baseline's capacity (scikit-learn's GradientBoostingClassifier defaults: 100 trees of
# depth 3), so both sides do the same amount of tree work per row. MODEL_SIZE=default serves the trainer's defaults.
if [ "${MODEL_SIZE:-baseline}" = "baseline" ]; then
  model_out="$out/baseline-size"; model_args=(--iterations 100 --num-leaves 8 --max-depth 3 --early-stopping-rounds 0)
else
  model_out="$out/default-size"; model_args=()
fi
[ -f "$model_out/model/model.onnx" ] || $trainer train --data "$out/transactions-$ROWS.csv" --label is_fraud --output "$model_out" --seed 1 --device cpu "${model_args[@]}" >&2
# The shadow challenger: the same capacity, another seed and learning rate (as a retraining that lost the gate).
[ -f "$model_out-challenger/model/model.onnx" ] || $trainer train --data "$out/transactions-$ROWS.csv" --label is_fraud \
  --output "$model_out-challenger" --seed 2 --learning-rate 0.08 --device cpu "${model_args[@]}" >&2
/usr/bin/python3 bench/serve/make_bodies.py "$out/transactions-$ROWS.csv" "$model_out/model/model-card.json" "$out" "$BATCH_ROWS" >&2

# A PostgreSQL for the prediction log, from the server binaries (as the postgres user when root), in /tmp.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
database=""
if [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ]; then
  pg_dir=$(mktemp -d /tmp/mlops-bench-pg-XXXXXX)
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$pg_dir"; as_pg=(runuser -u postgres --); fi
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
  # synchronous_commit=off: a prediction log may lose its last few hundred ms in a crash, never its consistency.
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w start \
    -o "-p $PG_PORT -k $pg_dir -c listen_addresses=127.0.0.1 -c synchronous_commit=off" >/dev/null
  database="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
else
  echo "bench/serve: no PostgreSQL server binaries (apt-get install postgresql); monitoring 'on' runs without the log" >&2
fi

# serve NAME PORT [VAR=VALUE ...]: starts the serving API with the given settings and waits until it is healthy.
serve() {
  local name=$1 port=$2; shift 2
  env ASPNETCORE_URLS="http://127.0.0.1:$port" ASPNETCORE_ENVIRONMENT=Production MODEL_URI="$model_out/model" \
    Logging__LogLevel__Default=Warning Serving__MaxBatchRows=10000 "$@" \
    dotnet MlOps.Serving/bin/Release/net10.0/MlOps.Serving.dll >"$out/serving-$name.log" 2>&1 &
  pids+=($!)
  wait_healthy "http://127.0.0.1:$port/health" 120
  curl -s -X POST -H 'Content-Type: application/json' --data-binary @"$out/single.json" "http://127.0.0.1:$port/predict" >&2; echo >&2
}
# The on server's log may still be writing after its run: the next run starts once its queue is empty.
settle() {
  for _ in $(seq 1 300); do
    [ "$(curl -s "http://127.0.0.1:$ON_PORT/monitoring/log" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["queued"])')" = "0" ] && break
    sleep 0.1
  done
  sleep 1
}
# best OLD NEW: the result with more requests/s (the other ran while something else on the machine took the CPU).
best() { if [ -z "$1" ] || awk -v a="$(field "$1" rps)" -v b="$(field "$2" rps)" 'BEGIN { exit !(b > a) }'; then echo "$2"; else echo "$1"; fi; }

# 1. The serving API with monitoring off and on, both up at once, measured in alternation, best of ROUNDS.
serve off "$PORT" Monitoring__Drift__Enabled=false Monitoring__Shadow__Enabled=false Monitoring__Log__Enabled=false
serve on "$ON_PORT" Monitoring__Shadow__ModelUri="$model_out-challenger/model" ${database:+ConnectionStrings__servingdb=$database}
single_off=""; single_on=""; batch_off=""; batch_on=""
for round in $(seq 1 "$ROUNDS"); do
  echo "bench/serve: round $round of $ROUNDS" >&2
  settle; single_off=$(best "$single_off" "$(load "http://127.0.0.1:$PORT/predict" "$out/single.json" "$CONNECTIONS")")
  settle; single_on=$(best "$single_on" "$(load "http://127.0.0.1:$ON_PORT/predict" "$out/single.json" "$CONNECTIONS")")
  settle; batch_off=$(best "$batch_off" "$(load "http://127.0.0.1:$PORT/predict/batch" "$out/batch.json" "$BATCH_CONNECTIONS")")
  settle; batch_on=$(best "$batch_on" "$(load "http://127.0.0.1:$ON_PORT/predict/batch" "$out/batch.json" "$BATCH_CONNECTIONS")")
done
sleep 2
monitoring_log=$(curl -s "http://127.0.0.1:$ON_PORT/monitoring/log")
monitoring_shadow=$(curl -s "http://127.0.0.1:$ON_PORT/monitoring/shadow")
monitoring_drift=$(curl -s "http://127.0.0.1:$ON_PORT/monitoring/drift" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["status"], d.get("window_rows"), "rows")')
for pid in "${pids[@]}"; do kill "$pid"; wait "$pid" 2>/dev/null || true; done; pids=()

# 2. The HTTP floor.
ASPNETCORE_URLS="http://127.0.0.1:$FLOOR_PORT" dotnet bench/serve/HttpFloor/bin/Release/net10.0/HttpFloor.dll >"$out/floor.log" 2>&1 &
pids+=($!)
sleep 0.5
for _ in $(seq 1 100); do curl -s -o /dev/null -X POST -d '{}' "http://127.0.0.1:$FLOOR_PORT/predict" && break; sleep 0.1; done
floor=$(load "http://127.0.0.1:$FLOOR_PORT/predict" "$out/single.json" "$CONNECTIONS")
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true; pids=()

# 3. The Python baseline, when Debian's packages are there (or can be installed).
py_modules="import fastapi, uvicorn, pandas, sklearn"
if ! /usr/bin/python3 -c "$py_modules" 2>/dev/null && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-fastapi python3-uvicorn python3-pandas python3-sklearn >/dev/null 2>&1 || true
fi
python=""
if /usr/bin/python3 -c "$py_modules" 2>/dev/null; then
  /usr/bin/python3 bench/serve/fastapi_baseline.py "$out/transactions-$ROWS.csv" "$model_out/model/model-card.json" "$PYTHON_PORT" >"$out/fastapi.log" 2>&1 &
  pids+=($!)
  wait_healthy "http://127.0.0.1:$PYTHON_PORT/health" 600
  python=$(load "http://127.0.0.1:$PYTHON_PORT/predict" "$out/single.json" "$CONNECTIONS")
  kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true; pids=()
fi

row() { # name endpoint result rows-per-request
  local rps; rps=$(field "$3" rps)
  printf '%-14s %-16s %12s %9s %9s %9s %12s %7s\n' "$1" "$2" "$rps" "$(field "$3" p50_ms)" "$(field "$3" p90_ms)" \
    "$(field "$3" p99_ms)" "$(awk -v r="$rps" -v n="$4" 'BEGIN { printf "%.0f", r * n }')" "$(field "$3" errors)"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

echo
echo "bench/serve: wrk -t$THREADS -d$DURATION on 127.0.0.1, $(nproc) cores, load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg);" \
  "single row: $CONNECTIONS connections; batch: $BATCH_ROWS rows, $BATCH_CONNECTIONS connections; serving off/on: best of $ROUNDS alternating rounds"
echo "monitoring on: drift + shadow challenger + prediction log $([ -n "$database" ] && echo "in PostgreSQL (synchronous_commit=off)" || echo "OFF (no PostgreSQL)")"
echo "  after the on runs: log $monitoring_log"
echo "  shadow $monitoring_shadow; drift $monitoring_drift"
printf '%-14s %-16s %12s %9s %9s %9s %12s %7s\n' side endpoint "requests/s" "p50 ms" "p90 ms" "p99 ms" "rows/s" errors
row serving-off /predict "$single_off" 1
row serving-on /predict "$single_on" 1
row serving-off /predict/batch "$batch_off" "$BATCH_ROWS"
row serving-on /predict/batch "$batch_on" "$BATCH_ROWS"
row http-floor "constant JSON" "$floor" 1
if [ -n "$python" ]; then
  row fastapi /predict "$python" 1
else
  echo "fastapi        (not run: python3-fastapi/uvicorn/pandas/sklearn unavailable)"
fi
on=$(field "$single_on" rps); off=$(field "$single_off" rps); f=$(field "$floor" rps); py=$(field "${python:-rps=0}" rps)
echo "goals: monitoring on = $(ratio "$on" "$off") of off single-row (>= 0.8), $(ratio "$(field "$batch_on" rps)" "$(field "$batch_off" rps)") in batches;" \
  "p99 on $(field "$single_on" p99_ms) ms (< 10); on x$(ratio "$on" "$py") and off x$(ratio "$off" "$py") the FastAPI baseline (>= 100);" \
  "off $(ratio "$off" "$f") of the HTTP floor (>= 0.5); $(awk -v r="$(field "$batch_off" rps)" -v n="$BATCH_ROWS" 'BEGIN { printf "%.0f", r * n }') rows/s in batches off (> 500000)"
