import rule from '../../src/rules/secure-coding/command-injection.js';
import { ruleTester } from '../helpers/rule-tester.js';

const FLASK = 'import os, subprocess, shlex\nfrom flask import Flask, request\napp = Flask(__name__)\n';

ruleTester(rule, {
  valid: [
    { name: 'list arguments without a shell', code: FLASK + 'def v():\n    subprocess.run(["ping", "-c", "1", request.args["h"]])' },
    { name: 'shlex.quote', code: FLASK + 'def v():\n    os.system("ping -c 1 " + shlex.quote(request.args["h"]))' },
    { name: 'constant command', code: FLASK + 'def v():\n    os.system("uptime")' },
    { name: 'int conversion', code: FLASK + 'def v():\n    n = int(request.args["n"])\n    subprocess.run(f"sleep {n}", shell=True)' },
    { name: 'overwritten', code: FLASK + 'def v():\n    h = request.args["h"]\n    h = "localhost"\n    os.system("ping " + h)' },
    { name: 'allow-list', code: FLASK + 'HOSTS = {"a", "b"}\ndef v():\n    h = request.args["h"]\n    if h in HOSTS:\n        os.system("ping " + h)' },
    { name: 'unknown origin (shell-command-built)', code: 'import os\ndef run(cmd):\n    os.system(cmd)' },
    { name: 'shell=False string of constant program', code: FLASK + 'def v():\n    subprocess.run("ls", shell=False)' },
    { name: 'look-alike system', code: FLASK + 'def v():\n    platform.system(request.args["x"])' },
    { name: 'exec_command without paramiko', code: FLASK + 'def v():\n    runner.exec_command(request.args["c"])' },
    {
      name: 'list bound to a name: constant program, tainted arguments',
      code: FLASK + 'BROWSER = "firefox"\ndef v():\n    cmd = [BROWSER] + [a.replace("%s", request.args["u"]) for a in ARGS]\n    subprocess.Popen(cmd)',
    },
    { name: 'list bound to a name, constant first item', code: 'import subprocess, sys\ncmd = ["grep", "-n", sys.argv[1], "log.txt"]\nsubprocess.run(cmd)' },
    { name: 'shell -c with a constant line', code: FLASK + 'def v():\n    subprocess.run(["sh", "-c", "ls -l"], cwd=request.args["d"])' },
    // The program a CLI runs is its user's choice: only remote data choosing it is flagged.
    { name: 'CLI: program from the command line', code: 'import os, subprocess, sys\nsubprocess.run([sys.argv[1], "--version"])\nos.execvp(input(), ["x"])' },
    { name: 'CLI: re-running itself (a reloader)', code: 'import subprocess, sys\ndef args():\n    return [sys.executable] + sys.argv\nsubprocess.call(args())' },
    { name: 'a program that is not a shell, -c argument', code: FLASK + 'def v():\n    subprocess.run(["ping", "-c", request.args["n"], "host"])' },
  ],
  invalid: [
    { name: 'os.system with request data', code: FLASK + 'def v():\n    os.system("ping -c 1 " + request.args["h"])', errors: [{ line: 5, messageId: 'tainted', severity: 'critical' }] },
    { name: 'subprocess shell=True f-string', code: FLASK + 'def v():\n    h = request.form.get("h")\n    subprocess.check_output(f"nslookup {h}", shell=True)', errors: [{ line: 6, messageId: 'tainted' }] },
    { name: 'tainted program without shell', code: FLASK + 'def v():\n    subprocess.run([request.args["tool"], "--version"])', errors: [{ line: 5, messageId: 'tainted' }] },
    { name: 'django view', code: 'import subprocess\nfrom django.http import HttpResponse\ndef v(request):\n    subprocess.Popen("convert " + request.GET["f"], shell=True)', errors: [{ line: 4, messageId: 'tainted' }] },
    { name: 'os.popen via helper', code: FLASK + 'def run(c):\n    return os.popen(c).read()\n@app.route("/x")\ndef v():\n    return run("ls " + request.args["d"])', errors: [{ line: 5, messageId: 'tainted' }] },
    { name: 'paramiko exec_command', code: 'import paramiko, sys\nclient = paramiko.SSHClient()\nclient.exec_command("cat " + sys.argv[1])', errors: [{ line: 3, messageId: 'tainted' }] },
    { name: 'os.execvp program', code: FLASK + 'def v():\n    os.execvp(request.args["p"], ["x"])', errors: [{ line: 5, messageId: 'tainted' }] },
    { name: 'list bound to a name with a tainted program', code: FLASK + 'def v():\n    cmd = [request.args["tool"], "--version"]\n    subprocess.run(cmd)', errors: [{ line: 6, messageId: 'tainted' }] },
    { name: 'a command line from the command line still goes through a shell', code: 'import subprocess, sys\nsubprocess.run("tar czf " + sys.argv[1], shell=True)', errors: [{ line: 2, messageId: 'tainted' }] },
    { name: 'concatenated list with a tainted program', code: FLASK + 'def v():\n    cmd = [request.args["tool"]] + ["-v"]\n    subprocess.run(cmd)', errors: [{ line: 6, messageId: 'tainted' }] },
    { name: 'sh -c with request data', code: FLASK + 'def v():\n    subprocess.run(["sh", "-c", "ping " + request.args["h"]])', errors: [{ line: 5, messageId: 'tainted' }] },
    { name: 'bash -c through a name', code: FLASK + 'def v():\n    argv = ["/bin/bash", "-c", f"tar xf {request.form[\'f\']}"]\n    subprocess.check_call(argv)', errors: [{ line: 6, messageId: 'tainted' }] },
    { name: 'getoutput', code: FLASK + 'def v():\n    return subprocess.getoutput("whois %s" % request.args["d"])', errors: [{ line: 5, messageId: 'tainted' }] },
  ],
});
