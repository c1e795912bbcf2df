"""Directory login for the intranet portal (ldap3)."""
import logging
import re

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from ldap3 import ALL, SUBTREE, Connection, Server
from ldap3.utils.conv import escape_filter_chars

auth = Blueprint("auth", __name__)
audit = logging.getLogger("portal.audit")

BASE_DN = "ou=people,dc=corp,dc=example"
GROUP_BASE = "ou=groups,dc=corp,dc=example"
USERNAME_RE = re.compile(r"[a-z][a-z0-9._-]{1,31}")
NEXT_PAGES = {"home": "portal.home", "docs": "portal.docs", "profile": "portal.profile"}


class Directory:
    def __init__(self, url, bind_dn, password):
        self.server = Server(url, get_info=ALL)
        self.conn = Connection(self.server, bind_dn, password, auto_bind=True)

    def find_user(self, uid):
        self.conn.search(BASE_DN, "(&(objectClass=person)(uid=%s))" % uid, SUBTREE, attributes=["cn", "mail"])  # expect: ldap-injection
        return self.conn.entries[0] if self.conn.entries else None

    def find_user_safe(self, uid):
        flt = "(&(objectClass=person)(uid={}))".format(escape_filter_chars(uid))
        self.conn.search(BASE_DN, flt, SUBTREE, attributes=["cn", "mail"])  # safe: ldap-injection
        return self.conn.entries[0] if self.conn.entries else None

    def groups_of(self, dn):
        self.conn.search(GROUP_BASE, f"(member={dn})", SUBTREE, attributes=["cn"])  # safe: ldap-injection
        return [e.cn.value for e in self.conn.entries]

    def search_people(self, department, name_prefix):
        filters = ["(objectClass=person)", f"(department={department})", f"(cn={name_prefix}*)"]
        query = "(&" + "".join(filters) + ")"
        self.conn.search(BASE_DN, query, SUBTREE, attributes=["cn", "mail"])  # expect: ldap-injection
        return [e.entry_to_json() for e in self.conn.entries]


def directory():
    cfg = current_app.config
    return Directory(cfg["LDAP_URL"], cfg["LDAP_BIND_DN"], cfg["LDAP_BIND_PASSWORD"])


def _next_url():
    nxt = request.args.get("next", "home")
    return url_for(NEXT_PAGES.get(nxt, "portal.home"))


@auth.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("login.html")
    username = request.form.get("username", "").lower()
    d = directory()
    entry = d.find_user(username)
    if entry is None:
        audit.warning("unknown user %s from %s", username, request.remote_addr)  # expect: log-injection
        flash("Invalid credentials")
        return redirect(url_for("auth.login"))  # safe: open-redirect
    audit.info("login ok for %r", username)  # safe: log-injection
    session["user_dn"] = entry.entry_dn  # safe: trust-boundary-violation
    session["groups"] = d.groups_of(entry.entry_dn)  # safe: trust-boundary-violation
    return redirect(_next_url())  # safe: open-redirect


@auth.route("/login/strict", methods=["POST"])
def login_strict():
    username = request.form.get("username", "")
    if not USERNAME_RE.fullmatch(username):
        return render_template("login.html", error="bad username"), 400
    entry = directory().find_user_safe(username)
    session["username"] = username  # safe: trust-boundary-violation
    return redirect(request.form.get("return_to") or url_for("portal.home"))  # expect: open-redirect


@auth.route("/people")
def people():
    dept = request.args.get("dept", "")
    prefix = request.args.get("q", "")
    return {"people": directory().search_people(dept, prefix)}


@auth.route("/sso/callback")
def sso_callback():
    assertion_user = request.args.get("user", "")
    session["sso_user"] = assertion_user  # expect: trust-boundary-violation
    audit.info("sso callback for " + assertion_user)  # expect: log-injection
    return redirect("/portal")  # safe: open-redirect


@auth.route("/logout")
def logout():
    who = session.pop("username", None)
    audit.info("logout %s", who)  # safe: log-injection
    session.clear()
    return redirect(url_for("auth.login"))
