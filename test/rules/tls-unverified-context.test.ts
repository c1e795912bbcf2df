import rule from '../../src/rules/sensitive-data/tls-unverified-context.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'import ssl\nctx = ssl.create_default_context()',
    'import ssl\nctx = ssl.create_default_context()\nctx.check_hostname = True\nctx.verify_mode = ssl.CERT_REQUIRED',
    { name: 'CERT_OPTIONAL is not CERT_NONE', code: 'import ssl\nctx.verify_mode = ssl.CERT_OPTIONAL' },
    {
      name: 'server context without client certificates',
      code: 'import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\nctx.verify_mode = ssl.CERT_NONE',
    },
    {
      name: 'server purpose',
      code: 'import ssl\nctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)\nctx.check_hostname = False\nctx.verify_mode = ssl.CERT_NONE',
    },
    { name: 'server-side wrap_socket', code: 'import ssl\nssl.wrap_socket(sock, server_side=True, certfile="c.pem")' },
    { name: 'verifying wrap_socket', code: 'import ssl\nssl.wrap_socket(sock, cert_reqs=ssl.CERT_REQUIRED, ca_certs="ca.pem")' },
    { name: 'wrap_socket with unknown options', code: 'import ssl\nssl.wrap_socket(sock, **opts)' },
    { name: 'check_hostname on an unknown object', code: 'options.check_hostname = False' },
    { name: 'user attribute named CERT_NONE', code: 'ctx.verify_mode = config.CERT_NONE' },
    { name: 'shadowed ssl', code: 'def f(ssl):\n    return ssl._create_unverified_context()' },
    { name: 'context method wrap_socket', code: 'import ssl\nctx = ssl.create_default_context()\nctx.wrap_socket(sock, server_hostname=h)' },
    {
      name: 'stdlib factory with both checks re-enabled',
      code: 'import ssl\nssl._create_stdlib_context(cert_reqs=ssl.CERT_REQUIRED, check_hostname=True)',
    },
    { name: 'pyOpenSSL verifying', code: 'from OpenSSL import SSL\nctx = SSL.Context(SSL.TLS_METHOD)\nctx.set_verify(SSL.VERIFY_PEER, cb)' },
  ],
  invalid: [
    {
      code: 'import ssl\nctx = ssl._create_unverified_context()',
      errors: [{ line: 2, column: 7, messageId: 'unverifiedContext' }],
      output: null,
    },
    {
      name: 'alias and stdlib variant',
      code: 'import ssl as s\nfrom ssl import _create_stdlib_context as mk\na = s._create_unverified_context()\nb = mk()',
      errors: [
        { line: 3, messageId: 'unverifiedContext' },
        { line: 4, messageId: 'unverifiedContext' },
      ],
    },
    {
      name: 'global monkey-patch',
      code: 'import ssl\nssl._create_default_https_context = ssl._create_unverified_context',
      errors: [{ line: 2, column: 1, messageId: 'globalUnverified' }],
    },
    {
      name: 'client context with checks switched off',
      code: 'import ssl\nctx = ssl.create_default_context()\nctx.check_hostname = False\nctx.verify_mode = ssl.CERT_NONE',
      errors: [
        { line: 3, messageId: 'checkHostname' },
        { line: 4, messageId: 'verifyMode' },
      ],
    },
    {
      name: 'SSLContext from-import',
      code: 'from ssl import SSLContext, PROTOCOL_TLS_CLIENT, CERT_NONE\nc = SSLContext(PROTOCOL_TLS_CLIENT)\nc.check_hostname = False\nc.verify_mode = CERT_NONE',
      errors: [
        { line: 3, messageId: 'checkHostname' },
        { line: 4, messageId: 'verifyMode' },
      ],
    },
    {
      name: 'verify_mode on any receiver',
      code: 'import ssl\ndef harden(context):\n    context.verify_mode = ssl.VerifyMode.CERT_NONE',
      errors: [{ line: 3, messageId: 'verifyMode' }],
    },
    {
      name: 'wrap_socket with CERT_NONE',
      code: 'import ssl\nssl.wrap_socket(sock, cert_reqs=ssl.CERT_NONE)',
      errors: [{ line: 2, column: 23, messageId: 'wrapSocket' }],
    },
    {
      name: 'wrap_socket relying on the unverified default',
      code: 'from ssl import wrap_socket\nwrap_socket(sock)',
      errors: [{ line: 2, messageId: 'wrapSocketDefault' }],
    },
    {
      name: 'pyOpenSSL VERIFY_NONE',
      code: 'from OpenSSL import SSL\nctx = SSL.Context(SSL.TLS_METHOD)\nctx.set_verify(SSL.VERIFY_NONE, lambda *a: True)',
      errors: [{ line: 3, messageId: 'pyopenssl' }],
    },
  ],
});
