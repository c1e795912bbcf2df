"""Company directory lookups backed by LDAP."""
import logging

import ldap
from flask import Flask, jsonify, request
from ldap3 import Connection, Server
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)
log = logging.getLogger(__name__)
BASE_DN = "ou=people,dc=example,dc=com"
server = Server("ldaps://ldap.example.com")


def connection():
    return Connection(server, auto_bind=True)


@app.route("/directory/person")
def person():
    uid = request.args.get("uid", "")
    conn = connection()
    conn.search(BASE_DN, f"(uid={uid})", attributes=["cn", "mail"])  # expect: ldap-injection
    return jsonify([e.entry_to_json() for e in conn.entries])


@app.route("/directory/person-safe")
def person_safe():
    uid = escape_filter_chars(request.args.get("uid", ""))
    conn = connection()
    conn.search(BASE_DN, f"(uid={uid})", attributes=["cn", "mail"])  # safe: ldap-injection
    return jsonify([e.entry_to_json() for e in conn.entries])


@app.route("/directory/group/<group>")
def group(group):
    l = ldap.initialize("ldaps://ldap.example.com")
    results = l.search_s(BASE_DN, ldap.SCOPE_SUBTREE, "(&(objectClass=person)(memberOf=cn=" + group + ",ou=groups,dc=example,dc=com))")  # expect: ldap-injection
    return jsonify(len(results))


@app.route("/directory/staff")
def staff():
    conn = connection()
    conn.search(BASE_DN, "(employeeType=staff)", attributes=["cn"])  # safe: ldap-injection
    dept = request.args.get("dept", "")
    log.info("staff listing requested for %s", dept)  # expect: log-injection
    return jsonify([e.cn.value for e in conn.entries])
