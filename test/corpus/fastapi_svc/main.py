"""Catalogue service (FastAPI)."""
import logging
import os
import sqlite3
import subprocess
from uuid import UUID

import httpx
import requests
from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

app = FastAPI()
log = logging.getLogger("catalogue")
DB = "/var/lib/catalogue.db"
IMAGE_ROOT = "/srv/images"
PRICING_URL = "https://pricing.internal.example.com"


class Item(BaseModel):
    name: str
    price: float


def db():
    return sqlite3.connect(DB)


def lookup(conn, column, value):
    return conn.execute(f"SELECT * FROM items WHERE {column} = ?", (value,)).fetchall()  # safe: sql-injection


@app.get("/items/by-name/{name}")
def by_name(name: str):
    conn = db()
    rows = conn.execute(f"SELECT * FROM items WHERE name = '{name}'").fetchall()  # expect: sql-injection
    return {"items": rows}


@app.get("/items/{item_id}")
def get_item(item_id: int):
    conn = db()
    rows = conn.execute(f"SELECT * FROM items WHERE id = {item_id}").fetchall()  # safe: sql-injection
    return {"items": rows}


@app.get("/items/sku/{sku}")
def by_sku(sku: str):
    return {"items": lookup(db(), "sku", sku)}


@app.get("/orders/{order_id}")
def get_order(order_id: UUID):
    conn = db()
    rows = conn.execute("SELECT * FROM orders WHERE id = '%s'" % order_id).fetchall()  # safe: sql-injection
    return {"order": rows}


@app.get("/search")
def search(q: str, limit: int = 20):
    conn = db()
    sql = "SELECT * FROM items WHERE name LIKE '%" + q + "%' LIMIT " + str(limit)
    rows = conn.execute(sql).fetchall()  # expect: sql-injection
    log.info("search %r returned %d rows", q, len(rows))  # safe: log-injection
    return {"items": rows}


@app.get("/images")
def image(name: str):
    with open(os.path.join(IMAGE_ROOT, name), "rb") as fh:  # expect: path-traversal
        return Response(fh.read(), media_type="image/png")


@app.get("/images/by-id/{image_id}")
def image_by_id(image_id: int):
    with open(os.path.join(IMAGE_ROOT, f"{image_id}.png"), "rb") as fh:  # safe: path-traversal
        return Response(fh.read(), media_type="image/png")


@app.get("/price/{sku}")
def price(sku: str):
    resp = httpx.get(f"{PRICING_URL}/sku/{sku}", timeout=2.0)  # safe: ssrf
    return resp.json()


@app.get("/fetch")
def fetch(url: str):
    resp = requests.get(url, timeout=5)  # expect: ssrf
    return {"length": len(resp.content)}


@app.get("/hello", response_class=HTMLResponse)
def hello(name: str):
    return HTMLResponse(f"<h1>Hello {name}</h1>")  # expect: reflected-xss


@app.get("/go")
def go(next: str):
    return RedirectResponse(next)  # expect: open-redirect


@app.get("/go/docs")
def go_docs(page: str):
    return RedirectResponse(f"/docs/{page}")  # safe: open-redirect


@app.post("/items")
def create_item(item: Item, request: Request):
    conn = db()
    conn.execute("INSERT INTO items (name, price) VALUES (?, ?)", (item.name, item.price))  # safe: sql-injection, sql-string-built
    conn.commit()
    return {"ok": True}


@app.post("/tools/ping")
def ping(host: str):
    result = subprocess.run(f"ping -c 1 {host}", shell=True, capture_output=True)  # expect: command-injection
    return {"rc": result.returncode}


@app.post("/tools/ping-safe")
def ping_safe(host: str):
    result = subprocess.run(["ping", "-c", "1", "--", host], capture_output=True)  # safe: command-injection, shell-command-built
    return {"rc": result.returncode}


@app.post("/tools/trace")
def trace(host: str, hops: int = 10):
    cmd = "traceroute -m %d %s" % (hops, "example.com")
    out = subprocess.run(cmd, shell=True, capture_output=True)  # safe: command-injection
    return {"rc": out.returncode, "host": host}


@app.get("/status")
async def status(request: Request):
    agent = request.headers.get("user-agent", "")
    log.info("status check from %s", agent)  # expect: log-injection
    try:
        return {"db": bool(db())}
    except Exception as exc:
        raise HTTPException(status_code=500, detail="database unavailable") from exc  # safe: stack-trace-exposed
