"""Writes the bench request bodies from the generated CSV and the model card: one row, and a batch of N rows.

Standard library only. Numeric features become JSON numbers (null when empty), categorical ones strings (null when
empty), exactly the inputs the model card lists, so the bodies fit whatever model the trainer produced.
"""
import csv
import json
import sys

csv_path, card_path, out_dir, batch_rows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with open(card_path, encoding="utf-8") as f:
    features = json.load(f)["features"]

rows = []
with open(csv_path, newline="", encoding="utf-8") as f:
    for record in csv.DictReader(f):
        row = {}
        for feature in features:
            text = record.get(feature["name"], "")
            if text == "":
                row[feature["name"]] = None
            elif feature["type"] == "numeric":
                row[feature["name"]] = float(text)
            else:
                row[feature["name"]] = text
        rows.append(row)
        if len(rows) >= batch_rows:
            break

with open(f"{out_dir}/single.json", "w", encoding="utf-8") as f:
    json.dump(rows[0], f)
with open(f"{out_dir}/batch.json", "w", encoding="utf-8") as f:
    json.dump({"instances": rows}, f)
print(f"bodies: 1 row and {len(rows)} rows of {len(features)} inputs")
