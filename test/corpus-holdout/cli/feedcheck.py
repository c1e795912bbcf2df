"""Check a partner feed from the command line.

    feedcheck.py <feed-url> <sku> [--field price]
"""
import argparse
import logging
import sys
import urllib.request

import requests
from lxml import etree

logger = logging.getLogger("feedcheck")
FEED_MIRROR = "https://mirror.feeds.example.com"
SAFE = etree.XMLParser(resolve_entities=False, no_network=True)


def download(url):
    return requests.get(url, timeout=30).content


def download_mirror(partner):
    return urllib.request.urlopen(f"{FEED_MIRROR}/partners/{partner}.xml", timeout=30).read()  # safe: ssrf


def lookup(doc, sku, field):
    return doc.xpath(f"//item[@sku='{sku}']/{field}/text()")  # expect: xpath-injection


def lookup_bound(doc, sku):
    return doc.xpath("//item[@sku=$sku]/price/text()", sku=sku)  # safe: xpath-injection


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("sku")
    parser.add_argument("--field", default="price", choices=["price", "stock", "name"])
    opts = parser.parse_args(sys.argv[1:])

    raw = download(sys.argv[1])
    doc = etree.fromstring(raw, SAFE)  # safe: untrusted-xml-parse
    print(lookup(doc, sys.argv[2], "price"))
    print(lookup_bound(doc, opts.sku))
    mirror = etree.fromstring(download_mirror("acme"))
    print(len(mirror))
    pasted = input("paste an XML fragment to validate (empty to skip): ")
    if pasted:
        frag = etree.fromstring(pasted)  # expect: untrusted-xml-parse
        logger.warning("fragment root %s", frag.tag)
    logger.info("checked sku %s", sys.argv[2])  # expect: log-injection
    return 0


if __name__ == "__main__":
    sys.exit(main())
