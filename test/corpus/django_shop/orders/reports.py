"""Nightly reporting helpers shared by management commands and views."""
import hashlib
import logging

import pandas as pd
from django.db import connection
from sqlalchemy import create_engine, text

logger = logging.getLogger(__name__)
REPORT_TABLES = ("orders_order", "orders_refund")
engine = create_engine("postgresql://reporter@warehouse.internal/reports")  # safe: database-url-credentials


def execute(sql, *args):
    """Queue a statement for the batch writer (not a database call)."""
    logger.debug("queued %d args", len(args))
    return {"sql": sql, "args": args}


def monthly_totals(month):
    return pd.read_sql(text("SELECT region, SUM(total) FROM orders WHERE month = :m GROUP BY region"), engine, params={"m": month})  # safe: sql-injection, sql-string-built


def table_sizes():
    sizes = {}
    with connection.cursor() as cursor:
        for table in REPORT_TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # safe: sql-injection
            sizes[table] = cursor.fetchone()[0]
    return sizes


def queue_cleanup(days):
    return execute(f"DELETE FROM audit_log WHERE age > {int(days)}")  # safe: sql-injection, sql-string-built


def grant_reporting_access(cursor):
    cursor.execute("GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO reporter")  # expect: sql-excessive-privilege
    cursor.execute("GRANT SELECT ON orders_order, orders_refund TO reporter")  # safe: sql-excessive-privilege


def report_etag(payload):
    return hashlib.md5(payload, usedforsecurity=False).hexdigest()  # safe: weak-hash


def sign_export(payload, secret):
    return hashlib.sha1(secret + payload).hexdigest()  # expect: weak-hash


def checksum(payload):
    return hashlib.sha256(payload).hexdigest()  # safe: weak-hash


def purge_table(cursor, table, days):
    cursor.execute(f"DELETE FROM {table} WHERE created < now() - interval '{days} days'")  # expect: sql-string-built # safe: sql-injection
