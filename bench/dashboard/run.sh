#!/usr/bin/env bash
# bench/dashboard: CLIENTS (4) OTLP/gRPC clients flood the dashboard's receiver + store (in-process, default limits)
# with batches of spans and log records for DURATION (30) s; prints spans/s, log records/s and the memory before,
# every 5 s and after. Figures last. TARGET=http://127.0.0.1:18889 API_KEY=... floods a running AppHost instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "bench/dashboard: building (Release)..." >&2
dotnet build bench/dashboard/OtlpFlood -c Release -v q -nologo >/dev/null
dotnet bench/dashboard/OtlpFlood/bin/Release/net10.0/OtlpFlood.dll
