"""Product catalogue blueprint: search, product pages and the legacy redirector."""
import logging
import sqlite3

from flask import Blueprint, current_app, g, jsonify, redirect, request, url_for
from markupsafe import escape

bp = Blueprint("catalog", __name__, url_prefix="/catalog")
logger = logging.getLogger(__name__)

SORTABLE = {"name", "price", "created_at"}


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"])
        g.db.row_factory = sqlite3.Row
    return g.db


def _products_in(category):
    db = get_db()
    sql = "SELECT id, name, price FROM products WHERE category = '" + category + "' AND active = 1"
    return db.execute(sql).fetchall()  # expect: sql-injection


def _count_products(category):
    return get_db().execute("SELECT COUNT(*) FROM products WHERE category = ?", (category,)).fetchone()[0]  # safe: sql-injection


@bp.route("/search")
def search():
    term = request.args.get("q", "").strip()
    order = request.args.get("sort", "name")
    if order not in SORTABLE:
        order = "name"
    logger.info("catalog search q=%s sort=%s", term, order)  # expect: log-injection
    sql = f"SELECT id, name, price FROM products WHERE name LIKE ? ORDER BY {order}"
    rows = get_db().execute(sql, (f"%{term}%",)).fetchall()  # safe: sql-injection
    if not rows:
        return f"<p>No products match <b>{term}</b></p>", 404  # expect: reflected-xss
    return jsonify([dict(r) for r in rows])  # safe: reflected-xss


@bp.route("/category/<slug>")
def category(slug):
    items = _products_in(slug)
    total = _count_products(slug)
    current_app.logger.debug("category %s has %d products", slug, total)  # expect: log-injection
    return jsonify(items=[dict(i) for i in items], total=total)


@bp.route("/product/<int:product_id>")
def product(product_id):
    db = get_db()
    row = db.execute("SELECT * FROM products WHERE id = %d" % product_id).fetchone()  # safe: sql-injection
    logger.info("viewing product %s", product_id)  # safe: log-injection
    if row is None:
        return f"<h1>Product {product_id} not found</h1>", 404  # safe: reflected-xss
    return jsonify(dict(row))


@bp.route("/tag")
def by_tag():
    tag = request.args.get("tag", "")
    page = int(request.args.get("page", "1"))
    offset = (page - 1) * 20
    query = "SELECT id, name FROM products p JOIN tags t ON t.product_id = p.id WHERE t.label = '%s'" % tag
    rows = get_db().execute(query + " LIMIT 20 OFFSET %d" % offset).fetchall()  # expect: sql-injection
    paged = get_db().execute("SELECT id FROM products LIMIT 20 OFFSET " + str(offset)).fetchall()  # safe: sql-injection
    return jsonify(rows=[dict(r) for r in rows], ids=[r[0] for r in paged])


@bp.route("/go")
def legacy_redirect():
    target = request.args.get("to")
    if not target:
        return redirect(url_for("catalog.search"))  # safe: open-redirect
    return redirect(target)  # expect: open-redirect


@bp.route("/p/<int:product_id>/reviews")
def reviews_shortcut(product_id):
    return redirect("/catalog/product/%d#reviews" % product_id)  # safe: open-redirect


@bp.route("/back")
def back():
    ref = request.headers.get("Referer", "/")
    logger.warning("back navigation from %r", ref)  # safe: log-injection
    return redirect(ref)  # expect: open-redirect


@bp.route("/highlight")
def highlight():
    word = request.args.get("w", "")
    return "<span class='hl'>" + str(escape(word)) + "</span>"  # safe: reflected-xss
