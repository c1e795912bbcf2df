"""Document storage: uploads, downloads, previews and clean-up."""
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from flask import Flask, abort, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
log = logging.getLogger("files")

UPLOAD_DIR = "/srv/uploads"
ARCHIVE_DIR = "/srv/archive"
ALLOWED_EXT = {".pdf", ".png", ".jpg"}


def storage_path(name):
    return os.path.join(UPLOAD_DIR, name)


def confined(path):
    real = os.path.realpath(path)
    if not real.startswith(UPLOAD_DIR + os.sep):
        abort(400)
    return real


@app.route("/files/upload", methods=["POST"])
def upload():
    f = request.files["document"]
    name = secure_filename(f.filename)
    if os.path.splitext(name)[1] not in ALLOWED_EXT:
        abort(415)
    with open(os.path.join(UPLOAD_DIR, name), "wb") as out:  # safe: path-traversal
        out.write(f.read())
    log.info("stored upload %s", name)
    return {"name": name}, 201


@app.route("/files/raw-upload", methods=["POST"])
def raw_upload():
    f = request.files["document"]
    dest = os.path.join(UPLOAD_DIR, f.filename)
    f.save(dest)
    with open(dest + ".meta", "w") as meta:  # expect: path-traversal
        meta.write(request.headers.get("User-Agent", ""))
    return {"ok": True}


@app.route("/files/download")
def download():
    name = request.args["name"]
    return send_file(storage_path(name))  # expect: path-traversal


@app.route("/files/get/<path:filename>")
def get_file(filename):
    return send_from_directory(UPLOAD_DIR, filename)  # safe: path-traversal


@app.route("/files/thumb")
def thumbnail():
    name = os.path.basename(request.args.get("name", ""))
    return send_file(os.path.join(UPLOAD_DIR, "thumbs", name))  # safe: path-traversal


@app.route("/files/read")
def read_checked():
    path = confined(os.path.join(UPLOAD_DIR, request.args["name"]))
    with open(path, "rb") as fh:  # safe: path-traversal
        return fh.read()


@app.route("/files/text")
def read_text():
    name = request.args["name"]
    return Path(UPLOAD_DIR, name).read_text()  # expect: path-traversal


@app.route("/files/delete", methods=["POST"])
def delete():
    target = request.form["name"]
    os.remove(os.path.join(UPLOAD_DIR, target))  # expect: path-traversal
    return "", 204


@app.route("/files/archive", methods=["POST"])
def archive():
    name = request.form["name"]
    src, dst = storage_path(name), os.path.join(ARCHIVE_DIR, "latest.bin")
    shutil.copy(src, dst)  # expect: path-traversal
    return "", 204


@app.route("/files/report")
def report():
    kind = request.args.get("kind", "daily")
    kind = "daily"
    with open(os.path.join("/srv/reports", kind + ".csv")) as fh:  # safe: path-traversal
        return fh.read()


@app.route("/files/convert", methods=["POST"])
def convert():
    name = secure_filename(request.form["name"])
    fmt = request.form.get("format", "png")
    subprocess.run(["convert", os.path.join(UPLOAD_DIR, name), f"out.{fmt}"], check=True)  # safe: command-injection, shell-command-built
    subprocess.run(f"convert {UPLOAD_DIR}/{name} out.{fmt}", shell=True, check=True)  # expect: command-injection
    return "", 204


@app.route("/files/scan", methods=["POST"])
def virus_scan():
    name = request.form["name"]
    code = os.system("clamscan " + name)  # expect: command-injection
    return {"infected": code != 0}


@app.route("/files/count")
def count_files():
    out = subprocess.check_output("ls /srv/uploads | wc -l", shell=True)  # safe: command-injection, shell-command-built
    return {"count": int(out)}


@app.route("/files/scratch", methods=["POST"])
def scratch():
    path = tempfile.mktemp(suffix=".bin")  # expect: insecure-temp-file
    with tempfile.NamedTemporaryFile(suffix=".bin") as tmp:  # safe: insecure-temp-file
        tmp.write(request.get_data())
    return {"path": path}


def prune_old(days):
    for entry in os.scandir(ARCHIVE_DIR):
        if entry.stat().st_mtime < days:
            os.remove(entry.path)  # safe: path-traversal
