"""Database maintenance command: migrations, grants and ad-hoc queries."""
import getpass
import logging
import os
import sys

import psycopg2
from psycopg2 import sql

log = logging.getLogger("migrate")
DSN = os.environ.get("MIGRATE_DSN", "dbname=shop")
ADMIN_DSN = "host=db.internal dbname=shop user=postgres password=admin123"


def connect():
    return psycopg2.connect(DSN)


def apply(cursor, path):
    with open(path) as fh:  # safe: path-traversal
        cursor.execute(fh.read())


def drop_table(cursor, table):
    cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(table)))  # safe: sql-injection, sql-string-built


def truncate(cursor, table):
    cursor.execute("TRUNCATE TABLE %s" % table)  # expect: sql-injection


def grant_app_role(cursor):
    cursor.execute("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO shop_app")  # safe: sql-excessive-privilege
    cursor.execute("ALTER ROLE shop_app SUPERUSER")  # expect: sql-excessive-privilege


def find_customer(cursor):
    name = input("customer name: ").strip()
    cursor.execute("SELECT id, email FROM customers WHERE name = '{}'".format(name))  # expect: sql-injection
    for row in cursor.fetchall():
        print(*row)
    email = input("email: ").strip()
    cursor.execute("SELECT id FROM customers WHERE email = %s", (email,))  # safe: sql-injection, sql-string-built
    return cursor.fetchone()


def set_password(cursor, role):
    password = getpass.getpass("new password: ")
    cursor.execute(sql.SQL("ALTER ROLE {} PASSWORD %s").format(sql.Identifier(role)), [password])  # safe: sql-injection, secret-logged
    log.info("password changed for role %s", role)  # safe: secret-logged


def main(argv):
    conn = connect()
    cur = conn.cursor()
    command = argv[1]
    if command == "apply":
        apply(cur, "migrations/latest.sql")
    elif command == "drop":
        drop_table(cur, argv[2])
    elif command == "truncate":
        truncate(cur, argv[2])
    elif command == "grant":
        grant_app_role(cur)
    elif command == "find":
        find_customer(cur)
    elif command == "passwd":
        set_password(cur, argv[2])
    conn.commit()


if __name__ == "__main__":
    main(sys.argv)
