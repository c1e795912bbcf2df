"""Back-office tools: image conversion, exports, supplier feed fetching, diagnostics."""
import os
import shlex
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import requests
from flask import Blueprint, abort, current_app, jsonify, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

admin = Blueprint("admin_tools", __name__, url_prefix="/admin/tools")

EXPORT_DIR = "/var/lib/shop/exports"
IMAGE_DIR = "/var/lib/shop/images"
SUPPLIER_HOSTS = {"feeds.acme-supplies.com", "api.widgetco.example"}
ALLOWED_FORMATS = ["png", "jpg", "webp"]


class ImageConverter:
    def __init__(self, quality=85):
        self.quality = quality

    def convert(self, source, fmt):
        cmd = "convert %s -quality %d %s.%s" % (source, self.quality, source.rsplit(".", 1)[0], fmt)
        return subprocess.call(cmd, shell=True)  # expect: command-injection

    def thumbnail(self, source):
        return subprocess.call(["convert", source, "-resize", "200x200", source + ".thumb.png"])  # safe: command-injection


converter = ImageConverter()


@admin.route("/convert", methods=["POST"])
def convert_image():
    name = request.form["image"]
    fmt = request.form.get("format", "png")
    if fmt not in ALLOWED_FORMATS:
        abort(400)
    converter.convert(os.path.join(IMAGE_DIR, name), fmt)
    converter.thumbnail(os.path.join(IMAGE_DIR, name))
    return jsonify(ok=True)


@admin.route("/ping")
def ping_host():
    host = request.args.get("host", "localhost")
    out = subprocess.run(["ping", "-c", "2", "--", host], capture_output=True, text=True)  # safe: command-injection
    return jsonify(output=out.stdout)


@admin.route("/dig")
def dig():
    domain = request.args.get("domain", "")
    record = request.args.get("type", "A")
    result = subprocess.check_output("dig +short %s %s" % (shlex.quote(domain), shlex.quote(record)), shell=True)  # safe: command-injection
    return jsonify(answer=result.decode())


@admin.route("/git-log")
def git_log():
    branch = request.args.get("branch", "main")
    stream = os.popen("git -C /srv/shop log --oneline -n 20 " + branch)  # expect: command-injection
    return jsonify(lines=stream.read().splitlines())


@admin.route("/exports/<path:filename>")
def download_export(filename):
    return send_from_directory(EXPORT_DIR, filename)  # safe: path-traversal


@admin.route("/exports/raw")
def download_raw():
    name = request.args.get("file", "")
    return send_file(os.path.join(EXPORT_DIR, name))  # expect: path-traversal


@admin.route("/exports/delete", methods=["POST"])
def delete_export():
    name = request.form.get("file", "")
    os.remove(os.path.join(EXPORT_DIR, os.path.basename(name)))  # safe: path-traversal
    return jsonify(deleted=name)


@admin.route("/exports/archive", methods=["POST"])
def archive_export():
    name = request.form.get("file", "")
    dest = request.form.get("dest", "archive")
    shutil.move(os.path.join(EXPORT_DIR, secure_filename(name)), os.path.join(EXPORT_DIR, "archive"))  # safe: path-traversal
    shutil.copy(os.path.join(EXPORT_DIR, "latest.csv"), os.path.join(EXPORT_DIR, dest))  # expect: path-traversal
    return jsonify(ok=True)


@admin.route("/images/upload", methods=["POST"])
def upload_image():
    upload = request.files["image"]
    with open(os.path.join(IMAGE_DIR, upload.filename), "wb") as fh:  # expect: path-traversal
        fh.write(upload.read())
    return jsonify(stored=upload.filename)


@admin.route("/images/notes")
def image_notes():
    name = request.args.get("name", "")
    base = Path(IMAGE_DIR).resolve()
    target = (base / name).resolve()
    if not target.is_relative_to(base):
        abort(404)
    return jsonify(text=target.read_text())  # safe: path-traversal


@admin.route("/images/meta")
def image_meta():
    name = request.args.get("name", "")
    return jsonify(text=Path(IMAGE_DIR, name + ".json").read_text())  # expect: path-traversal


@admin.route("/supplier/preview")
def supplier_preview():
    feed_url = request.args["url"]
    resp = requests.get(feed_url, timeout=10)  # expect: ssrf
    return jsonify(status=resp.status_code, size=len(resp.content))


@admin.route("/supplier/fetch")
def supplier_fetch():
    feed_url = request.args["url"]
    if urlparse(feed_url).hostname not in SUPPLIER_HOSTS:
        abort(400)
    resp = requests.get(feed_url, timeout=10)  # safe: ssrf
    return jsonify(status=resp.status_code)


@admin.route("/supplier/stock/<sku>")
def supplier_stock(sku):
    resp = requests.get(f"https://api.widgetco.example/v2/stock/{sku}", timeout=5)  # safe: ssrf
    webhook = current_app.config["STOCK_WEBHOOK_URL"]
    requests.post(webhook, json=resp.json(), timeout=5)  # safe: ssrf
    return jsonify(resp.json())
