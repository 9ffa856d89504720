"""Talks to a tracking server the way MLflow's Python client (RestStore) does: GET arguments in the
query string (lists as repeated keys), POST bodies as JSON, int64 fields as JSON numbers, run_uuid
sent beside run_id, the token as the Basic-auth password, artifacts through the proxied artifact API.
Exits non-zero with a message on the first answer that an MLflow client would not accept."""

import json
import sys
import time

import requests

BASE = sys.argv[1].rstrip("/")
TOKEN = sys.argv[2] if len(sys.argv) > 2 else None
session = requests.Session()
if TOKEN:
    session.auth = ("mlflow-user", TOKEN)


def call(method, endpoint, body=None, expect=200):
    url = f"{BASE}/api/2.0/mlflow/{endpoint}"
    if method == "GET":
        response = session.get(url, params=body)
    else:
        response = session.request(method, url, json=body)
    if response.status_code != expect:
        sys.exit(f"{method} {endpoint}: expected {expect}, got {response.status_code}: {response.text}")
    return response.json()


def check(condition, message):
    if not condition:
        sys.exit(message)


now = int(time.time() * 1000)
name = f"py-client-{now}"
created = call("POST", "experiments/create", {"name": name, "tags": [{"key": "team", "value": "ml"}]})
experiment_id = created["experiment_id"]
check(isinstance(experiment_id, str), f"experiment_id must be a string, got {created!r}")

got = call("GET", "experiments/get-by-name", {"experiment_name": name})["experiment"]
check(got["name"] == name and got["lifecycle_stage"] == "active", f"get-by-name: {got!r}")
check({"key": "team", "value": "ml"} in got.get("tags", []), f"experiment tags: {got!r}")

duplicate = call("POST", "experiments/create", {"name": name}, expect=400)
check(duplicate["error_code"] == "RESOURCE_ALREADY_EXISTS", f"duplicate experiment: {duplicate!r}")

run = call(
    "POST",
    "runs/create",
    {
        "experiment_id": experiment_id,
        "user_id": "alice",
        "start_time": now,
        "run_name": "py-run",
        "tags": [{"key": "mlflow.source.name", "value": "train.py"}],
    },
)["run"]
info = run["info"]
run_id = info["run_id"]
check(info["run_uuid"] == run_id and info["status"] == "RUNNING", f"runs/create info: {info!r}")
check(info["artifact_uri"] == f"mlflow-artifacts:/{experiment_id}/{run_id}/artifacts", f"artifact_uri: {info!r}")
check(isinstance(info["start_time"], int), f"start_time must be a number: {info!r}")

call("POST", "runs/log-parameter", {"run_id": run_id, "run_uuid": run_id, "key": "lr", "value": "0.1"})
conflict = call("POST", "runs/log-parameter", {"run_id": run_id, "run_uuid": run_id, "key": "lr", "value": "0.2"}, expect=400)
check(conflict["error_code"] == "INVALID_PARAMETER_VALUE", f"param overwrite: {conflict!r}")

metrics = [{"key": "loss", "value": 1.0 / (step + 1), "timestamp": now + step, "step": step} for step in range(50)]
call("POST", "runs/log-batch", {"run_id": run_id, "metrics": metrics, "params": [{"key": "depth", "value": "6"}], "tags": [{"key": "stage", "value": "dev"}]})
call("POST", "runs/log-batch", {"run_id": run_id, "metrics": metrics})  # a retried batch
call("POST", "runs/log-metric", {"run_id": run_id, "run_uuid": run_id, "key": "acc", "value": 0.9, "timestamp": now, "step": 3})
call("POST", "runs/set-tag", {"run_id": run_id, "run_uuid": run_id, "key": "stage", "value": "prod"})

history = call("GET", "metrics/get-history", {"run_id": run_id, "run_uuid": run_id, "metric_key": "loss"})
check(len(history["metrics"]) == 50, f"history has {len(history['metrics'])} points, expected 50 (no duplicates)")

data = call("GET", "runs/get", {"run_id": run_id, "run_uuid": run_id})["run"]["data"]
latest = {m["key"]: m for m in data["metrics"]}
check(latest["loss"]["step"] == 49 and abs(latest["loss"]["value"] - 1 / 50) < 1e-12, f"latest loss: {latest!r}")
check({"key": "lr", "value": "0.1"} in data["params"], f"params: {data['params']!r}")
check({"key": "stage", "value": "prod"} in data["tags"], f"tags: {data['tags']!r}")

found = call(
    "POST",
    "runs/search",
    {"experiment_ids": [experiment_id], "filter": "metrics.acc > 0.5 and params.lr = '0.1'", "run_view_type": "ACTIVE_ONLY", "max_results": 1000, "order_by": ["metrics.acc DESC"]},
)
check([r["info"]["run_id"] for r in found.get("runs", [])] == [run_id], f"runs/search: {found!r}")
bad = call("POST", "runs/search", {"experiment_ids": [experiment_id], "filter": "metrics.acc >> 1"}, expect=400)
check(bad["error_code"] == "INVALID_PARAMETER_VALUE", f"bad filter: {bad!r}")

listed = call("GET", "experiments/search", {"max_results": 10, "view_type": "ACTIVE_ONLY"})
check(any(e["name"] == name for e in listed["experiments"]), f"experiments/search: {listed!r}")

artifact_base = f"{BASE}/api/2.0/mlflow-artifacts/artifacts/{experiment_id}/{run_id}/artifacts"
put = session.put(f"{artifact_base}/model/weights.bin", data=b"\x00\x01weights" * 1000)
check(put.status_code == 200, f"artifact upload: {put.status_code} {put.text}")
listing = session.get(f"{BASE}/api/2.0/mlflow-artifacts/artifacts", params={"path": f"{experiment_id}/{run_id}/artifacts/model"})
check(listing.json().get("files") == [{"path": "weights.bin", "is_dir": False, "file_size": 9000}], f"artifact listing: {listing.text}")
download = session.get(f"{artifact_base}/model/weights.bin")
check(download.content == b"\x00\x01weights" * 1000, "artifact download differs from upload")
tracking_list = call("GET", "artifacts/list", {"run_id": run_id, "run_uuid": run_id})
check(tracking_list["files"] == [{"path": "model", "is_dir": True}], f"artifacts/list: {tracking_list!r}")
hostile = session.get(f"{BASE}/api/2.0/mlflow-artifacts/artifacts/{experiment_id}/{run_id}/artifacts/%2e%2e/%2e%2e/secret")
check(hostile.status_code == 400, f"hostile artifact path answered {hostile.status_code}")

updated = call("POST", "runs/update", {"run_id": run_id, "run_uuid": run_id, "status": "FINISHED", "end_time": now + 1000})
check(updated["run_info"]["status"] == "FINISHED", f"runs/update: {updated!r}")
missing = call("GET", "runs/get", {"run_id": "0" * 32}, expect=404)
check(missing["error_code"] == "RESOURCE_DOES_NOT_EXIST", f"missing run: {missing!r}")

# Registering the run's model as MLflow's client does: create the model, then a version whose
# source is the run's artifact, then move an alias and read the version back through it.
model_name = f"py-model-{now}"
registered = call("POST", "registered-models/create", {"name": model_name})["registered_model"]
check(registered["name"] == model_name, f"registered-models/create: {registered!r}")
version = call("POST", "model-versions/create", {"name": model_name, "source": f"runs:/{run_id}/model", "run_id": run_id})["model_version"]
check(version["version"] == "1" and version["status"] == "READY" and version["current_stage"] == "None", f"model-versions/create: {version!r}")
proxied = call("POST", "model-versions/create", {"name": model_name, "source": f"{info['artifact_uri']}/model", "run_id": run_id})["model_version"]
check(proxied["version"] == "2", f"second version: {proxied!r}")
local = call("POST", "model-versions/create", {"name": model_name, "source": "/etc/passwd"}, expect=400)
check(local["error_code"] == "INVALID_PARAMETER_VALUE" and "'source'" in local["message"], f"local source: {local!r}")
call("POST", "registered-models/alias", {"name": model_name, "alias": "champion", "version": "2"})
by_alias = call("GET", "registered-models/alias", {"name": model_name, "alias": "champion"})["model_version"]
check(by_alias["version"] == "2" and by_alias["aliases"] == ["champion"], f"get-by-alias: {by_alias!r}")
uri = call("GET", "model-versions/get-download-uri", {"name": model_name, "version": "2"})["artifact_uri"]
check(uri == f"{info['artifact_uri']}/model", f"get-download-uri: {uri!r}")
call("DELETE", "registered-models/alias", {"name": model_name, "alias": "champion"})
call("GET", "registered-models/alias", {"name": model_name, "alias": "champion"}, expect=404)
searched = call("GET", "model-versions/search", {"filter": f"name = '{model_name}'"})
check([v["version"] for v in searched["model_versions"]] == ["2", "1"], f"model-versions/search: {searched!r}")

print(json.dumps({"experiment_id": experiment_id, "run_id": run_id}))
