#!/usr/bin/env bash
# bench/tracking/ui.sh: the tracking UI's page times with RUNS (10,000) runs in one experiment, next to the REST calls
# that read the same data, on a throwaway PostgreSQL cluster. The runs are written through the REST API by 8
# writers; PostgreSQL then ANALYZEs (as autovacuum would within a minute). Figures last; the target is < 300 ms a page.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-10000}
WRITERS=${WRITERS:-8}
REPEATS=${REPEATS:-20}

source bench/tracking/server.sh
dotnet build bench/tracking/UiBench -c Release -v q -nologo >/dev/null
bench=bench/tracking/UiBench/bin/Release/net10.0/UiBench.dll
dotnet "$bench" seed "$base" "$RUNS" "$WRITERS" "$tmp/seeded.json"
"$bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d tracking -c "analyze" >/dev/null
echo "runs in the experiment: $("$bin/psql" -tA -h 127.0.0.1 -p "$pg_port" -U postgres -d tracking -c "select count(*) from runs where experiment_id = 1")"
dotnet "$bench" measure "$base" "$tmp/seeded.json" "$REPEATS"
