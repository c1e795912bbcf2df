"""Administration blueprint: every view requires a signed-in administrator."""
import logging
import traceback

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user, login_required

from .models import User, db

admin = Blueprint("admin", __name__, url_prefix="/admin")
log = logging.getLogger(__name__)


def require_admin():
    if not current_user.is_admin:
        raise PermissionError("admins only")


@admin.route("/users")
@login_required
def list_users():  # safe: route-missing-auth
    require_admin()
    return jsonify([u.to_dict() for u in User.query.all()])


@admin.route("/users/<int:uid>", methods=["GET"])
@login_required
def show_user(uid):  # safe: route-missing-auth
    require_admin()
    return jsonify(User.query.get_or_404(uid).to_dict())


@admin.route("/users/<int:uid>/delete", methods=["POST"])
def delete_user(uid):  # expect: route-missing-auth
    User.query.filter_by(id=uid).delete()
    db.session.commit()
    return "", 204


@admin.route("/users/<int:uid>/promote", methods=["POST"])
@login_required
def promote(uid):  # safe: route-missing-auth
    assert current_user.is_admin, "admins only"  # expect: assert-used-for-authorization
    user = User.query.get_or_404(uid)
    user.is_admin = True
    db.session.commit()
    return "", 204


@admin.route("/users/<int:uid>", methods=["PATCH"])
@login_required
def update_user(uid):  # safe: route-missing-auth
    require_admin()
    user = User.query.get_or_404(uid)
    for key, value in request.json.items():
        setattr(user, key, value)  # expect: mass-assignment
    db.session.commit()
    return jsonify(user.to_dict())


@admin.route("/users", methods=["POST"])
@login_required
def create_user():  # safe: route-missing-auth
    require_admin()
    data = request.get_json()
    user = User(**data)  # expect: mass-assignment
    db.session.add(user)
    db.session.commit()
    return jsonify(user.to_dict()), 201


@admin.route("/users/<int:uid>/rename", methods=["POST"])
@login_required
def rename_user(uid):  # safe: route-missing-auth
    require_admin()
    data = request.get_json()
    user = User.query.get_or_404(uid)
    user.display_name = str(data["display_name"])[:80]  # safe: mass-assignment
    db.session.commit()
    return jsonify(user.to_dict())


@admin.route("/users/<int:uid>/password", methods=["POST"])
@login_required
def reset_password(uid):  # safe: route-missing-auth
    require_admin()
    user = User.query.get_or_404(uid)
    new_password = request.form["password"]
    user.password = new_password  # expect: plaintext-password-stored
    db.session.commit()
    log.info("admin %s reset password of user %s", current_user.id, uid)  # safe: secret-logged
    log.debug("new password for %s is %s", uid, new_password)  # expect: secret-logged
    return "", 204


@admin.route("/reindex", methods=["POST"])
@login_required
def reindex():  # safe: route-missing-auth
    require_admin()
    try:
        current_app.search.reindex()
    except Exception:
        return traceback.format_exc(), 500  # expect: stack-trace-exposed
    return "", 204


@admin.route("/vacuum", methods=["POST"])
@login_required
def vacuum():  # safe: route-missing-auth
    require_admin()
    try:
        db.session.execute(db.text("VACUUM"))
    except Exception:
        log.exception("vacuum failed")  # safe: stack-trace-exposed
        return jsonify({"error": "internal error"}), 500  # safe: stack-trace-exposed
    return "", 204


@admin.route("/check", methods=["POST"])
@login_required
def check():  # safe: route-missing-auth
    payload = request.get_json()
    assert isinstance(payload, dict), "expected an object"  # safe: assert-used-for-authorization
    require_admin()
    return jsonify(sorted(payload))
