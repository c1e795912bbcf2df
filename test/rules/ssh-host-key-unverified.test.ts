import rule from '../../src/rules/sensitive-data/ssh-host-key-unverified.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'import paramiko\nc = paramiko.SSHClient()\nc.set_missing_host_key_policy(paramiko.RejectPolicy())',
    { name: 'custom policy class', code: 'import paramiko\nclass Pinned(paramiko.MissingHostKeyPolicy):\n    pass\nc.set_missing_host_key_policy(Pinned())' },
    { name: 'custom subclass of AutoAddPolicy', code: 'import paramiko\nclass Audited(paramiko.AutoAddPolicy):\n    pass\nc.set_missing_host_key_policy(Audited())' },
    { name: 'policy from a variable of unknown value', code: 'def setup(client, policy):\n    client.set_missing_host_key_policy(policy)' },
    { name: 'look-alike AutoAddPolicy not from paramiko', code: 'from myssh import AutoAddPolicy\nc.set_missing_host_key_policy(AutoAddPolicy())' },
    { name: 'shadowed paramiko', code: 'def f(paramiko, c):\n    c.set_missing_host_key_policy(paramiko.AutoAddPolicy())' },
    { name: 'asyncssh with known hosts', code: 'import asyncssh\nasyncssh.connect(host, known_hosts="/etc/ssh/known_hosts")' },
    { name: 'asyncssh default', code: 'import asyncssh\nasyncssh.connect(host)' },
    { name: 'known_hosts=None elsewhere', code: 'other.connect(host, known_hosts=None)' },
  ],
  invalid: [
    {
      code: 'import paramiko\nclient = paramiko.SSHClient()\nclient.set_missing_host_key_policy(paramiko.AutoAddPolicy())',
      errors: [{ line: 3, column: 1, messageId: 'policy' }],
      output: null,
    },
    {
      name: 'class passed instead of an instance',
      code: 'import paramiko\nclient.set_missing_host_key_policy(paramiko.AutoAddPolicy)',
      errors: [{ line: 2, messageId: 'policy' }],
    },
    {
      name: 'WarningPolicy via from-import alias',
      code: 'from paramiko import SSHClient, WarningPolicy as WP\nssh = SSHClient()\nssh.set_missing_host_key_policy(WP())',
      errors: [{ line: 3, messageId: 'policy' }],
    },
    {
      name: 'policy bound to a name first',
      code: 'from paramiko.client import AutoAddPolicy\npolicy = AutoAddPolicy()\nself.client.set_missing_host_key_policy(policy)',
      errors: [{ line: 3, messageId: 'policy' }],
    },
    {
      name: 'asyncssh known_hosts=None',
      code: 'import asyncssh as a\nasync def run():\n    async with a.connect("host", known_hosts=None) as conn:\n        pass',
      errors: [{ line: 3, messageId: 'knownHostsNone' }],
    },
  ],
});
