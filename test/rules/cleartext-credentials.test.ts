import rule from '../../src/rules/sensitive-data/cleartext-credentials.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'FTP_TLS', code: 'import ftplib\nftp = ftplib.FTP_TLS("ftp.example.com")\nftp.login(user, password)\nftp.prot_p()' },
    { name: 'anonymous FTP', code: 'from ftplib import FTP\nftp = FTP("ftp.gnu.org")\nftp.login()\nftp2 = FTP("ftp.debian.org")\nftp2.login("anonymous", "me@example.com")' },
    {
      name: 'SMTP with starttls first',
      code: 'import smtplib\ndef send(user, password):\n    with smtplib.SMTP("smtp.gmail.com", 587) as s:\n        s.ehlo()\n        s.starttls()\n        s.login(user, password)',
    },
    { name: 'SMTP_SSL and IMAP4_SSL', code: 'import smtplib, imaplib\ns = smtplib.SMTP_SSL("smtp.gmail.com", 465)\ns.login(u, p)\nm = imaplib.IMAP4_SSL("imap.gmail.com")\nm.login(u, p)' },
    { name: 'SMTP to localhost', code: 'import smtplib\ns = smtplib.SMTP("localhost", 25)\ns.login(u, p)' },
    {
      name: 'https and local http URLs',
      code: 'import requests\nrequests.post("https://api.example.com/login", json={"password": pw})\nrequests.get("http://localhost:8000/api", auth=(u, p))\nrequests.get("http://127.0.0.1/x", headers={"Authorization": t})\nrequests.post("http://auth:8000/token", data={"client_secret": s})\nrequests.post("http://10.0.0.5/login", data={"password": pw})\nrequests.get("http://svc.internal/x", auth=a)',
    },
    { name: 'plain http without credentials', code: 'import requests\nrequests.get("http://example.org/feed.xml")\nrequests.post("http://api.weather.gov/x", json={"city": c}, headers={"Accept": "json"})' },
    { name: 'host computed at run time', code: 'import requests\nrequests.get(f"http://{host}/api", auth=(u, p))\nrequests.get(url, auth=(u, p))' },
    { name: 'test file', path: 'tests/test_mail.py', code: 'import smtplib\ns = smtplib.SMTP(HOST, PORT)\ns.login("user", "secret")' },
    { name: 'auth=None', code: 'import requests\nrequests.get("http://example.org/x", auth=None)' },
    { name: 'telnet writes without a password', code: 'import telnetlib\ntn = telnetlib.Telnet("router.example.com")\ntn.write(b"show version\\n")' },
    { name: 'look-alike login and write methods', code: 'def f(client, fh, password):\n    client.login(user, password)\n    fh.write(password)' },
    { name: 'look-alike local requests', code: 'class requests:\n    @staticmethod\n    def get(url, auth=None): ...\nrequests.get("http://example.org", auth=(u, p))' },
    { name: 'password-named non-credential field', code: 'import requests\nrequests.post("http://example.org/x", data={"password_reset_url": u, "token_type": "bearer"})' },
  ],
  invalid: [
    {
      name: 'FTP login',
      code: 'import ftplib\nftp = ftplib.FTP("ftp.example.com")\nftp.login("deploy", password)',
      errors: [{ line: 3, column: 1, messageId: 'ftp' }],
      output: null,
    },
    {
      name: 'FTP constructor with credentials and with-statement',
      code: 'from ftplib import FTP\nFTP("ftp.example.com", "bob", secret)\nwith FTP("ftp.example.com") as ftp:\n    ftp.login(user=u, passwd=p)',
      errors: [
        { line: 2, messageId: 'ftp' },
        { line: 4, messageId: 'ftp' },
      ],
    },
    {
      name: 'telnet password',
      code: 'import telnetlib\ntn = telnetlib.Telnet(host)\ntn.read_until(b"Password: ")\ntn.write(password.encode("ascii") + b"\\n")',
      errors: [{ line: 4, messageId: 'telnet' }],
    },
    {
      name: 'SMTP login without starttls',
      code: 'import smtplib\ndef send(msg, user, password):\n    with smtplib.SMTP("mail.example.com", 587) as smtp:\n        smtp.login(user, password)\n        smtp.send_message(msg)',
      errors: [{ line: 4, messageId: 'mail' }],
    },
    {
      name: 'starttls on another object or after login',
      code: 'import smtplib\na = smtplib.SMTP("mail.example.com")\nb = smtplib.SMTP("mail.example.com")\nb.starttls()\na.login(u, p)\nc = smtplib.SMTP("mx.example.com")\nc.login(u, p)\nc.starttls()',
      errors: [
        { line: 5, messageId: 'mail' },
        { line: 7, messageId: 'mail' },
      ],
    },
    {
      name: 'IMAP and POP3',
      code: 'import imaplib, poplib\nm = imaplib.IMAP4("imap.example.com")\nm.login(u, p)\np3 = poplib.POP3("pop.example.com")\np3.user(u)\np3.pass_(p)',
      errors: [
        { line: 3, messageId: 'mail' },
        { line: 6, messageId: 'mail' },
      ],
    },
    {
      name: 'requests to http with auth, headers and password fields',
      code: 'import requests\nfrom requests.auth import HTTPBasicAuth\nrequests.get("http://api.example.com/v1/items", auth=HTTPBasicAuth(u, p))\nrequests.get("http://api.example.com/v1/me", headers={"Authorization": f"Bearer {tok}"})\nrequests.post("http://shop.example.com/login", data={"username": u, "password": p})\nrequests.request("POST", "http://api.example.com/oauth/token", json={"client_secret": cs})',
      errors: [
        { line: 3, messageId: 'http' },
        { line: 4, messageId: 'http' },
        { line: 5, messageId: 'http' },
        { line: 6, messageId: 'http' },
      ],
    },
    {
      name: 'URL and payload through names, sessions and httpx',
      code: 'import requests, httpx\nBASE = "http://api.example.com"\npayload = {"api_key": key}\nrequests.post(BASE + "/login", data=payload)\ns = requests.Session()\ns.get(BASE + path, auth=(u, p))\nwith httpx.Client() as c:\n    c.post("http://api.example.com/t", params={"token": t})',
      errors: [
        { line: 4, messageId: 'http' },
        { line: 6, messageId: 'http' },
        { line: 8, messageId: 'http' },
      ],
    },
  ],
});
