"""Integration hooks: link previews, avatar mirroring, CI triggers and status callbacks."""
import logging
import os
import subprocess
import urllib.request

import flask as fl
import requests as http
from flask import request as req

app = fl.Flask(__name__)
logger = logging.getLogger("integrations")
session_http = http.Session()

AVATAR_DIR = "/srv/integrations/avatars"
PIPELINES = {"build": "ci/build.sh", "deploy": "ci/deploy.sh"}


def fetch_preview(link):
    resp = session_http.get(link, timeout=5)  # expect: ssrf
    return resp.text[:500]


def mirror_avatar(url, name):
    data = urllib.request.urlopen(url, timeout=5).read()  # expect: ssrf
    with open(AVATAR_DIR + "/" + name, "wb") as fh:  # expect: path-traversal
        fh.write(data)
    return name


def run_pipeline(script, ref):
    return subprocess.Popen(f"bash {script} --ref {ref}", shell=True)  # expect: command-injection


@app.post("/preview")
def preview():
    urls = req.get_json().get("urls", [])
    previews = {u: fetch_preview(u) for u in urls[:3]}
    return fl.jsonify(previews)


@app.post("/avatars/mirror")
def avatars_mirror():
    form = req.form.to_dict()
    mirror_avatar(form["avatar_url"], form["username"] + ".png")
    return fl.jsonify(ok=True)


@app.post("/ci/trigger")
def ci_trigger():
    payload = req.get_json(silent=True) or {}
    script = PIPELINES.get(payload.get("pipeline"), "ci/build.sh")
    ref = payload.get("ref", "main")
    logger.info("trigger %s for ref %s", script, ref)  # expect: log-injection
    run_pipeline(script, ref)
    return fl.jsonify(queued=True)


@app.post("/ci/trigger/safe")
def ci_trigger_safe():
    payload = req.get_json(silent=True) or {}
    script = PIPELINES.get(payload.get("pipeline"), "ci/build.sh")
    ref = payload.get("ref", "main")
    subprocess.Popen(["bash", script, "--ref", ref])  # safe: command-injection
    return fl.jsonify(queued=True)


@app.get("/status/<service>")
def status(service):
    callback = req.args.get("callback", "")
    resp = http.get("https://status.internal.example/api/v1/" + service, timeout=3)  # safe: ssrf
    if callback:
        http.post(callback, json=resp.json(), timeout=3)  # expect: ssrf
    return fl.jsonify(resp.json())


@app.get("/avatars/<path:name>")
def avatar(name):
    return fl.send_from_directory(AVATAR_DIR, name)  # safe: path-traversal


@app.get("/avatars/by-query")
def avatar_by_query():
    name = req.args.get("name", "")
    return fl.send_file(os.path.join(AVATAR_DIR, name))  # expect: path-traversal


@app.get("/avatars/list")
def avatar_list():
    sub = req.args.get("dir", "")
    entries = os.listdir(AVATAR_DIR)
    return "<ul>" + "".join("<li>%s</li>" % e for e in entries) + "</ul><p>in %s</p>" % sub  # expect: reflected-xss


@app.get("/echo-header")
def echo_header():
    agent = req.headers.get("User-Agent", "")
    resp = fl.make_response("ok")
    resp.headers["X-Seen-Agent"] = agent  # expect: header-injection
    logger.info("agent %s", agent)  # expect: log-injection
    return resp


@app.post("/webhook/github")
def github_webhook():
    event = req.headers.get("X-GitHub-Event", "")
    delivery = req.headers.get("X-GitHub-Delivery", "")
    logger.info("github event %s delivery %s", event, delivery)  # expect: log-injection
    if event == "ping":
        return fl.jsonify(pong=True)
    repo_name = req.get_json()["repository"]["full_name"]
    fl.session["last_repo"] = repo_name  # expect: trust-boundary-violation
    return fl.redirect(req.args.get("then", "/"))  # expect: open-redirect
