#!/usr/bin/env bash
# Image sizes and build times of the trainer, serving and tracking images: cold (--no-cache: every layer rebuilt; the
# NuGet cache mount stays, which is what it is for) and cached (the same build again, nothing changed).
# Base images: SDK_IMAGE / RUNTIME_IMAGE, by default the locally made ones when present (../shared/docker/local-images.sh),
# else the public ones. Checks that the serving image is under 300 MB. Prints a table last.
set -euo pipefail
cd "$(dirname "$0")/../.."

# A docker CLI that builds with BuildKit: docker with buildx, or Debian's 20.10 client (BuildKit built in).
DOCKER=${DOCKER:-docker}
if ! $DOCKER buildx version >/dev/null 2>&1 && [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; fi
export DOCKER_BUILDKIT=1
if $DOCKER image inspect local/dotnet-sdk:10.0 >/dev/null 2>&1; then
  SDK_IMAGE=${SDK_IMAGE:-local/dotnet-sdk:10.0}; RUNTIME_IMAGE=${RUNTIME_IMAGE:-local/dotnet-aspnet:10.0}
fi
args=()
[ -n "${SDK_IMAGE:-}" ] && args+=(--build-arg "SDK_IMAGE=$SDK_IMAGE")
[ -n "${RUNTIME_IMAGE:-}" ] && args+=(--build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE")
# Restores behind a TLS-inspecting proxy need the host's CA bundle (an optional BuildKit secret of the Dockerfiles).
[ -f /etc/ssl/certs/ca-certificates.crt ] && args+=(--secret id=ca-certificates,src=/etc/ssl/certs/ca-certificates.crt)

log=$(mktemp)
build() { # name, extra flags...
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  if ! $DOCKER build "$@" --progress=plain -f "MlOps.${name^}/Dockerfile" -t "mlops/$name:bench" "${args[@]}" . >"$log" 2>&1; then
    tail -30 "$log" >&2; exit 1
  fi
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

rows=()
for name in trainer serving tracking; do
  cold=$(build "$name" --no-cache)
  cached=$(build "$name")
  bytes=$($DOCKER image inspect --format '{{.Size}}' "mlops/$name:bench")
  rows+=("$(printf '%-9s %8.1f s %8.1f s %7.0f MB' "$name" "$cold" "$cached" "$(echo "$bytes / 1000000" | bc -l)")")
  [ "$name" != serving ] || serving_mb=$(echo "$bytes / 1000000" | bc)
done
rm -f "$log"

echo "bases: SDK_IMAGE=${SDK_IMAGE:-<public>} RUNTIME_IMAGE=${RUNTIME_IMAGE:-<public>}; cli: $DOCKER"
printf '%-9s %10s %10s %10s\n' image cold cached size
printf '%s\n' "${rows[@]}"
if [ "$serving_mb" -ge 300 ]; then echo "serving image is ${serving_mb} MB: over the 300 MB budget" >&2; exit 1; fi
echo "serving image under 300 MB: ok"
