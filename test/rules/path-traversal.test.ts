import rule from '../../src/rules/secure-coding/path-traversal.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'an HTTP client adapter: its request is outgoing, not attacker data',
      code: `
        from requests.adapters import BaseAdapter
        class LocalFSAdapter(BaseAdapter):
            def send(self, request, stream=None):
                return open(request.url[7:], "rb")
      `,
    },
    { name: 'constant path', code: 'open("/etc/app.conf")' },
    { name: 'unknown parameter is not request data', code: 'def read(path):\n    return open(path).read()' },
    {
      name: 'secure_filename',
      code: `
        import os
        from flask import request
        from werkzeug.utils import secure_filename
        def upload():
            f = request.files["doc"]
            name = secure_filename(f.filename)
            f.save(os.path.join("/srv/up", name))
            return open(os.path.join("/srv/up", name)).read()
      `,
    },
    {
      name: 'basename and int',
      code: 'import os\nfrom flask import request\ndef v():\n    open(os.path.join("/d", os.path.basename(request.args["f"])))\n    open("/d/%d.txt" % int(request.args["id"]))',
    },
    {
      name: 'send_from_directory file name is joined safely by Flask',
      code: 'from flask import request, send_from_directory\ndef v():\n    return send_from_directory("/srv/files", request.args["name"])',
    },
    {
      name: 'werkzeug safe_join',
      code: 'from flask import request, send_file\nfrom werkzeug.utils import safe_join\ndef v():\n    return send_file(safe_join("/srv", request.args["p"]))',
    },
    {
      name: 'commonpath containment check',
      code: `
        import os
        from flask import abort, request
        def v():
            path = os.path.join(BASE, request.args["p"])
            if os.path.commonpath([BASE, os.path.realpath(path)]) != BASE:
                abort(403)
            return open(path).read()
      `,
    },
    {
      name: 'realpath + startswith check',
      code: `
        import os
        from flask import abort, request
        def v():
            path = os.path.realpath(os.path.join(BASE, request.args["p"]))
            if not path.startswith(BASE + os.sep):
                abort(403)
            os.remove(path)
      `,
    },
    {
      name: 'dot-dot test',
      code: 'from flask import abort, request\ndef v():\n    name = request.args["n"]\n    if ".." in name:\n        abort(400)\n    return open("/d/" + name).read()',
    },
    { name: 'Path(x).name', code: 'from pathlib import Path\nfrom flask import request\ndef v():\n    open(Path(request.args["f"]).name)' },
    { name: 'shadowed open', code: 'from flask import request\ndef v(open):\n    open(request.args["f"])' },
    { name: 'look-alike method', code: 'from flask import request\ndef v():\n    storage.open(request.args["f"])\n    zf.open(request.args["f"])' },
    { name: 'request data as file contents, not path', code: 'from flask import request\ndef v():\n    open("/tmp/log", "a").write(request.args["msg"])' },
    // The command line, the terminal and the environment belong to whoever runs the program: a
    // tool opening the file it was given does its job.
    { name: 'CLI: the path given on the command line', code: 'import sys\nwith open(sys.argv[1]) as f:\n    print(f.read())' },
    { name: 'CLI: through a name and a suffix', code: 'import sys, io\ndef main():\n    name = sys.argv[1]\n    io.open(name + ".pag", "rb")' },
    { name: 'CLI: input()', code: 'path = input("file? ")\nopen(path).read()' },
    { name: 'CLI: tainted directory first in a join', code: 'import os, sys\nos.remove(os.path.join(sys.argv[1], "cache.db"))' },
  ],
  invalid: [
    { name: 'CLI: command-line value under a fixed directory (f-string)', code: 'import sys\nmonth = sys.argv[1]\nopen(f"/var/reports/{month}.txt", "w")', errors: [{ line: 3, messageId: 'traversal' }] },
    { name: 'CLI: under a base directory (join)', code: 'import os, sys\nBASE = "/srv/data"\nos.remove(os.path.join(BASE, sys.argv[1]))', errors: [{ line: 3, messageId: 'traversal' }] },
    { name: 'CLI: under a base directory (concatenation through a name)', code: 'import sys\nBASE = "/srv/data/"\np = BASE + input()\nopen(p)', errors: [{ line: 4, messageId: 'traversal' }] },
    { name: 'CLI: Path(base) / value', code: 'import sys\nfrom pathlib import Path\nPath("/srv") / sys.argv[1]\n(Path("/srv") / sys.argv[1]).unlink()', errors: [{ line: 4, messageId: 'traversal' }] },
    {
      name: 'flask send_file with os.path.join',
      code: `
        import os
        from flask import request, send_file
        def download():
            return send_file(os.path.join("/srv/files", request.args["name"]))
      `,
      errors: [{ line: 4, column: 12, messageId: 'traversal' }],
      output: null,
    },
    {
      name: 'open through a name (django view)',
      code: `
        from django.http import FileResponse
        def report(request):
            path = "/reports/" + request.GET["file"]
            return FileResponse(open(path, "rb"))
      `,
      errors: [{ line: 4, messageId: 'traversal' }],
    },
    {
      name: 'upload file name',
      code: `
        import io
        from flask import request
        def upload():
            f = request.files["doc"]
            with io.open("/srv/up/" + f.filename, "wb") as out:
                out.write(f.read())
      `,
      errors: [{ line: 5, messageId: 'traversal' }],
    },
    {
      name: 'deletion and copies',
      code: `
        import os, shutil
        from os import remove as rm
        from flask import request
        def v():
            name = request.form["name"]
            os.unlink(name)
            rm(name)
            shutil.rmtree("/data/" + name)
            shutil.copy("/tpl/base.txt", dst="/out/" + name)
      `,
      errors: [
        { line: 6, messageId: 'traversal' },
        { line: 7, messageId: 'traversal' },
        { line: 8, messageId: 'traversal' },
        { line: 9, messageId: 'traversal' },
      ],
    },
    {
      name: 'send_from_directory with a request-controlled directory',
      code: 'import flask\ndef v():\n    return flask.send_from_directory(flask.request.args["dir"], "index.html")',
      errors: [{ line: 3, messageId: 'traversal' }],
    },
    {
      name: 'pathlib',
      code: `
        from pathlib import Path
        from django.http import FileResponse
        def v(request):
            Path(request.GET["p"]).read_text()
            p = Path("/srv") / request.GET["q"]
            p.unlink()
            with (Path(BASE) / request.GET["r"]).open() as f:
                pass
      `,
      errors: [
        { line: 4, messageId: 'traversal' },
        { line: 6, messageId: 'traversal' },
        { line: 7, messageId: 'traversal' },
      ],
    },
    {
      name: 'a check in another function does not count',
      code: `
        import os
        from flask import request
        def check(p):
            return os.path.commonpath([BASE, p]) == BASE
        def v():
            return open(os.path.join(BASE, request.args["p"])).read()
      `,
      errors: [{ line: 6, messageId: 'traversal' }],
    },
  ],
});
