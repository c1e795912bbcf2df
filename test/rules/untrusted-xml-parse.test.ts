import rule from '../../src/rules/secure-coding/untrusted-xml-parse.js';
import xxe from '../../src/rules/secure-coding/xml-external-entities.js';
import { describe, expect, it } from '@jest/globals';
import { analyzeSource } from '../../src/core/engine.js';
import { dedent, ruleTester } from '../helpers/rule-tester.js';

const FLASK = 'from flask import Flask, request\nimport xml.etree.ElementTree as ET\napp = Flask(__name__)\n';

ruleTester(rule, {
  valid: [
    { name: 'constant document', code: FLASK + 'def v():\n    return ET.fromstring("<a><b/></a>")' },
    { name: 'defusedxml', code: 'from flask import request\nimport defusedxml.ElementTree as ET\ndef v():\n    return ET.fromstring(request.data)' },
    { name: 'defusedxml minidom', code: 'from flask import request\nfrom defusedxml.minidom import parseString\ndef v():\n    return parseString(request.get_data())' },
    { name: 'file chosen by the code', code: FLASK + 'def v():\n    return ET.parse("config.xml")' },
    { name: 'parse of a path built from a request value (path traversal, not XML)', code: FLASK + 'import os\ndef v():\n    name = request.args["n"]\n    return ET.parse(os.path.join("/srv/docs", name))' },
    { name: 'lxml with a hardened parser', code: 'from flask import request\nfrom lxml import etree\nPARSER = etree.XMLParser(resolve_entities=False, no_network=True)\ndef v():\n    return etree.fromstring(request.data, PARSER)' },
    { name: 'lxml parser already reported by xml-external-entities', code: 'from flask import request\nfrom lxml import etree\ndef v():\n    p = etree.XMLParser(resolve_entities=True)\n    return etree.fromstring(request.data, parser=p)' },
    { name: 'same sink, non-tainted value', code: FLASK + 'def v(path):\n    with open(path, "rb") as fh:\n        data = fh.read()\n    return ET.fromstring(data)\ndef main():\n    v("/etc/app.xml")' },
    { name: 'local function called fromstring', code: 'from flask import request\ndef fromstring(x):\n    return x\ndef v():\n    return fromstring(request.data)' },
    { name: 'feed on an unrelated parser', code: 'from flask import request\nfrom html.parser import HTMLParser\ndef v():\n    p = HTMLParser()\n    p.feed(request.form["html"])' },
    { name: 'overwritten before the sink', code: FLASK + 'def v():\n    body = request.data\n    body = b"<a/>"\n    return ET.fromstring(body)' },
    { name: 'json module look-alike', code: 'from flask import request\nimport json\ndef v():\n    return json.loads(request.data)' },
  ],
  invalid: [
    {
      name: 'ElementTree.fromstring(request.data)',
      code: FLASK + 'def v():\n    return ET.fromstring(request.data)',
      errors: [{ line: 5, column: 26, messageId: 'tainted' }],
    },
    {
      name: 'ElementTree.XML from get_data through a variable',
      code: FLASK + 'def v():\n    body = request.get_data()\n    root = ET.XML(body)\n    return str(len(root))',
      errors: [{ line: 6, messageId: 'tainted' }],
    },
    {
      name: 'ET.parse of an uploaded file',
      code: FLASK + 'def v():\n    tree = ET.parse(request.files["doc"])\n    return tree.getroot().tag',
      errors: [{ line: 5, messageId: 'tainted' }],
    },
    {
      name: 'XMLParser().feed',
      code: FLASK + 'def v():\n    parser = ET.XMLParser()\n    parser.feed(request.data)\n    return parser.close().tag',
      errors: [{ line: 6, messageId: 'tainted' }],
    },
    {
      name: 'minidom.parseString from a Django body',
      code: 'from django.http import HttpResponse\nfrom xml.dom import minidom\ndef view(request):\n    doc = minidom.parseString(request.body)\n    return HttpResponse(doc.documentElement.tagName)',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
    {
      name: 'pulldom.parseString and sax.parseString',
      code: 'from flask import request\nimport xml.sax\nfrom xml.dom import pulldom\ndef v(handler):\n    xml.sax.parseString(request.data, handler)\n    return pulldom.parseString(request.form["x"])',
      errors: [
        { line: 5, messageId: 'tainted' },
        { line: 6, messageId: 'tainted' },
      ],
    },
    {
      name: 'lxml fromstring with the default parser',
      code: 'from flask import request\nfrom lxml import etree\ndef v():\n    return etree.fromstring(request.get_data())',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
    {
      name: 'lxml parse of an upload with an unconfigured parser',
      code: 'from flask import request\nfrom lxml import etree\ndef v():\n    p = etree.XMLParser(remove_blank_text=True)\n    return etree.parse(request.files["f"], p)',
      errors: [{ line: 5, messageId: 'tainted' }],
    },
    {
      name: 'through a helper and base64 decoding',
      code: FLASK + 'import base64\ndef load(blob):\n    return ET.fromstring(base64.b64decode(blob))\ndef v():\n    return load(request.args["doc"])',
      errors: [{ line: 6, messageId: 'tainted' }],
    },
    {
      name: 'cElementTree alias and stdin',
      code: 'import sys\nfrom xml.etree import cElementTree\nroot = cElementTree.fromstring(sys.stdin.read())',
      errors: [{ line: 3, messageId: 'tainted' }],
    },
  ],
});

describe('untrusted-xml-parse and xml-external-entities', () => {
  it('never report the same code twice', () => {
    const code = dedent(`
      from flask import request
      from lxml import etree
      def v():
          p = etree.XMLParser(resolve_entities=True)
          return etree.fromstring(request.data, p)
    `);
    const res = analyzeSource('app.py', code, [rule, xxe]);
    expect(res.findings.map((f) => `${f.ruleId}:${f.range.start.line}`)).toEqual(['xml-external-entities:4']);
  });
});
