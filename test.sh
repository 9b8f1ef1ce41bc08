#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian/Ubuntu machine that has only the .NET SDK.
# Installs what the tests need when it is missing, runs `dotnet test`, and prints
# "N passed, N failed[, N skipped]" as its last line. Exit code 0 only when nothing failed.
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
# LightGBM's native library links OpenMP; plots need a font.
[ -e /usr/lib/x86_64-linux-gnu/libgomp.so.1 ] || [ -e /usr/lib/aarch64-linux-gnu/libgomp.so.1 ] || need_apt+=(libgomp1)
fc-list 2>/dev/null | grep -qi dejavu || [ -d /usr/share/fonts/truetype/dejavu ] || need_apt+=(fonts-dejavu-core)
# The tracking tests start a throwaway PostgreSQL cluster from the server binaries.
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || command -v postgres >/dev/null 2>&1 || need_apt+=(postgresql-15)
# The compose publisher's output is checked by Debian's docker-compose (1.29).
command -v docker-compose >/dev/null 2>&1 || need_apt+=(docker-compose)
# The browser tests drive Debian's Chromium headless against Aspire's dashboard (Playwright downloads no browser).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# The data-remote tests start s3rver, an S3-compatible server, with Node.js (installed below with npm).
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# The README chains (.ci/readme-chains.sh) are checked with curl.
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
if [ ${#need_apt[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${need_apt[*]}" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "test.sh: please install: ${need_apt[*]}" >&2
  fi
fi

# s3rver at the version MlOps.Tests/s3/package-lock.json pins; reinstalled only when the lock file changed.
s3_dir=MlOps.Tests/s3
if [ ! -f "$s3_dir/node_modules/.package-lock.json" ] || [ "$s3_dir/package-lock.json" -nt "$s3_dir/node_modules/.package-lock.json" ]; then
  echo "test.sh: installing the S3 test server (npm ci in $s3_dir)" >&2
  npm ci --prefix "$s3_dir" --no-audit --no-fund --loglevel=error >/dev/null
fi

# Container tests: a running Docker engine and the locally made base images (local/debian, local/postgres,
# local/dotnet-aspnet, local/dotnet-sdk), no registry needed. Aspire's orchestrator needs a Docker CLI 25+ (this
# machine's /usr/local/bin/docker); image builds go through MlOps.Tests/Fixtures/buildkit-shim when it has no buildx. The script lives in shared/, which CI clones next to
# this repository; MLOPS_LOCAL_IMAGES points elsewhere (a worktree, another layout).
images_script="${MLOPS_LOCAL_IMAGES:-../shared/docker/local-images.sh}"
if [ -f "$images_script" ]; then
  echo "test.sh: preparing Docker with $images_script" >&2
  if ! bash "$images_script" >/tmp/mlops-local-images.log 2>&1; then
    tail -20 /tmp/mlops-local-images.log >&2
    echo "test.sh: $images_script failed; the container tests will fail" >&2
  fi
else
  echo "test.sh: $images_script not found; the container tests need Docker and the local base images" >&2
fi

results="$(pwd)/.test-results"
rm -rf "$results"
mkdir -p "$results"

set +e
dotnet test MlOps.sln -c Release --logger "trx;LogFileName=tests.trx" --results-directory "$results" \
  --logger "console;verbosity=normal" "$@" 2>&1 | tee "$results/console.log"
status=${PIPESTATUS[0]}
set -e

# README.md's "Without the AppHost" chains, run as written (other ports): one result per chain.
chains_passed=0; chains_failed=0
if [ "${MLOPS_README_CHAINS:-1}" = 1 ]; then
  while IFS= read -r line; do
    echo "$line"
    case "$line" in "chain "*": ok") chains_passed=$((chains_passed + 1));; "chain "*": FAILED") chains_failed=$((chains_failed + 1));; esac
  done < <(bash .ci/readme-chains.sh 2>"$results/readme-chains.log")
  [ "$chains_failed" -eq 0 ] || tail -40 "$results/readme-chains.log" >&2
fi

passed=$chains_passed; failed=$chains_failed; skipped=0
for trx in "$results"/*.trx "$results"/**/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or the test host failed before any result was written: count that as a failure.
  failed=1
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
