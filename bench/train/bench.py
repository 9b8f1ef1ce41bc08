"""bench/train: the trainer's default `train` (and optionally other configs, and `tune`) against scikit-learn's
HistGradientBoostingClassifier on several tables, holdout figures and wall times measured in the same run.

Every run of ours is the real command line (`mlops-trainer train`, offline) on a training file; its exported
model.onnx is then scored on a holdout file with ONNX Runtime (TrainBench). scikit-learn runs on the same two files
and the same feature columns, right after ours (interleaved, so load on the machine hits both alike).
Small public tables are split 75/25 (stratified) several times with different seeds and the figures averaged.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import pandas as pd
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TRAINER = ["dotnet", os.environ.get("TRAINER_DLL", os.path.join(ROOT, "MlOps.Trainer/bin/Release/net10.0/mlops-trainer.dll"))]
SCORER = ["dotnet", os.environ.get("SCORER_DLL", os.path.join(HERE, "TrainBench/bin/Release/net10.0/TrainBench.dll"))]


def fields(line):
    return {k: float(v) for k, v in (kv.split("=") for kv in line.split())}


def run(cmd, env=None):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}: {p.stderr.strip()[-400:]}")
    return p.stdout, wall


def ours(command, train, holdout, label, positive, out, extra):
    out_dir = os.path.join(out, "model-out")
    stdout, wall = run(TRAINER + [command, "--data", train, "--label", label, "--positive", positive,
                                  "--output", out_dir, "--seed", "42"] + extra)
    card = json.load(open(os.path.join(out_dir, "model", "model-card.json")))
    scored, _ = run(SCORER + [os.path.join(out_dir, "model"), holdout, label, positive])
    result = fields(scored.strip().splitlines()[-1])
    result["wall_s"] = wall
    result["fit_s"] = card["training"]["seconds"]
    result["trees"] = card["best_iteration"]
    result["excluded"] = ",".join(e["name"] for e in card["excluded_columns"] if e["reason"] != "label")
    return result


def sklearn(train, holdout, label, positive, settings, excluded):
    # The trainer makes OpenMP wait passively (spinning threads starve each other on a shared machine); the
    # baseline gets the same policy, so neither is slowed by the other's spinning. OMP_WAIT_POLICY set outside wins.
    env = dict(os.environ)
    env.setdefault("OMP_WAIT_POLICY", "passive")
    stdout, wall = run([sys.executable, os.path.join(HERE, "sklearn_hgb.py"), train, holdout, label, positive,
                        settings, excluded], env)
    result = fields(stdout.strip().splitlines()[-1])
    result["wall_s"] = wall
    result["fit_s"] = result["fit_s"]
    return result


def splits(table, out, repeats):
    if table.get("holdout"):
        yield table["path"], table["holdout"]
        return
    df = pd.read_csv(table["path"], keep_default_na=False, dtype=str)
    for r in range(repeats):
        train, holdout = train_test_split(df, test_size=0.25, random_state=r, stratify=df[table["label"]])
        paths = [os.path.join(out, f"{table['name']}-{r}-{part}.csv") for part in ("train", "holdout")]
        train.to_csv(paths[0], index=False)
        holdout.to_csv(paths[1], index=False)
        yield paths


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tables", required=True, help="tables.tsv (name, label, positive[, path, holdout])")
    ap.add_argument("--out", required=True)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--config", action="append", default=[], help="NAME=extra trainer args (JSON list) for more rows of ours")
    ap.add_argument("--sklearn", default="fixed,default")
    ap.add_argument("--only", default="")
    ap.add_argument("--tune-splits", type=int, default=1, help="run the tune rows on this many splits of each table")
    ap.add_argument("--tune-max-rows", type=int, default=200_000, help="no tune rows on larger tables")
    args = ap.parse_args()

    load_start = os.getloadavg()
    tables = pd.read_csv(args.tables, sep="\t", dtype=str, keep_default_na=False).to_dict("records")
    if args.only:
        tables = [t for t in tables if t["name"] in args.only.split(",")]
    configs = [("ours", [])] + [(c.split("=", 1)[0], json.loads(c.split("=", 1)[1])) for c in args.config]
    baselines = [s for s in args.sklearn.split(",") if s]
    rows = []
    for table in tables:
        table.setdefault("path", os.path.join(os.path.dirname(args.tables), table["name"] + ".csv"))
        if not table.get("path"):
            table["path"] = os.path.join(os.path.dirname(args.tables), table["name"] + ".csv")
        for r, (train, holdout) in enumerate(splits(table, args.out, args.repeats)):
            excluded = ""
            for name, extra in configs:
                command = extra[0] if extra and extra[0] == "tune" else "train"
                extra = extra[1:] if command == "tune" else extra
                if command == "tune" and (r >= args.tune_splits or int(table.get("rows") or 0) > args.tune_max_rows):
                    continue
                res = ours(command, train, holdout, table["label"], table["positive"], args.out, extra)
                excluded = res.pop("excluded")
                rows.append(dict(table=table["name"], split=r, system=name, **res))
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
            for settings in baselines:
                res = sklearn(train, holdout, table["label"], table["positive"], settings, excluded)
                rows.append(dict(table=table["name"], split=r, system="sklearn-" + settings, **res))
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    load_end = os.getloadavg()
    df = pd.DataFrame(rows)
    df.to_csv(os.path.join(args.out, "results.csv"), index=False)
    summary = df.groupby(["table", "system"], sort=False).agg(
        pr_auc=("pr_auc", "mean"), roc_auc=("roc_auc", "mean"), log_loss=("log_loss", "mean"),
        wall_s=("wall_s", "mean"), fit_s=("fit_s", "mean"), splits=("split", "count")).reset_index()
    pd.set_option("display.width", 200)
    print(f"machine: {os.cpu_count()} cores, load average {load_start[0]:.1f} at the start, {load_end[0]:.1f} at the end")
    print("holdout figures (mean over splits); wall = the whole command (ours: `mlops-trainer train`, a process; "
          "sklearn: the script's process), fit = training alone (ours: boosting incl. refit; sklearn: encoding + fit)")
    print(summary.to_string(index=False, float_format=lambda v: f"{v:.4f}" if abs(v) < 1 else f"{v:.2f}"))
    print()
    common = summary[summary["system"].isin(["ours", "sklearn-fixed", "sklearn-default"])]
    print("mean over tables (each table weighs the same):")
    print(common.groupby("system", sort=False)[["pr_auc", "roc_auc", "log_loss"]].mean().to_string(float_format=lambda v: f"{v:.4f}"))
    tuned = summary[summary["system"] == "tuned"]
    if len(tuned):
        pair = df[df["system"].isin(["ours", "tuned"])].pivot_table(index=["table", "split"], columns="system", values="pr_auc").dropna()
        print(f"default vs tuned ({len(pair)} table splits, same splits): PR-AUC {pair['ours'].mean():.4f} vs {pair['tuned'].mean():.4f}, "
              f"tuned better on {(pair['tuned'] > pair['ours']).sum()} of {len(pair)}")
    big = summary[summary["table"] == "gen_1m"].set_index("system")
    if "ours" in big.index and "sklearn-fixed" in big.index:
        mine, sk = big.loc["ours"], df[(df["table"] == "gen_1m") & (df["system"] == "sklearn-fixed")].iloc[0]
        print(f"1M rows: default train {mine['wall_s']:.1f} s end to end vs sklearn load+fit+evaluate {sk['total_s']:.1f} s "
              f"(goal: at most half, {mine['wall_s'] / sk['total_s']:.2f} of it); PR-AUC {mine['pr_auc']:.4f} vs {sk['pr_auc']:.4f}")


if __name__ == "__main__":
    main()
