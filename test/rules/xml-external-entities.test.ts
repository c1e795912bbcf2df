import rule from '../../src/rules/secure-coding/xml-external-entities.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'lxml defaults', code: 'from lxml import etree\nparser = etree.XMLParser()' },
    { name: 'resolve_entities=False', code: 'from lxml import etree\netree.XMLParser(resolve_entities=False)' },
    {
      name: 'no_network=False but entities off',
      code: 'from lxml import etree\netree.XMLParser(resolve_entities=False, no_network=False)',
    },
    { name: 'no_network=True', code: 'from lxml import etree\netree.XMLParser(no_network=True, load_dtd=True)' },
    { name: 'stdlib ElementTree', code: 'import xml.etree.ElementTree as ET\nET.fromstring(data)' },
    { name: 'defusedxml', code: 'import defusedxml.ElementTree as ET\nET.fromstring(data)' },
    { name: 'shadowed XMLParser', code: 'class XMLParser:\n    pass\nXMLParser(resolve_entities=True)' },
    { name: 'unrelated XMLParser', code: 'from mylib import XMLParser\nXMLParser(resolve_entities=True)' },
    { name: 'resolve from a variable', code: 'from lxml import etree\netree.XMLParser(resolve_entities=settings.XML_ENTITIES)' },
    {
      name: 'sax feature turned off',
      code: 'import xml.sax\nfrom xml.sax.handler import feature_external_ges\np = xml.sax.make_parser()\np.setFeature(feature_external_ges, False)',
    },
    {
      name: 'sax other feature',
      code: 'import xml.sax\nfrom xml.sax.handler import feature_namespaces\np = xml.sax.make_parser()\np.setFeature(feature_namespaces, True)',
    },
    { name: 'look-alike setFeature with a local name', code: 'flags.setFeature(feature_external_ges, True)' },
    { name: 'look-alike setFeature', code: 'browser.setFeature("dark-mode", True)' },
  ],
  invalid: [
    {
      code: 'from lxml import etree\nparser = etree.XMLParser(resolve_entities=True)',
      errors: [{ line: 2, column: 10, messageId: 'resolve' }],
      output: null,
    },
    {
      name: 'module alias',
      code: 'import lxml.etree as ET\nET.XMLParser(no_network=False)',
      errors: [{ line: 2, messageId: 'network' }],
    },
    {
      name: 'from-import alias, load_dtd with network',
      code: 'from lxml.etree import XMLParser as P\nP(load_dtd=True, no_network=False)',
      errors: [{ line: 2, messageId: 'network' }],
    },
    {
      name: 'both set: one finding',
      code: 'from lxml import etree\netree.XMLParser(resolve_entities=True, no_network=False)',
      errors: [{ line: 2, messageId: 'resolve' }],
    },
    {
      name: 'iterparse',
      code: 'from lxml import etree\nfor ev, el in etree.iterparse(f, resolve_entities=True):\n    pass',
      errors: [{ line: 2, messageId: 'resolve' }],
    },
    {
      name: 'objectify makeparser',
      code: 'from lxml import objectify\nobjectify.makeparser(resolve_entities=True)',
      errors: [{ line: 2, messageId: 'resolve' }],
    },
    {
      name: 'constant bound once',
      code: 'from lxml import etree\nRESOLVE = True\netree.XMLPullParser(resolve_entities=RESOLVE)',
      errors: [{ line: 3, messageId: 'resolve' }],
    },
    {
      name: 'sax feature constant via module',
      code: 'import xml.sax\nimport xml.sax.handler\np = xml.sax.make_parser()\np.setFeature(xml.sax.handler.feature_external_ges, True)',
      errors: [{ line: 4, messageId: 'sax' }],
    },
    {
      name: 'sax feature from-import',
      code: 'from xml.sax import make_parser\nfrom xml.sax.handler import feature_external_pes\nparser = make_parser()\nparser.setFeature(feature_external_pes, 1)',
      errors: [{ line: 4, messageId: 'sax' }],
    },
    {
      name: 'sax feature URI string',
      code: 'parser.setFeature("http://xml.org/sax/features/external-general-entities", True)',
      errors: [{ line: 1, messageId: 'sax' }],
    },
  ],
});
