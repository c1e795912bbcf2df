"""Partner feed importer: XML catalogue uploads, lookups in stored feeds, cached sessions."""
import base64
import json
import logging
import pickle
import xml.etree.ElementTree as ET
from xml.dom import minidom

import defusedxml.ElementTree as SafeET
from flask import Flask, abort, jsonify, request
from itsdangerous import URLSafeSerializer
from lxml import etree

app = Flask(__name__)
app.config.from_object("feeds.settings")
logger = logging.getLogger(__name__)

signer = URLSafeSerializer(app.config["SECRET_KEY"], salt="feed-cursor")
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
CATALOGUE_PATH = "/srv/feeds/catalogue.xml"


def parse_upload(raw):
    return ET.fromstring(raw)  # expect: untrusted-xml-parse


def load_catalogue():
    return etree.parse(CATALOGUE_PATH)  # safe: untrusted-xml-parse


@app.route("/feeds/upload", methods=["POST"])
def upload_feed():
    root = parse_upload(request.get_data())
    items = [el.attrib.get("sku") for el in root.iter("item")]
    return jsonify(count=len(items))


@app.route("/feeds/upload/strict", methods=["POST"])
def upload_feed_strict():
    root = SafeET.fromstring(request.get_data())  # safe: untrusted-xml-parse
    return jsonify(count=len(root))


@app.route("/feeds/upload/lxml", methods=["POST"])
def upload_feed_lxml():
    doc = etree.fromstring(request.data, SAFE_PARSER)  # safe: untrusted-xml-parse
    return jsonify(tag=doc.tag)


@app.route("/feeds/upload/file", methods=["POST"])
def upload_feed_file():
    upload = request.files["feed"]
    dom = minidom.parseString(upload.read())  # expect: untrusted-xml-parse
    return jsonify(items=len(dom.getElementsByTagName("item")))


@app.route("/feeds/upload/lxml-default", methods=["POST"])
def upload_feed_lxml_default():
    payload = request.form["xml"]
    doc = etree.fromstring(payload.encode("utf-8"))  # expect: untrusted-xml-parse
    return jsonify(tag=doc.tag)


@app.route("/feeds/item")
def find_item():
    sku = request.args.get("sku", "")
    tree = load_catalogue()
    matches = tree.xpath("//item[@sku='" + sku + "']/price/text()")  # expect: xpath-injection
    return jsonify(prices=matches)


@app.route("/feeds/item/v2")
def find_item_v2():
    sku = request.args.get("sku", "")
    tree = load_catalogue()
    matches = tree.xpath("//item[@sku=$sku]/price/text()", sku=sku)  # safe: xpath-injection
    return jsonify(prices=matches)


@app.route("/feeds/supplier/<supplier>")
def supplier_items(supplier):
    root = ET.parse(CATALOGUE_PATH).getroot()
    found = root.findall(".//item[@supplier='{}']".format(supplier))  # expect: xpath-injection
    return jsonify(skus=[el.get("sku") for el in found])


@app.route("/feeds/position/<int:index>")
def item_at(index):
    root = ET.parse(CATALOGUE_PATH).getroot()
    el = root.find(f"./item[{index}]")  # safe: xpath-injection
    return jsonify(sku=el.get("sku") if el is not None else None)


@app.route("/feeds/category")
def by_category():
    category = request.args.get("c", "")
    if category.find("/") != -1:  # safe: xpath-injection
        abort(400)
    tree = load_catalogue()
    finder = etree.XPath("//item[category=$c]")
    return jsonify(count=len(finder(tree, c=category)))  # safe: xpath-injection


@app.route("/feeds/search")
def search_feed():
    field = request.args.get("field", "name")
    needle = request.args.get("q", "")
    expr = etree.XPath("//item[contains(%s, '%s')]" % (field, needle))  # expect: xpath-injection
    return jsonify(count=len(expr(load_catalogue())))


@app.route("/feeds/cursor")
def resume_cursor():
    token = request.args.get("cursor", "")
    state = signer.loads(token)  # safe: unsafe-deserialization
    return jsonify(state)


@app.route("/feeds/session", methods=["POST"])
def restore_session():
    blob = request.cookies.get("feed_state", "")
    state = pickle.loads(base64.b64decode(blob))  # expect: unsafe-deserialization
    logger.info("restored feed state for %s", state.get("partner"))
    return jsonify(ok=True)


@app.route("/feeds/session/json", methods=["POST"])
def restore_session_json():
    state = json.loads(request.get_data())  # safe: unsafe-deserialization
    cached = pickle.dumps(state)  # safe: unsafe-deserialization
    return jsonify(size=len(cached))
