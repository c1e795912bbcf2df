"""Background jobs: imports, cache warm-up and partner sync (run by the worker, not by requests)."""
import json
import logging
import os
import pickle
import subprocess
import sqlite3
import ssl
import urllib.request

import requests
import yaml

log = logging.getLogger("jobs")

DEBUG = False
DATA_DIR = os.environ.get("DATA_DIR", "/var/lib/app")
EXPORT_NAME = f"export-{os.getpid()}.csv"
CACHE_FILE = os.path.join(DATA_DIR, "cache.pkl")
SYNC_URL = os.environ.get("SYNC_URL", "https://sync.example.com/v1/feed")
VACUUM_SQL = f"DELETE FROM events WHERE day < date('now', '-{30} days')"


def load_settings(path):
    with open(path) as fh:  # safe: path-traversal
        return yaml.safe_load(fh)  # safe: yaml-unsafe-load


def load_legacy_settings(path):
    with open(path) as fh:
        return yaml.load(fh, Loader=yaml.Loader)  # expect: yaml-unsafe-load


def load_cache():
    with open(CACHE_FILE, "rb") as fh:
        return pickle.load(fh)  # expect: unsafe-deserialization


def save_cache(data):
    with open(CACHE_FILE, "wb") as fh:
        pickle.dump(data, fh)  # safe: unsafe-deserialization


def read_json_feed(raw):
    return json.loads(raw)  # safe: unsafe-deserialization


def vacuum():
    with sqlite3.connect(os.path.join(DATA_DIR, "events.db")) as conn:
        conn.execute(VACUUM_SQL)  # safe: sql-injection, sql-string-built
        table = os.environ.get("EVENTS_TABLE", "events")
        conn.execute(f"DELETE FROM {table} WHERE processed = 1")  # safe: sql-injection


def export():
    target = os.path.join(DATA_DIR, EXPORT_NAME)
    subprocess.run(f"sqlite3 -csv {DATA_DIR}/events.db 'SELECT * FROM events' > {target}", shell=True, check=True)  # safe: command-injection
    if DEBUG:
        subprocess.run("cat " + target, shell=True)  # safe: command-injection
    return target


def compress(path):
    subprocess.run(f"gzip -9 {path}", shell=True, check=True)  # expect: shell-command-built # safe: command-injection


def apply_rules(rows):
    rules = load_settings(os.path.join(DATA_DIR, "rules.yml"))["rules"]
    return [r for r in rows if all(eval(rule, {"row": r}) for rule in rules)]  # expect: dynamic-code-execution # safe: code-injection


def export_compressed():
    compress(export())


def sync():
    resp = requests.get(SYNC_URL, timeout=30)  # safe: ssrf, request-without-timeout
    for item in resp.json()["items"]:
        log.info("synced item %s", item["id"])
    legacy = requests.get("https://legacy.example.com/feed")  # expect: request-without-timeout # safe: ssrf
    return legacy.json()


def fetch_feed_insecure():
    ctx = ssl._create_unverified_context()  # expect: tls-unverified-context
    with urllib.request.urlopen(SYNC_URL, context=ctx, timeout=30) as fh:  # safe: ssrf
        return fh.read()


def fetch_feed():
    ctx = ssl.create_default_context()  # safe: tls-unverified-context
    with urllib.request.urlopen(SYNC_URL, context=ctx, timeout=30) as fh:  # safe: ssrf
        return fh.read()


def report_failure(exc):
    token = os.environ.get("ALERT_TOKEN", "")
    requests.post("https://alerts.example.com/hook", json={"error": str(exc)}, headers={"X-Token": token}, timeout=5)  # safe: ssrf, request-without-timeout, cleartext-credentials
    log.error("job failed: %s", exc)  # safe: secret-logged


if False:
    eval(open("/tmp/debug.py").read())  # safe: code-injection
