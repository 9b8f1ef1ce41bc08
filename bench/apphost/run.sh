#!/usr/bin/env bash
# The Aspire AppHost from process start to "all healthy" (its "Ready after N s" line: every resource running and
# healthy, finished, or waiting for an explicit start; serving healthy on a production model):
#   local cold      empty data folder: initdb, databases, data generation and the first training included
#   local warm      the same data folder again: nothing is trained
#   container warm  container mode after one unmeasured start that builds the images (local base images, our tracking
#                   server's image for mlflow, the BuildKit shim of the tests when the docker CLI has no buildx)
# printed next to the home-made host's figures (bench/apphost/README.md). ROWS overrides the generated data size.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS="${ROWS:-100000}"
HOME_MADE_COLD=16.8; HOME_MADE_WARM=7.4; GOAL_WARM=10
dotnet build MlOps.AppHost -c Release -nologo -v q >/dev/null
dll="$(pwd)/MlOps.AppHost/bin/Release/net10.0/MlOps.AppHost.dll"
out="$(pwd)/bench/apphost/out"; mkdir -p "$out"
work="$(mktemp -d /tmp/mlops-bench-apphost-XXXXXX)"; chmod 755 "$work"
name="mlops-bench-$$"
trap 'rm -rf "$work"; docker volume rm -f "$name-postgres-data" "$name-mlflow-artifacts" >/dev/null 2>&1 || true' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts the AppHost, waits for its ready line (10 minutes at most), stops it with SIGTERM; prints the seconds.
start_to_ready() { # label data-dir args...
  local label=$1 data=$2; shift 2
  local log="$out/$label.log"
  rm -f "$log"
  local dashboard otlp resources mlflow serving
  dashboard=$(free_port); otlp=$(free_port); resources=$(free_port); mlflow=$(free_port); serving=$(free_port)
  ASPNETCORE_URLS="http://127.0.0.1:$dashboard" ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$otlp" \
  ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="http://127.0.0.1:$resources" ASPIRE_ALLOW_UNSECURED_TRANSPORT=true \
  DOTNET_ENVIRONMENT=Development \
    setsid dotnet "$dll" --AppHost:DataDirectory="$data" --Training:Rows="$ROWS" \
      --Ports:mlflow="$mlflow" --Ports:serving="$serving" "$@" >"$log" 2>&1 &
  local pid=$!
  local seconds=""
  for _ in $(seq 1 1200); do
    seconds=$(grep -so "Ready after [0-9.]* s" "$log" | awk "{print \$3}" || true)
    [ -n "$seconds" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -z "$seconds" ]; then echo "$label: not ready; see $log" >&2; tail -20 "$log" >&2; echo "n/a"; else echo "$seconds"; fi
}

local_cold=$(start_to_ready local-cold "$work/local" --runtime local)
local_warm=$(start_to_ready local-warm "$work/local" --runtime local)

container_warm="n/a (no container engine)"
if docker version >/dev/null 2>&1; then
  shim=""
  docker buildx version >/dev/null 2>&1 || shim="$(pwd)/MlOps.Tests/Fixtures/buildkit-shim:"
  set -- --runtime docker --AppHost:Name="$name" --Images:postgres=local/postgres:15 --Images:dotnet-sdk=local/dotnet-sdk:10.0 \
    --Images:dotnet-runtime=local/dotnet-aspnet:10.0 --Mlflow:Server=tracking \
    --AppHost:BuildSecrets:ca-certificates=/etc/ssl/certs/ca-certificates.crt
  PATH="$shim$PATH" start_to_ready container-first "$work/containers" "$@" >/dev/null
  container_warm=$(PATH="$shim$PATH" start_to_ready container-warm "$work/containers" "$@")
fi

{
  echo "AppHost start to all healthy, $ROWS rows (this machine; logs in bench/apphost/out/)"
  printf '  %-52s %12s %16s\n' "" "Aspire 13.6" "home-made host"
  printf '  %-52s %10s s %14s s\n' "local, cold (empty state, first training included)" "$local_cold" "$HOME_MADE_COLD"
  printf '  %-52s %10s s %14s s   goal <= %s s\n' "local, warm" "$local_warm" "$HOME_MADE_WARM" "$GOAL_WARM"
  printf '  %-52s %10s s %14s\n' "containers, warm (images built)" "$container_warm" "-"
} | tee "$out/result.txt"
