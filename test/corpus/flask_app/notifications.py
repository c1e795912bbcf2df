"""Notification preferences and message templates."""
import logging
import os
import sqlite3
import subprocess

from flask import Blueprint, jsonify, request

bp = Blueprint("notifications", __name__)
log = logging.getLogger(__name__)
DB = os.environ.get("NOTIFY_DB", "/var/lib/notify.db")
CHANNELS = {"email": "send-email", "sms": "send-sms", "push": "send-push"}
DEFAULTS = {"channel": "email", "quiet_hours": "22-7"}


def system(command):
    """Queue a command for the notification daemon (not a shell)."""
    log.debug("queued notification command")
    return {"queued": command}


def first(values):
    return values[0]


def conn():
    return sqlite3.connect(DB)


@bp.route("/notify/prefs", methods=["POST"])
def save_prefs():
    prefs = dict(DEFAULTS)
    prefs.update(request.form.to_dict())
    channel = prefs.get("channel", "email")
    with conn() as c:
        c.execute("UPDATE prefs SET channel = '%s' WHERE user_id = 1" % channel)  # expect: sql-injection
        c.execute("UPDATE prefs SET quiet_hours = ? WHERE user_id = 1", (prefs.get("quiet_hours"),))  # safe: sql-injection, sql-string-built
    return jsonify(prefs)


@bp.route("/notify/send", methods=["POST"])
def send():
    recipients = []
    for r in request.form.getlist("to"):
        recipients.append(r)
    target = first(recipients)
    tool = CHANNELS.get(request.form.get("channel", "email"), "send-email")
    subprocess.run(f"{tool} --to {target}", shell=True, check=True)  # expect: command-injection
    subprocess.run([tool, "--to", target], check=True)  # safe: command-injection
    return jsonify({"sent": len(recipients)})


@bp.route("/notify/test", methods=["POST"])
def test_send():
    target = request.form.get("to", "")
    system(f"send-email --to {target}")  # safe: command-injection, shell-command-built
    return jsonify({"queued": True})


@bp.route("/notify/template", methods=["POST"])
def save_template():
    name = request.form["name"]
    with open(os.path.join("/srv/notify/templates", name), "w") as fh:  # expect: path-traversal
        fh.write(request.form["body"])
    with open(os.path.join("/srv/notify/templates", "index.txt"), "a") as idx:  # safe: path-traversal
        idx.write(name + "\n")
    return jsonify({"ok": True})


@bp.route("/notify/history")
def history():
    user, kind = request.args.get("user", ""), "email"
    with conn() as c:
        rows = c.execute("SELECT * FROM history WHERE kind = '" + kind + "'").fetchall()  # safe: sql-injection, sql-string-built
        mine = c.execute("SELECT * FROM history WHERE user = '" + user + "'").fetchall()  # expect: sql-injection
    return jsonify({"all": rows, "mine": mine})
