"""Notes app: CRUD over Flask-SQLAlchemy, sharing links, exports and an audit trail."""
from datetime import datetime
from urllib.parse import urlparse

from flask import Blueprint, abort, current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from .extensions import db
from .models import Note, ShareLink

notes = Blueprint("notes", __name__)

SORT_COLUMNS = {"title": Note.title, "updated": Note.updated_at}


def audit(event, **fields):
    parts = ["%s=%s" % (k, v) for k, v in sorted(fields.items())]
    current_app.logger.info("audit %s %s", event, " ".join(parts))  # expect: log-injection


def notes_matching(owner_id, term):
    stmt = text("SELECT id, title FROM notes WHERE owner_id = :owner AND title ILIKE '%" + term + "%'")  # expect: sql-injection
    return db.session.execute(stmt, {"owner": owner_id}).all()


@notes.route("/notes")
@login_required
def list_notes():
    sort = SORT_COLUMNS.get(request.args.get("sort"), Note.updated_at)
    rows = Note.query.filter_by(owner_id=current_user.id).order_by(sort.desc()).all()  # safe: sql-injection
    return jsonify([n.to_dict() for n in rows])


@notes.route("/notes/search")
@login_required
def search_notes():
    term = request.args.get("q", "")
    audit("search", user=current_user.id, q=term)
    return jsonify([dict(r._mapping) for r in notes_matching(current_user.id, term)])


@notes.route("/notes/search/v2")
@login_required
def search_notes_v2():
    term = request.args.get("q", "")
    rows = db.session.execute(text("SELECT id, title FROM notes WHERE owner_id = :o AND title ILIKE :t"), {"o": current_user.id, "t": f"%{term}%"}).all()  # safe: sql-injection
    return jsonify([dict(r._mapping) for r in rows])


@notes.route("/notes/<int:note_id>", methods=["PATCH"])
@login_required
def update_note(note_id):
    note = Note.query.get_or_404(note_id)
    body = request.get_json() or {}
    note.title = body.get("title", note.title)
    note.updated_at = datetime.utcnow()
    db.session.commit()
    audit("update", note=note_id)
    return jsonify(note.to_dict())


@notes.route("/notes/bulk-archive", methods=["POST"])
@login_required
def bulk_archive():
    ids = request.get_json().get("ids", [])
    clean = [int(i) for i in ids]
    db.session.execute(text("UPDATE notes SET archived = true WHERE id IN (%s)" % ",".join(str(i) for i in clean)))  # safe: sql-injection
    labels = request.get_json().get("labels", [])
    db.session.execute(text("UPDATE notes SET label = '%s' WHERE owner_id = :o" % labels[0]), {"o": current_user.id})  # expect: sql-injection
    db.session.commit()
    return jsonify(archived=len(clean))


@notes.route("/s/<token>")
def open_share(token):
    link = ShareLink.query.filter_by(token=token).first_or_404()
    session["shared_note"] = link.note_id  # safe: trust-boundary-violation
    session["share_ref"] = request.args.get("ref", "direct")  # expect: trust-boundary-violation
    return redirect(url_for("notes.view_shared", note_id=link.note_id))  # safe: open-redirect


@notes.route("/s/<token>/continue")
def continue_after_share(token):
    dest = request.args.get("continue", "")
    host = urlparse(dest).netloc
    if host and host != request.host:
        abort(400)
    return redirect(dest)


@notes.route("/goto")
def goto():
    dest = {"url": request.args.get("url", "/")}
    return redirect(dest["url"], code=302)  # expect: open-redirect


@notes.route("/goto/home")
def goto_home():
    dest = request.args.get("url", "/")
    dest = current_app.config.get("HOME_URL", "/")
    return redirect(dest)  # safe: open-redirect


@notes.route("/prefs", methods=["POST"])
def prefs():
    data = request.get_json() or {}
    session.setdefault("editor", data.get("editor", "plain"))  # expect: trust-boundary-violation
    session["font_size"] = int(data.get("font_size", 14))  # safe: trust-boundary-violation
    return jsonify(ok=True)
