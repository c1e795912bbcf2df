import rule from '../../src/rules/sensitive-data/bind-all-interfaces.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'loopback', code: 'import socket\ns = socket.socket()\ns.bind(("127.0.0.1", 8080))' },
    { name: 'host from env', code: 'import os, socket\ns = socket.socket()\ns.bind((os.environ["HOST"], 8080))' },
    {
      name: 'env default is not a bind position',
      code: 'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.run(host=os.environ.get("HOST", "0.0.0.0"))',
    },
    { name: 'string in a log message', code: 'import logging\nlogging.info("listening on 0.0.0.0")' },
    { name: 'comparison', code: 'if host == "0.0.0.0":\n    warn()' },
    { name: 'plain assignment', code: 'DEFAULT_HOST = "0.0.0.0"' },
    { name: 'bind on unknown object', code: 'conn.bind(("0.0.0.0", 1))\nsession.bind(("", 1))' },
    { name: 'ldap-like bind', code: 'import ldap3\nc = ldap3.Connection(server)\nc.bind()' },
    { name: 'empty host for a server class is not flagged', code: 'import http.server\nhttp.server.HTTPServer(("", 8000), H)' },
    { name: 'run on an unknown object', code: 'runner.run(host="0.0.0.0")' },
    { name: 'shadowed uvicorn', code: 'def f(uvicorn):\n    uvicorn.run(app, host="0.0.0.0")' },
    { name: 'uvicorn loopback', code: 'import uvicorn\nuvicorn.run("main:app", host="127.0.0.1")' },
    { name: 'socket bound twice is unknown', code: 'import socket\ns = socket.socket()\ns = wrap(s)\ns.bind(("", 1))' },
  ],
  invalid: [
    {
      code: 'import socket\nsock = socket.socket(socket.AF_INET)\nsock.bind(("0.0.0.0", 8080))',
      errors: [{ line: 3, column: 11, messageId: 'bind' }],
      output: null,
    },
    {
      name: 'with-bound socket, empty host',
      code: 'import socket\nwith socket.socket() as s:\n    s.bind(("", 9000))',
      errors: [{ line: 3, messageId: 'bind' }],
    },
    {
      name: 'from-import alias and address constant',
      code: 'from socket import socket as S\nADDR = ("::", 80)\nsrv = S()\nsrv.bind(ADDR)',
      errors: [{ line: 4, column: 10, messageId: 'bind' }],
    },
    {
      name: 'create_server',
      code: 'import socket\nsocket.create_server(("", 8080))',
      errors: [{ line: 2, messageId: 'bind' }],
    },
    {
      name: 'HTTPServer',
      code: 'from http.server import HTTPServer, SimpleHTTPRequestHandler\nHTTPServer(("0.0.0.0", 8000), SimpleHTTPRequestHandler).serve_forever()',
      errors: [{ line: 2, messageId: 'bind' }],
    },
    {
      name: 'socketserver alias',
      code: 'import socketserver as ss\nss.TCPServer(("0.0.0.0", 9999), Handler)',
      errors: [{ line: 2, messageId: 'bind' }],
    },
    {
      name: 'flask app.run under main guard',
      code: 'from flask import Flask\napp = Flask(__name__)\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", port=5000)',
      errors: [{ line: 4, messageId: 'bind', severity: 'low' }],
    },
    {
      name: 'flask positional host',
      code: 'import flask\napp = flask.Flask(__name__)\napp.run("0.0.0.0")',
      errors: [{ line: 3, messageId: 'bind' }],
    },
    {
      name: 'uvicorn',
      code: 'import uvicorn\nuvicorn.run("main:app", host="0.0.0.0", port=8000)',
      errors: [{ line: 2, messageId: 'bind' }],
    },
    {
      name: 'host constant',
      code: 'import uvicorn\nHOST = "0.0.0.0"\nuvicorn.run(app, host=HOST)',
      errors: [{ line: 3, messageId: 'bind' }],
    },
    {
      name: 'make_server',
      code: 'from wsgiref.simple_server import make_server\nmake_server("0.0.0.0", 8000, app)',
      errors: [{ line: 2, messageId: 'bind' }],
    },
    {
      name: 'aiohttp run_app',
      code: 'from aiohttp import web\nweb.run_app(app, host="::")',
      errors: [{ line: 2, messageId: 'bind' }],
    },
  ],
});
