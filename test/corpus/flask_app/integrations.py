"""Calls to partner APIs and webhooks on behalf of users."""
import ipaddress
import logging
import os
import socket
import urllib.request
from urllib.parse import urlparse

import httpx
import requests
from flask import Flask, abort, jsonify, request

app = Flask(__name__)
log = logging.getLogger(__name__)

API_BASE = "https://api.partner.example.com"
ALLOWED_HOSTS = {"hooks.slack.com", "api.partner.example.com"}
STATUS_URL = f"{API_BASE}/v2/status"
TIMEOUT = 10


def fetch(url):
    return requests.get(url, timeout=TIMEOUT)  # expect: ssrf # safe: request-without-timeout


def is_public(host):
    try:
        addr = ipaddress.ip_address(socket.gethostbyname(host))
    except (OSError, ValueError):
        return False
    return addr.is_global


@app.route("/preview-link")
def preview_link():
    url = request.args["url"]
    resp = fetch(url)
    return jsonify({"status": resp.status_code, "title": resp.text[:100]})


@app.route("/partner/item/<item_id>")
def partner_item(item_id):
    resp = requests.get(f"{API_BASE}/items/{item_id}", timeout=TIMEOUT)  # safe: ssrf, request-without-timeout
    return jsonify(resp.json())


@app.route("/partner/status")
def partner_status():
    resp = requests.get(STATUS_URL)  # safe: ssrf # expect: request-without-timeout
    return jsonify(resp.json())


@app.route("/webhook/test", methods=["POST"])
def webhook_test():
    target = request.json.get("url", "")
    if urlparse(target).netloc not in ALLOWED_HOSTS:
        abort(400)
    resp = requests.post(target, json={"text": "ping"}, timeout=5)  # safe: ssrf, request-without-timeout
    return jsonify({"status": resp.status_code})


@app.route("/webhook/send", methods=["POST"])
def webhook_send():
    payload = request.get_json()
    hook = payload["hook_url"]
    body = {"text": payload.get("message", "")}
    resp = requests.post(hook, json=body, timeout=5)  # expect: ssrf
    return jsonify({"status": resp.status_code})


@app.route("/avatar/import", methods=["POST"])
def import_avatar():
    src = request.form["avatar_url"]
    with urllib.request.urlopen(src, timeout=10) as fh:  # expect: ssrf
        data = fh.read()
    return jsonify({"bytes": len(data)})


@app.route("/feeds/check")
def check_feed():
    feed = request.args.get("feed", "")
    r = httpx.get(feed, timeout=5.0)  # expect: ssrf
    return jsonify({"ok": r.is_success})


@app.route("/weather")
def weather():
    city = request.args.get("city", "Berlin")
    resp = requests.get(f"https://weather.example.com/api?city={city}", timeout=3)  # safe: ssrf
    return jsonify(resp.json())


@app.route("/mirror")
def mirror():
    url = request.args.get("url", "")
    url = API_BASE + "/mirror"
    resp = requests.get(url, timeout=3)  # safe: ssrf
    return resp.content


@app.route("/legacy/login", methods=["POST"])
def legacy_login():
    user = request.form["user"]
    pw = request.form["password"]
    r = requests.post("http://legacy.example.com/api/login", data={"user": user, "password": pw}, timeout=5)  # expect: cleartext-credentials
    s = requests.post("https://legacy.example.com/api/login", data={"user": user, "password": pw}, timeout=5)  # safe: cleartext-credentials
    return jsonify({"legacy": r.ok, "secure": s.ok})


def sync_inventory():
    token = os.environ["PARTNER_TOKEN"]
    resp = requests.get(API_BASE + "/inventory", headers={"Authorization": f"Bearer {token}"}, verify=False, timeout=30)  # expect: tls-verify-disabled # safe: ssrf
    log.info("inventory sync returned %s", resp.status_code)
    log.debug("sync used token %s", token)  # expect: secret-logged
    internal = os.environ.get("INVENTORY_URL", "http://inventory.internal/api")
    return requests.get(internal, timeout=30).json()  # safe: ssrf
