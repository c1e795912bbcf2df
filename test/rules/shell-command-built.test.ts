import rule from '../../src/rules/secure-coding/shell-command-built.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'django view request (reported by command-injection)',
      code: `
        import subprocess
        from django.http import HttpResponse
        def view(request):
            subprocess.run(f"nslookup {request.GET['d']}", shell=True)
      `,
    },
    {
      name: 'module-qualified flask.request (reported by command-injection)',
      code: 'import os, flask\nos.system("ls " + flask.request.args["d"])',
    },
    {
      name: 'flask request data (reported by command-injection)',
      code: `
        import os
        from flask import request
        def ping():
            host = request.args.get("host")
            os.system("ping -c 1 " + host)
      `,
    },
    { name: 'constant command with shell', code: 'import subprocess\nsubprocess.run("ls -l | wc -l", shell=True)' },
    { name: 'constant bound once', code: 'import os\nCMD = "uptime"\nos.system(CMD)' },
    { name: 'constant f-string', code: 'import os\nDIR = "/tmp"\nos.system(f"ls {DIR}")' },
    { name: 'list without shell', code: 'import subprocess\nsubprocess.run(["ls", path])' },
    { name: 'string without shell', code: 'import subprocess\nsubprocess.check_output(cmd)' },
    { name: 'shell=False', code: 'import subprocess\nsubprocess.Popen(cmd, shell=False)' },
    { name: 'shell from a variable is unknown', code: 'import subprocess\nsubprocess.call(cmd, shell=use_shell)' },
    {
      name: 'list with shell: only the first item is shell code',
      code: 'import subprocess\nsubprocess.run(["ls -l", name], shell=True)',
    },
    { name: 'shadowed os', code: 'def f(os, cmd):\n    os.system(cmd)' },
    { name: 'local function named system', code: 'def system(cmd):\n    pass\nsystem(cmd)' },
    { name: 'look-alike method', code: 'runner.run(cmd, shell=True)\nself.popen(cmd)' },
    { name: 'create_subprocess_exec is not a shell', code: 'import asyncio\nasyncio.create_subprocess_exec("ls", name)' },
    { name: 'os.popen with a constant', code: 'import os\nos.popen("date")' },
    { name: 'values quoted with shlex.quote', code: 'import os, shlex\nos.system("ls " + shlex.quote(d))\nos.system(f"cat {shlex.quote(a)} {shlex.quote(b)}")' },
    { name: 'quoted value bound once', code: 'import subprocess\nfrom shlex import quote\nq = quote(name)\nsubprocess.run("grep x " + q, shell=True)' },
    { name: 'int conversion', code: 'import os\nos.system("kill -9 %d" % int(pid))\nos.system("renice {} {}".format(10, int(pid)))' },
  ],
  invalid: [
    {
      name: 'f-string with shell=True',
      code: 'import subprocess\nsubprocess.run(f"ls {path}", shell=True)',
      errors: [{ line: 2, column: 1, messageId: 'built', severity: 'high' }],
      output: null,
    },
    {
      name: 'alias and Popen',
      code: 'import subprocess as sp\nsp.Popen("tar xf " + archive, shell=True)',
      errors: [{ line: 2, messageId: 'built' }],
    },
    {
      name: 'from-import alias, check_output, format',
      code: 'from subprocess import check_output as co\nco("grep {} log".format(term), shell=1)',
      errors: [{ line: 2, messageId: 'built' }],
    },
    {
      name: 'call and check_call with a variable command',
      code: 'import subprocess\nsubprocess.call(cmd, shell=True)\nsubprocess.check_call(args=cmd, shell=True)',
      errors: [
        { line: 2, messageId: 'dynamic' },
        { line: 3, messageId: 'dynamic' },
      ],
    },
    {
      name: 'os.system with percent formatting',
      code: 'import os\nos.system("ping -c 1 %s" % host)',
      errors: [{ line: 2, messageId: 'built' }],
    },
    {
      name: 'os.popen and subprocess.getoutput',
      code: 'import os, subprocess\nos.popen("cat " + name)\nsubprocess.getoutput(f"du -sh {d}")\nsubprocess.getstatusoutput(cmd)',
      errors: [
        { line: 2, messageId: 'built' },
        { line: 3, messageId: 'built' },
        { line: 4, messageId: 'dynamic' },
      ],
    },
    {
      name: 'only some values quoted',
      code: 'import os, shlex\nos.system(f"cp {shlex.quote(a)} {b}")',
      errors: [{ line: 2, messageId: 'built' }],
    },
    {
      name: 'python 2 commands module',
      code: 'import commands\ncommands.getoutput("ls " + d)',
      errors: [{ line: 2, messageId: 'built' }],
    },
    {
      name: 'asyncio shell',
      code: 'import asyncio\nasync def f(name):\n    await asyncio.create_subprocess_shell(f"echo {name}")',
      errors: [{ line: 3, messageId: 'built' }],
    },
    {
      name: 'list with shell=True whose first item is built',
      code: 'import subprocess\nsubprocess.run([f"ls {d}"], shell=True)',
      errors: [{ line: 2, messageId: 'built' }],
    },
    {
      name: 'an attribute named like a request-data variable is not that variable',
      code: `
        import os
        from flask import request
        cmd = request.args["cmd"]
        os.system(config.cmd)
      `,
      errors: [{ line: 4, messageId: 'dynamic', severity: 'high' }],
    },
  ],
});
