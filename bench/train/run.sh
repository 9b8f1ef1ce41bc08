#!/usr/bin/env bash
# bench/train: LightGBM (ours) vs scikit-learn HistGradientBoosting on the same generated data. Figures last.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-1000000}
HOLDOUT=${HOLDOUT:-200000}
out=bench/train/out
mkdir -p "$out"

dotnet build bench/train/TrainBench -c Release -v q -nologo >/dev/null
trainer="dotnet MlOps.Trainer/bin/Release/net10.0/mlops-trainer.dll"
dotnet build MlOps.Trainer -c Release -v q -nologo >/dev/null
[ -f "$out/train-$ROWS.csv" ] || $trainer generate --rows "$ROWS" --seed 1 --out "$out/train-$ROWS.csv"
[ -f "$out/holdout-$HOLDOUT.csv" ] || $trainer generate --rows "$HOLDOUT" --seed 2 --out "$out/holdout-$HOLDOUT.csv"

ours=$(dotnet bench/train/TrainBench/bin/Release/net10.0/TrainBench.dll "$out/train-$ROWS.csv" "$out/holdout-$HOLDOUT.csv" | tail -1)

if ! /usr/bin/python3 -c "import sklearn, pandas" 2>/dev/null && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn python3-pandas >/dev/null 2>&1 || true
fi
if /usr/bin/python3 -c "import sklearn, pandas" 2>/dev/null; then
  baseline=$(/usr/bin/python3 bench/train/sklearn_baseline.py "$out/train-$ROWS.csv" "$out/holdout-$HOLDOUT.csv" | tail -1)
else
  baseline="sklearn-hgb  (not run: python3-sklearn/python3-pandas unavailable)"
fi

echo "rows=$ROWS holdout=$HOLDOUT cores=$(nproc)"
echo "$ours"
echo "$baseline"
