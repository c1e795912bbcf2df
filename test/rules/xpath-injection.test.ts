import rule from '../../src/rules/secure-coding/xpath-injection.js';
import { ruleTester } from '../helpers/rule-tester.js';

const FLASK = 'from flask import Flask, request\nfrom lxml import etree\napp = Flask(__name__)\ntree = etree.parse("users.xml")\n';
const ET = 'from flask import Flask, request\nimport xml.etree.ElementTree as ET\napp = Flask(__name__)\nroot = ET.parse("users.xml").getroot()\n';

ruleTester(rule, {
  valid: [
    { name: 'constant expression', code: FLASK + 'def v():\n    return tree.xpath("//user[@active=\'1\']")' },
    { name: 'XPath variable binding', code: FLASK + 'def v():\n    name = request.args["name"]\n    return tree.xpath("//user[@name=$n]", n=name)' },
    { name: 'int() conversion', code: FLASK + 'def v():\n    uid = int(request.args["id"])\n    return tree.xpath(f"//user[@id={uid}]")' },
    { name: 'allow-listed value', code: FLASK + 'ROLES = {"admin", "user"}\ndef v():\n    role = request.args["role"]\n    if role not in ROLES:\n        abort(400)\n    return tree.xpath(f"//user[@role=\'{role}\']")' },
    { name: 'overwritten before the sink', code: FLASK + 'def v():\n    name = request.args["name"]\n    name = "guest"\n    return tree.xpath(f"//user[@name=\'{name}\']")' },
    { name: 'same sink, non-tainted built expression', code: FLASK + 'def v(doc):\n    tag = "user"\n    return doc.xpath(f"//{tag}[@x]")' },
    { name: 'quoteattr escapes', code: FLASK + 'from xml.sax.saxutils import quoteattr\ndef v():\n    name = quoteattr(request.args["name"])\n    return tree.xpath(f"//user[@name={name}]")' },
    { name: 'parsel/scrapy selector without lxml import', code: 'from flask import request\nfrom parsel import Selector\ndef v(html):\n    return Selector(text=html).xpath(f"//a[@id=\'{request.args[\'id\']}\']")' },
    { name: 'str.find is not a sink', code: ET + 'def v():\n    q = request.args["q"]\n    return "a,b,c".find(f"{q},")' },
    { name: 'find on a string variable', code: ET + 'def v():\n    q = request.args["q"]\n    s = "hello world"\n    return s.find(f"{q} ")' },
    { name: 'ElementTree find with a plain variable is not built', code: ET + 'def v():\n    return root.find(request.args["q"])' },
    { name: 'ElementTree find without an XML import', code: 'from flask import request\ndef v(doc):\n    q = request.args["q"]\n    return doc.findall(f".//{q}")' },
    { name: 'local function called XPath', code: FLASK + 'def XPath(x):\n    return x\ndef v():\n    return XPath(request.args["q"])' },
    { name: 'unreachable branch', code: FLASK + 'def v():\n    if False:\n        return tree.xpath(request.args["q"])\n    return []' },
  ],
  invalid: [
    {
      name: 'f-string from request.args',
      code: FLASK + 'def v():\n    name = request.args["name"]\n    return tree.xpath(f"//user[@name=\'{name}\']")',
      errors: [{ line: 7, column: 23, messageId: 'tainted' }],
    },
    {
      name: 'concatenation from request.args.get',
      code: FLASK + 'def v():\n    return tree.xpath("//user[@name=\'" + request.args.get("n", "") + "\']")',
      errors: [{ line: 6, messageId: 'tainted' }],
    },
    {
      name: '_path keyword',
      code: FLASK + 'def v():\n    return tree.xpath(_path="//u[@n=\'%s\']" % request.form["n"])',
      errors: [{ line: 6, messageId: 'tainted' }],
    },
    {
      name: 'etree.XPath compiled from a route parameter',
      code: FLASK + '@app.route("/u/<name>")\ndef v(name):\n    find = etree.XPath("//user[@name=\'{}\']".format(name))\n    return find(tree)',
      errors: [{ line: 7, messageId: 'tainted' }],
    },
    {
      name: 'ETXPath aliased import',
      code: 'from flask import request\nfrom lxml.etree import ETXPath as X\ndef v():\n    return X("//{ns}user[@id=\'" + request.values["id"] + "\']")',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
    {
      name: 'Django view GET through a helper',
      code: 'from django.http import JsonResponse\nfrom lxml import etree\nDOC = etree.parse("x.xml")\ndef query(name):\n    return DOC.xpath(f"//item[@name=\'{name}\']")\ndef view(request):\n    return JsonResponse({"n": len(query(request.GET["name"]))})',
      errors: [{ line: 5, messageId: 'tainted' }],
    },
    {
      name: 'ElementTree findall with a built path',
      code: ET + 'def v():\n    tag = request.args["tag"]\n    return [e.text for e in root.findall(f".//{tag}")]',
      errors: [{ line: 7, messageId: 'tainted' }],
    },
    {
      name: 'ElementTree findtext in a Django view (URL parameter)',
      code: 'from django.http import HttpResponse\nimport xml.etree.ElementTree as ET\ndef view(request, key):\n    root = ET.parse("c.xml").getroot()\n    return HttpResponse(root.findtext("./entry[@key=\'%s\']" % key))',
      errors: [{ line: 5, messageId: 'tainted' }],
    },
    {
      name: 'input() in a script',
      code: 'from lxml import etree\ntree = etree.parse("a.xml")\nq = input()\nprint(tree.xpath("//a[@b=\'" + q + "\']"))',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
  ],
});
