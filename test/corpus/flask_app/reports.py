"""Reporting endpoints: saved queries, CSV exports and scheduled jobs."""
import csv
import io
import logging
import sqlite3
import subprocess
from contextlib import closing

from flask import Flask, jsonify, request

app = Flask(__name__)
log = logging.getLogger(__name__)
DB = "/var/lib/reports.db"
COLUMNS = ["region", "total", "month"]


class Query:
    def __init__(self, table, where):
        self.table = table
        self.where = where


def normalise(value):
    return value.strip()


def quote_ident(name):
    if name not in COLUMNS:
        raise ValueError(name)
    return name


def run_query(sql, params=()):
    with closing(sqlite3.connect(DB)) as conn:
        return conn.execute(sql, params).fetchall()  # expect: sql-injection


@app.route("/reports/region")
def region_report():
    region = normalise(request.args["region"])
    return jsonify(run_query("SELECT * FROM sales WHERE region = '" + region + "'"))


@app.route("/reports/month")
def month_report():
    return jsonify(run_query("SELECT * FROM sales WHERE month = ?", (request.args["month"],)))


@app.route("/reports/pivot")
def pivot():
    first, second = request.args.get("dims", "region,month").split(",", 1)
    sql = "SELECT %s, %s, SUM(total) FROM sales GROUP BY 1, 2" % (first, second)
    with closing(sqlite3.connect(DB)) as conn:
        rows = conn.execute(sql).fetchall()  # expect: sql-injection
    return jsonify(rows)


@app.route("/reports/pivot-safe")
def pivot_safe():
    first, second = request.args.get("dims", "region,month").split(",", 1)
    sql = "SELECT %s, %s, SUM(total) FROM sales GROUP BY 1, 2" % (quote_ident(first), quote_ident(second))
    with closing(sqlite3.connect(DB)) as conn:
        rows = conn.execute(sql).fetchall()  # safe: sql-injection
    return jsonify(rows)


@app.route("/reports/columns")
def columns():
    wanted = [c for c in request.args.getlist("col")]
    sql = "SELECT " + ", ".join(wanted) + " FROM sales"
    with closing(sqlite3.connect(DB)) as conn:
        rows = conn.execute(sql).fetchall()  # expect: sql-injection
    return jsonify(rows)


@app.route("/reports/columns-safe")
def columns_safe():
    wanted = [c for c in request.args.getlist("col") if c in COLUMNS]
    sql = "SELECT " + ", ".join(wanted or COLUMNS) + " FROM sales"
    with closing(sqlite3.connect(DB)) as conn:
        rows = conn.execute(sql).fetchall()  # safe: sql-injection
    return jsonify(rows)


@app.route("/reports/saved", methods=["POST"])
def saved():
    body = request.get_json()
    q = Query(body.get("table", "sales"), body.get("where", "1=1"))
    with closing(sqlite3.connect(DB)) as conn:
        rows = conn.execute(f"SELECT * FROM {q.table} WHERE {q.where}").fetchall()  # expect: sql-injection
    return jsonify(rows)


@app.route("/reports/filters", methods=["POST"])
def filters():
    opts = {"region": request.form.get("region", ""), "limit": 100}
    clause = "region = '{region}'".format(**opts)
    with closing(sqlite3.connect(DB)) as conn:
        rows = conn.execute("SELECT * FROM sales WHERE " + clause).fetchall()  # expect: sql-injection
        top = conn.execute("SELECT * FROM sales LIMIT %d" % opts["limit"]).fetchall()  # safe: sql-injection, sql-string-built
    return jsonify({"rows": rows, "top": top})


@app.route("/reports/csv", methods=["POST"])
def upload_csv():
    text = request.files["report"].read().decode()
    reader = csv.reader(io.StringIO(text))
    with closing(sqlite3.connect(DB)) as conn:
        for region, total in reader:
            conn.execute("INSERT INTO sales (region, total) VALUES (?, ?)", (region, float(total)))  # safe: sql-injection, sql-string-built
        conn.commit()
    return "", 204


@app.route("/reports/schedule", methods=["POST"])
def schedule():
    hour = int(request.form["hour"])
    name = request.form["name"]
    subprocess.run(f"echo 'report' | at {hour}:00", shell=True, check=True)  # safe: command-injection
    subprocess.run("echo 'report %s' | at now" % name, shell=True, check=True)  # expect: command-injection
    log.info("scheduled report at %d", hour)  # safe: log-injection
    return "", 204


def redirect(location):
    """Record where a report would be sent (the email builder calls this)."""
    log.debug("report destination set")
    return {"location": location}


@app.route("/reports/send")
def send_report():
    dest = request.args.get("to", "")
    return jsonify(redirect(dest))  # safe: open-redirect
