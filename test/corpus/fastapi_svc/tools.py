"""Administrative tools for the catalogue service (FastAPI router)."""
import logging
import shlex
import subprocess
import xml.etree.ElementTree as ET

import defusedxml.ElementTree as SafeET
from fastapi import APIRouter, Body, Request
from lxml import etree

router = APIRouter()
log = logging.getLogger(__name__)
ALLOWED_FEEDS = {"daily", "weekly"}


@router.post("/import/xml")
async def import_xml(request: Request):
    body = await request.body()
    root = ET.fromstring(body)  # expect: untrusted-xml-parse
    return {"items": len(root)}


@router.post("/import/xml-safe")
async def import_xml_safe(request: Request):
    body = await request.body()
    root = SafeET.fromstring(body)  # safe: untrusted-xml-parse
    return {"items": len(root)}


@router.post("/import/lxml")
def import_lxml(doc: str = Body(...)):
    parser = etree.XMLParser(resolve_entities=True)  # expect: xml-external-entities
    root = etree.fromstring(doc.encode(), parser)  # safe: untrusted-xml-parse
    return {"tag": root.tag}


@router.get("/catalogue/find")
def find_product(name: str):
    tree = etree.parse("/srv/catalogue.xml")  # safe: untrusted-xml-parse
    hits = tree.xpath(f"//product[@name='{name}']")  # expect: xpath-injection
    return {"count": len(hits)}


@router.get("/catalogue/find-safe")
def find_product_safe(name: str):
    tree = etree.parse("/srv/catalogue.xml")  # safe: untrusted-xml-parse
    hits = tree.xpath("//product[@name=$name]", name=name)  # safe: xpath-injection
    return {"count": len(hits)}


@router.post("/feeds/rebuild")
def rebuild_feed(feed: str):
    subprocess.run("make-feed " + shlex.quote(feed), shell=True, check=True)  # safe: command-injection
    return {"ok": True}


@router.post("/feeds/publish")
def publish_feed(feed: str):
    if feed not in ALLOWED_FEEDS:
        return {"error": "unknown feed"}
    subprocess.run(f"publish-feed {feed}", shell=True, check=True)  # safe: command-injection
    return {"ok": True}


@router.post("/feeds/run")
def run_feed_tool(tool: str):
    subprocess.run([tool, "--all"], check=True)  # expect: command-injection
    return {"ok": True}


@router.post("/rules/evaluate")
def evaluate_rule(rule: str, value: int):
    code = compile(rule, "<rule>", "eval")  # expect: code-injection
    return {"result": eval(code, {"value": value})}


@router.post("/rules/preset")
def preset_rule(name: str):
    presets = {"cheap": "value < 10", "premium": "value > 100"}
    expr = presets.get(name, "False")
    return {"expr": expr, "result": eval(expr, {"value": 50})}  # safe: code-injection
