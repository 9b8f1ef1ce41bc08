"""The baseline bench/serve compares against: FastAPI + uvicorn (one worker), a scikit-learn
GradientBoostingClassifier trained on the same generated CSV, and per request a one-row pandas DataFrame and
predict_proba -- the usual way a Python model is put behind HTTP.

usage: fastapi_baseline.py CSV MODEL_CARD PORT [TRAIN_ROWS]
"""
import json
import sys
import time

import pandas as pd
import uvicorn
from fastapi import FastAPI
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

csv_path, card_path, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
train_rows = int(sys.argv[4]) if len(sys.argv) > 4 else 50_000
with open(card_path, encoding="utf-8") as f:
    card = json.load(f)
names = [feature["name"] for feature in card["features"]]
categorical = [feature["name"] for feature in card["features"] if feature["type"] == "categorical"]
numeric = [name for name in names if name not in categorical]

frame = pd.read_csv(csv_path, nrows=train_rows)
label = frame[card["label"]]
positive = card["positive_value"]
try:
    y = (pd.to_numeric(label, errors="coerce") == float(positive)).astype(int)
except ValueError:
    y = (label.astype(str) == positive).astype(int)


def prepare(x):
    x = x[names].copy()
    x[categorical] = x[categorical].fillna("").astype(str)
    return x


started = time.time()
model = Pipeline([
    ("prep", ColumnTransformer([
        ("num", SimpleImputer(strategy="median"), numeric),
        ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
    ])),
    ("gb", GradientBoostingClassifier(n_estimators=100, max_depth=3, random_state=0)),
])
model.fit(prepare(frame), y)
print(f"fastapi baseline: trained on {len(frame)} rows in {time.time() - started:.1f}s", file=sys.stderr, flush=True)

app = FastAPI()


@app.get("/health")
def health():
    return {"status": "healthy"}


@app.post("/predict")
def predict(row: dict):
    one = prepare(pd.DataFrame([row], columns=names))
    probability = float(model.predict_proba(one)[0, 1])
    return {"prediction": int(probability >= 0.5), "probability": probability}


uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
