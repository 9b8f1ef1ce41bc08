"""Baseline for bench/train: scikit-learn's HistGradientBoostingClassifier on the same files and machine.

200 iterations, 15 leaves, learning rate 0.05, no early stopping; merchant_category as a native categorical.
Prints one line of figures in the same shape as the C# side.
"""
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, roc_auc_score

train_path, holdout_path = sys.argv[1], sys.argv[2]
features = ["amount", "merchant_category", "hour", "day_of_week", "card_present", "distance_from_home_km",
            "txn_count_1h", "avg_amount_30d", "account_age_days", "foreign"]

t0 = time.perf_counter()
train = pd.read_csv(train_path)
holdout = pd.read_csv(holdout_path)
load_s = time.perf_counter() - t0

categories = sorted(train["merchant_category"].dropna().unique())
code = {c: i for i, c in enumerate(categories)}
def matrix(df):
    x = df[features].copy()
    x["merchant_category"] = x["merchant_category"].map(code).astype("float64")
    return x.to_numpy(dtype=np.float64)

x_train, y_train = matrix(train), train["is_fraud"].to_numpy()
x_holdout, y_holdout = matrix(holdout), holdout["is_fraud"].to_numpy()
mask = np.array([f == "merchant_category" for f in features])

model = HistGradientBoostingClassifier(max_iter=200, max_leaf_nodes=15, learning_rate=0.05, early_stopping=False,
                                       categorical_features=mask, random_state=0)
t0 = time.perf_counter()
model.fit(x_train, y_train)
fit_s = time.perf_counter() - t0
p = model.predict_proba(x_holdout)[:, 1]
print(f"sklearn-hgb  load_s={load_s:.2f} fit_s={fit_s:.2f} rows_per_s={len(y_train) / fit_s:,.0f} "
      f"roc_auc={roc_auc_score(y_holdout, p):.4f} pr_auc={average_precision_score(y_holdout, p):.4f}")
