#!/usr/bin/env python3
"""Starts the AppHost (local mode) and times how long each resource takes to become ready.

Prints, per resource, seconds from process start to Running/Healthy (or Finished for run-to-completion ones), and the
time until every resource that starts with the application is ready ("all healthy"; serving is healthy only once a
model is in production, so a cold start includes the first training).
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


OUT_DIR = os.environ.get("OUT_DIR", ".")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ready(snapshot):
    if snapshot.get("isExplicitStart") and snapshot["state"] == "NotStarted":
        return True
    if snapshot["resourceType"] == "Parameter":
        return True
    if snapshot["state"] == "Finished":
        return snapshot.get("exitCode") == 0
    # A run-to-completion resource is ready when it has finished, not while it runs.
    return not snapshot.get("isExplicitStart") and snapshot["state"] == "Running" and snapshot.get("health") == "Healthy"


def run(apphost_dll, data_dir, rows, timeout):
    dash, mlflow, serving, grpc, http = (free_port() for _ in range(5))
    token = "bench"
    args = ["dotnet", apphost_dll, f"--AppHost:DataDirectory={data_dir}", f"--Dashboard:Url=http://127.0.0.1:{dash}",
            f"--Dashboard:BrowserToken={token}", f"--Ports:mlflow={mlflow}", f"--Ports:serving={serving}",
            f"--Dashboard:OtlpGrpcUrl=http://127.0.0.1:{grpc}", f"--Dashboard:OtlpHttpUrl=http://127.0.0.1:{http}",
            f"--Training:Rows={rows}", "--runtime", "local"]
    log = open(os.path.join(OUT_DIR, f"apphost-{int(time.time())}.log"), "w")
    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    firsts = {}
    trainer_done = None
    try:
        while time.monotonic() - start < timeout:
            if proc.poll() is not None:
                raise SystemExit(f"AppHost exited with {proc.returncode}; see {log.name}")
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{dash}/api/resources",
                                             headers={"Authorization": f"Bearer {token}"})
                resources = json.load(urllib.request.urlopen(req, timeout=2))
            except OSError:
                time.sleep(0.1)
                continue
            now = time.monotonic() - start
            for r in resources:
                if ready(r) and r["name"] not in firsts and not (r.get("isExplicitStart") and r["state"] == "NotStarted"):
                    firsts[r["name"]] = now
                if r["name"] == "trainer" and r["state"] == "Finished" and trainer_done is None:
                    trainer_done = now
                if r["state"] == "FailedToStart":
                    raise SystemExit(f"{r['name']} failed to start: {r.get('reason')}")
            if resources and all(ready(r) for r in resources) and "serving" in firsts:
                return now, firsts, trainer_done
            time.sleep(0.1)
        raise SystemExit(f"not all healthy within {timeout}s; see {log.name}")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    apphost_dll, data_dir, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    results = {}
    for label in ("cold", "warm"):
        total, firsts, trainer = run(apphost_dll, data_dir, rows, timeout=900)
        results[label] = total
        detail = ", ".join(f"{k} {v:.1f}s" for k, v in sorted(firsts.items(), key=lambda kv: kv[1]))
        print(f"{label:5s} start: {detail}" + (f"; first training finished at {trainer:.1f}s" if trainer else ""))
    print(f"cold start to all healthy: {results['cold']:.1f} s (empty .mlops/, includes data generation and the first training, {rows:,} rows)")
    print(f"warm start to all healthy: {results['warm']:.1f} s (same .mlops/, model already in production)")


if __name__ == "__main__":
    main()
