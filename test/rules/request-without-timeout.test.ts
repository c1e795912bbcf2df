import rule from '../../src/rules/secure-coding/request-without-timeout.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'timeout given', code: 'import requests\nrequests.get(url, timeout=5)\nrequests.post(url, json=body, timeout=(3.05, 27))' },
    { name: 'timeout through a variable', code: 'import requests\nT = 10\nrequests.get(url, timeout=T)\nrequests.request("GET", url, timeout=settings.TIMEOUT)' },
    { name: 'kwargs may carry the timeout', code: 'import requests\ndef get(url, **kwargs):\n    return requests.get(url, **kwargs)' },
    { name: 'httpx has a default timeout', code: 'import httpx\nhttpx.get(url)\nwith httpx.Client() as c:\n    c.get(url)' },
    { name: 'local function named get', code: 'def get(url):\n    return url\nget("http://x")' },
    { name: 'shadowed requests', code: 'def f(requests):\n    return requests.get(url)' },
    { name: 'dict.get and unknown objects', code: 'import requests\nconfig.get("url")\nclient.get(url)\nself.session.get(url)' },
    { name: 'session with a mounted adapter', code: 'import requests\ns = requests.Session()\ns.mount("https://", TimeoutAdapter(timeout=5))\ns.get(url)' },
    { name: 'session call with timeout', code: 'import requests\nwith requests.Session() as s:\n    s.post(url, data=d, timeout=3)' },
    { name: 'urllib3 pool', code: 'import urllib3\nhttp = urllib3.PoolManager(timeout=3.0)\nhttp.request("GET", url)' },
    { name: 'other library', code: 'import aiohttp\nasync def f(s):\n    await s.get(url)' },
    { name: 'look-alike module attribute', code: 'import requests\nrequests.codes.get("ok")\nrequests.utils.quote(x)' },
  ],
  invalid: [
    {
      name: 'module function without timeout, with fix',
      code: 'import requests\nr = requests.get("https://api.example.com/rates")',
      errors: [{ line: 2, column: 5, messageId: 'missing' }],
      output: 'import requests\nr = requests.get("https://api.example.com/rates", timeout=10)',
    },
    {
      name: 'aliases and from-imports',
      code: 'import requests as rq\nfrom requests import post\nrq.put(u, data=d)\npost(u, json={"a": 1})',
      errors: [
        { line: 3, messageId: 'missing' },
        { line: 4, messageId: 'missing' },
      ],
      output: 'import requests as rq\nfrom requests import post\nrq.put(u, data=d, timeout=10)\npost(u, json={"a": 1}, timeout=10)',
    },
    {
      name: 'requests.request and trailing comma',
      code: 'import requests\nrequests.request(\n    "DELETE",\n    url,\n)',
      errors: [{ line: 2, messageId: 'missing' }],
      output: 'import requests\nrequests.request(\n    "DELETE",\n    url, timeout=10,\n)',
    },
    {
      name: 'explicit timeout=None',
      code: 'import requests\nrequests.get(url, timeout=None)',
      errors: [{ line: 2, column: 19, messageId: 'none' }],
      output: null,
    },
    {
      name: 'httpx with timeout=None',
      code: 'import httpx\nhttpx.post(url, timeout=None)\nclient = httpx.Client(timeout=None)',
      errors: [
        { line: 2, messageId: 'none' },
        { line: 3, messageId: 'none' },
      ],
    },
    {
      name: 'session methods',
      code: 'import requests\ns = requests.Session()\ns.get(url)\nwith requests.session() as s2:\n    s2.post(url, data=payload)',
      errors: [
        { line: 3, messageId: 'missing' },
        { line: 5, messageId: 'missing' },
      ],
    },
    {
      name: 'requests.api and head',
      code: 'import requests.api\nimport requests\nrequests.api.get(u)\nrequests.head(u, allow_redirects=True)',
      errors: [
        { line: 3, messageId: 'missing' },
        { line: 4, messageId: 'missing' },
      ],
    },
    {
      name: 'inside a function',
      code: 'import requests\n\ndef notify(url, body):\n    resp = requests.post(url, json=body)\n    resp.raise_for_status()',
      errors: [{ line: 4, messageId: 'missing' }],
    },
    {
      name: 'mount on another session does not help',
      code: 'import requests\na = requests.Session()\nb = requests.Session()\nb.mount("https://", adapter)\na.get(url)',
      errors: [{ line: 5, messageId: 'missing' }],
    },
  ],
});
