#!/usr/bin/env bash
# bench/train: the trainer's default `train` and `tune` against scikit-learn's HistGradientBoostingClassifier, on
# public tables (R's modeldata package) and on our generator at 100k and 1M rows. Figures last.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-1000000}
HOLDOUT=${HOLDOUT:-200000}
REPEATS=${REPEATS:-2}
TRIALS=${TRIALS:-15}
out=bench/train/out
mkdir -p "$out/tables"

# Debian's python3-sklearn/pandas (the baseline) and r-cran-modeldata (the public tables), when apt is there.
need=()
/usr/bin/python3 -c "import sklearn, pandas" 2>/dev/null || need+=(python3-sklearn python3-pandas)
Rscript -e 'library(modeldata)' >/dev/null 2>&1 || need+=(r-base-core r-cran-modeldata)
if [ ${#need[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || { echo "install: ${need[*]}" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

dotnet build MlOps.Trainer -c Release -v q -nologo >/dev/null
dotnet build bench/train/TrainBench -c Release -v q -nologo >/dev/null
trainer="dotnet MlOps.Trainer/bin/Release/net10.0/mlops-trainer.dll"
[ -f "$out/tables/tables.tsv" ] || Rscript bench/train/modeldata_tables.R "$out/tables"
for rows in 100000 "$ROWS"; do
  [ -f "$out/gen-$rows.csv" ] || $trainer generate --rows "$rows" --seed 1 --out "$out/gen-$rows.csv" >/dev/null
done
[ -f "$out/gen-holdout-$HOLDOUT.csv" ] || $trainer generate --rows "$HOLDOUT" --seed 2 --out "$out/gen-holdout-$HOLDOUT.csv" >/dev/null

# The table list: modeldata's (split 75/25 by the bench, REPEATS times) and the generator's (a separate holdout).
tables="$out/bench-tables.tsv"
{
  printf 'name\tlabel\tpositive\trows\tcolumns\tpositive_rate\tpath\tholdout\n'
  tail -n +2 "$out/tables/tables.tsv" | awk -v d="$out/tables" -F'\t' '{ print $0 "\t" d "/" $1 ".csv\t" }'
  printf 'gen_100k\tis_fraud\t1\t100000\t12\t0.008\t%s\t%s\n' "$out/gen-100000.csv" "$out/gen-holdout-$HOLDOUT.csv"
  printf 'gen_1m\tis_fraud\t1\t%s\t12\t0.008\t%s\t%s\n' "$ROWS" "$out/gen-$ROWS.csv" "$out/gen-holdout-$HOLDOUT.csv"
} > "$tables"

/usr/bin/python3 bench/train/bench.py --tables "$tables" --out "$out" --repeats "$REPEATS" \
  --config "tuned=[\"tune\",\"--trials\",\"$TRIALS\"]" --sklearn fixed,default 2> "$out/runs.jsonl"
