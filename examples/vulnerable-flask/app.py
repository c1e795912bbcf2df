"""A deliberately vulnerable Flask app: every handler here is a textbook mistake.

Used by pysec's quick start (`npx pysec scan examples/vulnerable-flask`) and its tests.
Never deploy this.
"""
import hashlib
import os
import pickle
import random
import sqlite3
import string
import subprocess
import tempfile

import requests
import yaml
from flask import Flask, Markup, redirect, request, send_file
from jinja2 import Environment

app = Flask(__name__)
app.config["SECRET_KEY"] = "s3cr3t-k3y-d0-n0t-sh1p-9f8e7d6c"

AWS_ACCESS_KEY_ID = "AKIAZ3MPLEQ7KX2TWD4N"
templates = Environment(autoescape=False)


def get_db():
    return sqlite3.connect("app.db")


@app.route("/user")
def user():
    name = request.args.get("name")
    cur = get_db().cursor()
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
    return str(cur.fetchall())


@app.route("/ping")
def ping():
    host = request.args.get("host")
    return subprocess.check_output("ping -c 1 " + host, shell=True)


@app.route("/calc")
def calc():
    return str(eval(request.args["expr"]))


@app.route("/load", methods=["POST"])
def load():
    return str(pickle.loads(request.data))


@app.route("/config", methods=["POST"])
def config():
    return str(yaml.load(request.data))


@app.route("/next")
def next_page():
    return redirect(request.args.get("url"))


@app.route("/download")
def download():
    return send_file(os.path.join("uploads", request.args["file"]))


@app.route("/hello")
def hello():
    return Markup("<h1>Hello " + request.args.get("name", "") + "</h1>")


@app.route("/register", methods=["POST"])
def register():
    password = request.form["password"]
    digest = hashlib.md5(password.encode()).hexdigest()
    get_db().execute("INSERT INTO users (pw) VALUES (?)", (digest,))
    return "ok"


def reset_token():
    token = "".join(random.choice(string.ascii_letters) for _ in range(32))
    return token


def fetch_feed():
    return requests.get("https://example.com/feed", verify=False).text


def scratch_file():
    return tempfile.mktemp()


if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
