"""User directory: search, profiles and account settings."""
import logging
import sqlite3

from flask import Blueprint, abort, g, jsonify, request, session
from werkzeug.security import generate_password_hash

bp = Blueprint("users", __name__)
log = logging.getLogger(__name__)

DB_PATH = "/var/lib/app/users.db"
SORTABLE = {"name": "name", "joined": "created_at", "email": "email"}
PAGE_SIZE = 50


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(DB_PATH)
    return g.db


def find_by_name(name):
    cur = get_db().cursor()
    cur.execute("SELECT id, name, email FROM users WHERE name = '%s'" % name)  # expect: sql-injection
    return cur.fetchall()


def find_by_email(email):
    cur = get_db().cursor()
    cur.execute("SELECT id, name FROM users WHERE email = ?", (email,))  # safe: sql-injection, sql-string-built
    return cur.fetchone()


def count_rows(table):
    cur = get_db().cursor()
    cur.execute(f"SELECT COUNT(*) FROM {table}")  # safe: sql-injection
    return cur.fetchone()[0]


@bp.route("/users/search")
def search():
    term = request.args.get("q", "")
    log.info("user search for %s", term)  # expect: log-injection
    rows = find_by_name(term)
    return jsonify(rows)


@bp.route("/users/by-email")
def by_email():
    row = find_by_email(request.args["email"])
    if row is None:
        abort(404)
    return jsonify({"id": row[0], "name": row[1]})


@bp.route("/users/stats")
def stats():
    return jsonify({"users": count_rows("users"), "teams": count_rows("teams")})


@bp.route("/users/list")
def list_users():
    order = request.args.get("sort", "name")
    column = SORTABLE.get(order, "name")
    page = int(request.args.get("page", "1"))
    cur = get_db().cursor()
    cur.execute(f"SELECT id, name FROM users ORDER BY {column} LIMIT {PAGE_SIZE} OFFSET {page * PAGE_SIZE}")  # safe: sql-injection
    return jsonify(cur.fetchall())


@bp.route("/users/filter")
def filter_users():
    clauses = []
    params = []
    for field in ("name", "email", "team"):
        value = request.args.get(field)
        if value:
            clauses.append(f"{field} = ?")
            params.append(value)
    where = " AND ".join(clauses) or "1=1"
    cur = get_db().cursor()
    cur.execute("SELECT id, name FROM users WHERE " + where, params)  # safe: sql-injection
    return jsonify(cur.fetchall())


@bp.route("/users/export")
def export_users():
    fields = request.args.get("fields", "id,name")
    columns = ", ".join(c.strip() for c in fields.split(","))
    cur = get_db().cursor()
    cur.execute("SELECT {} FROM users".format(columns))  # expect: sql-injection
    return jsonify(cur.fetchall())


@bp.route("/users/<username>")
def profile(username):
    cur = get_db().cursor()
    cur.execute("SELECT bio FROM users WHERE name = '" + username + "'")  # expect: sql-injection
    return jsonify({"bio": cur.fetchone()})


@bp.route("/users/<int:user_id>/card")
def card(user_id):
    cur = get_db().cursor()
    cur.execute(f"SELECT name, bio FROM users WHERE id = {user_id}")  # safe: sql-injection
    return jsonify(cur.fetchone())


@bp.route("/settings/theme", methods=["POST"])
def set_theme():
    theme = request.form.get("theme", "light")
    session["theme"] = theme  # expect: trust-boundary-violation
    return "", 204


@bp.route("/settings/lang", methods=["POST"])
def set_lang():
    lang = request.form.get("lang", "en")
    if lang not in ("en", "de", "fr"):
        lang = "en"
    session["lang"] = lang  # safe: trust-boundary-violation
    return "", 204


@bp.route("/login", methods=["POST"])
def login():
    name = request.form["username"]
    row = find_by_email(request.form["email"])
    if row is None:
        log.warning("failed login for %s", name.replace("\n", "").replace("\r", ""))  # safe: log-injection
        abort(401)
    session["user_id"] = row[0]  # safe: trust-boundary-violation
    log.info("login ok for user id %d", row[0])  # safe: log-injection
    return jsonify({"ok": True})


@bp.route("/register", methods=["POST"])
def register():
    password = request.form["password"]
    email = request.form["email"]
    db = get_db()
    db.execute("INSERT INTO users (email, pw_hash) VALUES (?, ?)", (email, generate_password_hash(password)))  # safe: sql-injection, plaintext-password-stored
    db.commit()
    log.info("registered a new account")  # safe: log-injection, secret-logged
    return jsonify({"ok": True}), 201
