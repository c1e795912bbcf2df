import rule from '../../src/rules/sensitive-data/tls-insecure-protocol.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)',
    { name: 'negotiating constants', code: 'import ssl\nssl.SSLContext(ssl.PROTOCOL_TLS)\nssl.SSLContext(ssl.PROTOCOL_SSLv23)' },
    'import ssl\nctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1_2',
    { name: 'TLS 1.3 as maximum', code: 'import ssl\nctx.maximum_version = ssl.TLSVersion.TLSv1_3' },
    { name: 'user attribute with the same name', code: 'settings.PROTOCOL_TLSv1\nproto = config.PROTOCOL_TLSv1' },
    { name: 'comparison is not a selection', code: 'import ssl\nif proto == ssl.PROTOCOL_TLSv1:\n    warn()' },
    {
      name: 'TLSVersion compared, not set',
      code: 'import ssl\nif ctx.minimum_version <= ssl.TLSVersion.TLSv1_1:\n    ctx.minimum_version = ssl.TLSVersion.TLSv1_2',
    },
    { name: 'disabling old protocols is good', code: 'import ssl\nctx.options |= ssl.OP_NO_TLSv1 | ssl.OP_NO_TLSv1_1' },
    { name: 'pyOpenSSL modern method', code: 'from OpenSSL import SSL\nSSL.Context(SSL.TLS_CLIENT_METHOD)' },
    {
      name: 'imported name used only as an attribute of something else',
      code: 'from ssl import PROTOCOL_TLSv1\nx = other.PROTOCOL_TLSv1',
    },
    { name: 'local constant of the same name', code: 'PROTOCOL_TLSv1 = 1\nconnect(PROTOCOL_TLSv1)' },
    { name: 'keyword named like the constant', code: 'f(PROTOCOL_TLSv1=True)' },
    {
      name: 'lookup tables keyed by protocol (urllib3 style)',
      code: 'import ssl\nimport OpenSSL.SSL\nVERSIONS = {ssl.PROTOCOL_TLSv1: OpenSSL.SSL.TLSv1_METHOD}\nif hasattr(ssl, "PROTOCOL_SSLv3"):\n    VERSIONS[ssl.PROTOCOL_SSLv3] = OpenSSL.SSL.SSLv3_METHOD',
    },
    { name: 'TLSVersion in a tuple of supported versions', code: 'import ssl\nKNOWN = (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_2)' },
  ],
  invalid: [
    {
      code: 'import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)',
      errors: [{ line: 2, column: 22, messageId: 'protocol', severity: 'medium' }],
      output: null,
    },
    {
      name: 'SSLv3 in wrap_socket, aliased module',
      code: 'import ssl as s\ns.wrap_socket(sock, ssl_version=s.PROTOCOL_SSLv3)',
      errors: [{ line: 2, messageId: 'protocol', severity: 'high' }],
    },
    {
      name: 'from-import of the constant',
      code: 'from ssl import PROTOCOL_TLSv1_1, SSLContext\nctx = SSLContext(PROTOCOL_TLSv1_1)',
      errors: [{ line: 2, column: 18, messageId: 'protocol' }],
    },
    {
      name: 'constant stored in a default',
      code: 'import ssl\nDEFAULTS = {"ssl_version": ssl.PROTOCOL_SSLv2}',
      errors: [{ line: 2, messageId: 'protocol', severity: 'high' }],
    },
    {
      name: 'pyOpenSSL methods',
      code: 'from OpenSSL import SSL\na = SSL.Context(SSL.TLSv1_METHOD)\nb = SSL.Context(SSL.SSLv3_METHOD)',
      errors: [
        { line: 2, messageId: 'protocol' },
        { line: 3, messageId: 'protocol', severity: 'high' },
      ],
    },
    {
      name: 'minimum_version TLS 1.0 (fixed)',
      code: 'import ssl\nctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1',
      errors: [{ line: 3, column: 23, messageId: 'minimumVersion' }],
      output: 'import ssl\nctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1_2',
    },
    {
      name: 'minimum_version via from-import of TLSVersion',
      code: 'from ssl import TLSVersion\nctx.minimum_version = TLSVersion.TLSv1_1',
      errors: [{ line: 2, messageId: 'minimumVersion' }],
      output: 'from ssl import TLSVersion\nctx.minimum_version = TLSVersion.TLSv1_2',
    },
    {
      name: 'maximum_version capped at TLS 1.1',
      code: 'import ssl\nctx.maximum_version = ssl.TLSVersion.TLSv1_1',
      errors: [{ line: 2, messageId: 'maximumVersion' }],
      output: null,
    },
    {
      name: 'pyOpenSSL minimum protocol',
      code: 'from OpenSSL import SSL\nctx.set_min_proto_version(SSL.TLS1_VERSION)',
      errors: [{ line: 2, messageId: 'minimumVersion' }],
    },
  ],
});
