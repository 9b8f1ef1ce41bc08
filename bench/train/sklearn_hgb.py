"""Baseline for bench/train: scikit-learn's HistGradientBoostingClassifier on the same files and machine.

Usage: sklearn_hgb.py TRAIN.csv HOLDOUT.csv LABEL POSITIVE SETTINGS [EXCLUDED,COLUMNS]
SETTINGS: "fixed" = the settings the issue's baseline used (200 iterations, 15 leaves, learning rate 0.05,
min_samples_leaf 100, l2 1.0, no early stopping, all rows); "default" = HistGradientBoostingClassifier() as a new
user calls it (100 iterations, 31 leaves, lr 0.1, min_samples_leaf 20, early stopping on 10% when > 10,000 rows).
Text columns are native categorical features (codes learned on the training file; missing or unseen = NaN) when
they have at most 255 values, like the trainer's; the trainer's excluded columns (ids, timestamps) are left out.
Prints one line: load_s fit_s eval_s total_s roc_auc pr_auc (total = load + fit + evaluate).
"""
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, log_loss, roc_auc_score

train_path, holdout_path, label, positive, settings = sys.argv[1:6]
excluded = set(sys.argv[6].split(",")) if len(sys.argv) > 6 and sys.argv[6] else set()

t0 = time.perf_counter()
train = pd.read_csv(train_path, keep_default_na=True)
holdout = pd.read_csv(holdout_path, keep_default_na=True)
load_s = time.perf_counter() - t0

t0 = time.perf_counter()
features = [c for c in train.columns if c != label and c not in excluded]
categorical = []
codes = {}
for c in features:
    if train[c].dtype == object:
        values = sorted(train[c].dropna().astype(str).unique())
        codes[c] = {v: i for i, v in enumerate(values)}
        categorical.append(len(values) <= 255)
    else:
        categorical.append(False)


def matrix(df):
    x = df[features].copy()
    for c, code in codes.items():
        x[c] = x[c].astype(str).where(x[c].notna()).map(code).astype("float64")
    return x.to_numpy(dtype=np.float64)


def target(df):
    return (df[label].astype(str) == str(positive)).to_numpy().astype(int)


x_train, y_train = matrix(train), target(train)
if settings == "fixed":
    model = HistGradientBoostingClassifier(max_iter=200, max_leaf_nodes=15, learning_rate=0.05, min_samples_leaf=100,
                                           l2_regularization=1.0, early_stopping=False,
                                           categorical_features=np.array(categorical), random_state=0)
else:
    model = HistGradientBoostingClassifier(categorical_features=np.array(categorical), random_state=0)
model.fit(x_train, y_train)
fit_s = time.perf_counter() - t0

t0 = time.perf_counter()
x_holdout, y_holdout = matrix(holdout), target(holdout)
p = model.predict_proba(x_holdout)[:, 1]
roc, pr, ll = roc_auc_score(y_holdout, p), average_precision_score(y_holdout, p), log_loss(y_holdout, p)
eval_s = time.perf_counter() - t0
print(f"load_s={load_s:.2f} fit_s={fit_s:.2f} eval_s={eval_s:.2f} total_s={load_s + fit_s + eval_s:.2f} "
      f"roc_auc={roc:.4f} pr_auc={pr:.4f} log_loss={ll:.4f} mean_p={p.mean():.4f}")
