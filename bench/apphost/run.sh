#!/usr/bin/env bash
# Cold and warm start of the AppHost in local mode, to "all healthy". ROWS overrides the generated data size.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS="${ROWS:-100000}"
dotnet build MlOps.AppHost -c Release -nologo -v q >/dev/null
out="$(pwd)/bench/apphost/out"
mkdir -p "$out"
data="$(mktemp -d /tmp/mlops-bench-XXXXXX)"
chmod 755 "$data"
trap 'rm -rf "$data"' EXIT
OUT_DIR="$out" python3 bench/apphost/apphost_bench.py "$(pwd)/MlOps.AppHost/bin/Release/net10.0/MlOps.AppHost.dll" "$data/.mlops" "$ROWS" | tee "$out/result.txt"
