import rule from '../../src/rules/logging/logging-config-listen.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'verify keyword', code: 'import logging.config\nlogging.config.listen(9999, verify=check)' },
    { name: 'verify positional', code: 'import logging.config\nlogging.config.listen(9999, check)' },
    { name: 'verify lambda', code: 'import logging.config\nlogging.config.listen(verify=lambda b: b if ok(b) else None)' },
    { name: 'splat kwargs', code: 'import logging.config\nlogging.config.listen(**options)' },
    { name: 'unrelated listen', code: 'server.listen(9999)\nsock.listen(5)' },
    { name: 'local listen function', code: 'def listen(port):\n    pass\nlisten(9999)' },
    { name: 'other library listen', code: 'from mylogging.config import listen\nlisten(9999)' },
    { name: 'logging without config listen', code: 'import logging\nlogging.basicConfig()\nlogging.config.dictConfig(cfg)' },
    { name: 'stopListening', code: 'import logging.config\nlogging.config.stopListening()' },
  ],
  invalid: [
    {
      code: 'import logging.config\nt = logging.config.listen(9999)',
      errors: [{ line: 2, column: 5, messageId: 'noVerify' }],
      output: null,
    },
    {
      name: 'no arguments',
      code: 'import logging.config\nlogging.config.listen()',
      errors: [{ line: 2, messageId: 'noVerify' }],
    },
    {
      name: 'verify=None',
      code: 'import logging.config\nlogging.config.listen(9999, verify=None)',
      errors: [{ line: 2, messageId: 'noVerify' }],
    },
    {
      name: 'positional None',
      code: 'import logging.config\nlogging.config.listen(9999, None)',
      errors: [{ line: 2, messageId: 'noVerify' }],
    },
    {
      name: 'from-import alias',
      code: 'from logging.config import listen as start_listener\nstart_listener(port=9030)',
      errors: [{ line: 2, messageId: 'noVerify' }],
    },
    {
      name: 'module alias',
      code: 'import logging.config as lc\nlc.listen(9999).start()',
      errors: [{ line: 2, messageId: 'noVerify' }],
    },
    {
      name: 'from logging import config',
      code: 'from logging import config\nconfig.listen()',
      errors: [{ line: 2, messageId: 'noVerify' }],
    },
  ],
});
