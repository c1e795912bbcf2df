import rule from '../../src/rules/sensitive-data/tls-verify-disabled.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'import requests\nrequests.get(url)',
    'import requests\nrequests.get(url, verify=True)',
    { name: 'CA bundle path', code: 'import requests\nrequests.post(url, verify="/etc/ssl/ca.pem")' },
    { name: 'unknown variable', code: 'import requests\nrequests.get(url, verify=settings.VERIFY)' },
    { name: 'parameter of unknown value', code: 'import requests\ndef f(v):\n    return requests.get(url, verify=v)' },
    { name: 'unrelated object .get', code: 'cache.get("k", verify=False)\nclient.get(url, verify=False)' },
    { name: 'shadowed requests', code: 'def f(requests):\n    requests.get(url, verify=False)' },
    { name: 'session rebound', code: 'import requests\ns = requests.Session()\ns = make()\ns.get(url, verify=False)' },
    { name: 'verify attribute on an unrelated object', code: 'import requests\nform.verify = False' },
    { name: 'urllib3 verifying', code: 'import urllib3, ssl\nurllib3.PoolManager(cert_reqs="CERT_REQUIRED")\nurllib3.PoolManager(cert_reqs=ssl.CERT_REQUIRED)' },
    { name: 'aiohttp default', code: 'import aiohttp\naiohttp.TCPConnector(ssl=ctx)\naiohttp.TCPConnector(limit=10)' },
    { name: 'aiohttp ssl=False on unknown object', code: 'conn.get(url, ssl=False)' },
    { name: 'httpx verifying', code: 'import httpx\nhttpx.Client(verify=ssl_context)' },
    { name: 'instance attribute session is unknown', code: 'class C:\n    def f(self):\n        self.session.get(url, verify=False)' },
    { name: 'verify is a different false-y value', code: 'import requests\nrequests.get(url, verify=None)' },
  ],
  invalid: [
    {
      code: 'import requests\nrequests.get("https://x", verify=False)',
      errors: [{ line: 2, column: 27, messageId: 'verify' }],
      output: 'import requests\nrequests.get("https://x", verify=True)',
    },
    {
      name: 'alias and request()',
      code: 'import requests as r\nr.request("POST", url, data=d, verify=False)',
      errors: [{ line: 2, messageId: 'verify' }],
      output: 'import requests as r\nr.request("POST", url, data=d, verify=True)',
    },
    {
      name: 'from-import alias',
      code: 'from requests import put as p\np(url, verify=(False))',
      errors: [{ line: 2, messageId: 'verify' }],
      output: 'from requests import put as p\np(url, verify=(True))',
    },
    {
      name: 'session method',
      code: 'import requests\ns = requests.Session()\ns.post(url, json=body, verify=False)',
      errors: [{ line: 3, messageId: 'verify' }],
      output: 'import requests\ns = requests.Session()\ns.post(url, json=body, verify=True)',
    },
    {
      name: 'session opened by with',
      code: 'import requests\nwith requests.session() as s:\n    s.get(url, verify=False)',
      errors: [{ line: 3, messageId: 'verify' }],
    },
    {
      name: 'chained session',
      code: 'from requests import Session\nSession().delete(url, verify=False)',
      errors: [{ line: 2, messageId: 'verify' }],
    },
    {
      name: 'session.verify = False',
      code: 'import requests\nsession = requests.Session()\nsession.verify = False',
      errors: [{ line: 3, column: 1, messageId: 'sessionVerify' }],
      output: 'import requests\nsession = requests.Session()\nsession.verify = True',
    },
    {
      name: 'constant bound once: flagged without a fix',
      code: 'import requests\nVERIFY = False\nrequests.get(url, verify=VERIFY)',
      errors: [{ line: 3, messageId: 'verify' }],
      output: null,
    },
    {
      name: 'httpx functions and clients',
      code: 'import httpx\nhttpx.get(url, verify=False)\nhttpx.AsyncClient(verify=False)\nhttpx.stream("GET", url, verify=False)',
      errors: [
        { line: 2, messageId: 'verify' },
        { line: 3, messageId: 'verify' },
        { line: 4, messageId: 'verify' },
      ],
    },
    {
      name: 'urllib3 cert_reqs variants',
      code: `
        import ssl
        import urllib3
        from urllib3 import ProxyManager
        urllib3.PoolManager(cert_reqs="CERT_NONE")
        ProxyManager(proxy, cert_reqs=ssl.CERT_NONE)
        urllib3.connection_from_url(url, cert_reqs="NONE")
        urllib3.HTTPSConnectionPool("host", cert_reqs=ssl.CERT_NONE)
      `,
      errors: [
        { line: 4, messageId: 'certNone' },
        { line: 5, messageId: 'certNone' },
        { line: 6, messageId: 'certNone' },
        { line: 7, messageId: 'certNone' },
      ],
      output: null,
    },
    {
      name: 'aiohttp connector and session',
      code: `
        import aiohttp
        conn = aiohttp.TCPConnector(ssl=False)
        legacy = aiohttp.TCPConnector(verify_ssl=False)
        async def fetch():
            async with aiohttp.ClientSession() as session:
                async with session.get(url, ssl=False) as resp:
                    return await resp.text()
      `,
      errors: [
        { line: 2, messageId: 'aiohttpSsl' },
        { line: 3, messageId: 'aiohttpSsl' },
        { line: 6, messageId: 'aiohttpSsl' },
      ],
      output: null,
    },
  ],
});
