#!/usr/bin/env bash
# Runs README.md's "Without the AppHost" chains exactly as written, so the README cannot drift: each ```bash block
# after a "<!-- chain: NAME -->" line. Long-running servers (commands with --urls) go to the background and must answer
# GET /health with 200; everything else must exit 0. Only the ports (5000, 8000, 5433) and the PostgreSQL folder are
# swapped for free ones, so the check runs beside anything else on the machine.
# Prints "chain NAME: ok|FAILED" per chain and exits non-zero when one failed.
set -uo pipefail
cd "$(dirname "$0")/.."
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d /tmp/mlops-readme-XXXXXX); chmod 755 "$work"
pids=()
# The chains write where the README says (out/, data/transactions.csv*): whatever a developer keeps there is moved
# aside first and put back afterwards, never lost.
made=(out data/transactions.csv data/transactions.csv.dvc)
mkdir -p "$work/kept/data"
for path in "${made[@]}"; do [ -e "$path" ] && mv "$path" "$work/kept/$path"; done
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null; done
  [ -f "$work/pg/postmaster.pid" ] && { kill -INT "$(head -1 "$work/pg/postmaster.pid")" 2>/dev/null; sleep 1; }
  rm -rf "${made[@]}"
  for path in "${made[@]}"; do [ -e "$work/kept/$path" ] && { mkdir -p "$(dirname "$path")"; mv "$work/kept/$path" "$path"; }; done
  rmdir data 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_healthy() { # url seconds
  for _ in $(seq 1 "$2"); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1/health")" = 200 ] && return 0
    sleep 1
  done
  echo "  $1/health did not answer 200 within $2 s" >&2; return 1
}

run_chain() { # name
  local name=$1 mlflow serving pg
  mlflow=$(free_port); serving=$(free_port); pg=$(free_port)
  # The block, its continuation lines joined into one command per line, ports and folders swapped.
  awk -v n="$name" '$0 ~ "<!-- chain: " n " -->" {f=1; next} f && /^```bash/ {b=1; next} b && /^```/ {exit} b {print}' README.md \
    | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' \
    | sed -e "s/127\.0\.0\.1:5000/127.0.0.1:$mlflow/g; s/127\.0\.0\.1:8000/127.0.0.1:$serving/g; s/5433/$pg/g; s#/tmp/mlops-pg#$work/pg#g" \
    > "$work/$name.cmds"
  local status=0
  while IFS= read -r line; do
    [[ -z "${line// }" || "$line" =~ ^[[:space:]]*# ]] && continue
    echo "  \$ $line" >&2
    if [[ "$line" == *"--urls "* ]]; then
      setsid bash -c "$line" >"$work/$name.$(date +%s%N).log" 2>&1 &
      pids+=($!)
      local url; url=$(grep -o 'http://127.0.0.1:[0-9]*' <<<"$line" | tail -1)
      wait_healthy "$url" 240 || { status=1; tail -20 "$work/$name".*.log >&2; break; }
    else
      bash -c "$line" || { status=1; break; }
    fi
  done < "$work/$name.cmds"
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  pids=()
  sleep 2
  if [ $status -eq 0 ]; then echo "chain $name: ok"; else echo "chain $name: FAILED"; fi
  return $status
}

failed=0
for chain in $(grep -o '<!-- chain: [a-z-]* -->' README.md | awk '{print $3}'); do
  run_chain "$chain" || failed=$((failed + 1))
done
exit $failed
