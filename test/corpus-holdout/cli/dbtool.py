#!/usr/bin/env python3
"""Maintenance helper for the shop database: backups, table dumps and ad-hoc lookups.

Usage: dbtool.py backup <database> | dump <table> | find <email> | purge <days> | shell
"""
import logging
import os
import shlex
import sqlite3
import subprocess
import sys

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
log = logging.getLogger("dbtool")

DB_PATH = os.environ.get("SHOP_DB", "/var/lib/shop/shop.db")
BACKUP_DIR = os.environ.get("BACKUP_DIR", "/var/backups/shop")
KNOWN_TABLES = ("products", "orders", "customers", "tags")


def connect():
    return sqlite3.connect(DB_PATH)


def backup(database):
    target = os.path.join(BACKUP_DIR, "backup.sql.gz")
    os.system("sqlite3 %s .dump | gzip > %s" % (database, target))  # expect: command-injection


def backup_quoted(database):
    target = os.path.join(BACKUP_DIR, "backup.sql.gz")
    subprocess.run("sqlite3 %s .dump | gzip > %s" % (shlex.quote(database), shlex.quote(target)), shell=True, check=True)  # safe: command-injection


def dump_table(table):
    if table not in KNOWN_TABLES:
        sys.exit("unknown table: " + table)
    conn = connect()
    for row in conn.execute("SELECT * FROM " + table):  # safe: sql-injection
        print(row)


def find_customer(email):
    conn = connect()
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM customers WHERE email = '{}'".format(email))  # expect: sql-injection
    log.info("lookup for %s returned %d rows", email, cur.rowcount)  # expect: log-injection
    return cur.fetchall()


def purge_orders(days):
    conn = connect()
    conn.execute("DELETE FROM orders WHERE created_at < date('now', '-%d days')" % int(days))  # safe: sql-injection
    conn.execute("DELETE FROM carts WHERE updated_at < date('now', ?)", ("-%s days" % days,))  # safe: sql-injection
    conn.commit()


def interactive():
    conn = connect()
    while True:
        line = input("dbtool> ").strip()
        if line in ("quit", "exit"):
            break
        if line.startswith("="):
            print(eval(line[1:]))  # expect: code-injection
            continue
        if line.startswith("!"):
            subprocess.run(shlex.split(line[1:]))
            continue
        name = line
        rows = conn.execute("SELECT id FROM customers WHERE name LIKE ?", ("%" + name + "%",)).fetchall()  # safe: sql-injection
        print(rows)


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd = argv[1]
    arg = argv[2] if len(argv) > 2 else ""
    if cmd == "backup":
        backup(arg or DB_PATH)
        backup_quoted(arg or DB_PATH)
    elif cmd == "dump":
        dump_table(arg)
    elif cmd == "find":
        print(find_customer(arg))
    elif cmd == "purge":
        purge_orders(arg)
    elif cmd == "shell":
        interactive()
    else:
        log.error("unknown command %r", cmd)  # safe: log-injection
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
