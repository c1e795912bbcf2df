import rule from '../../src/rules/logging/stack-trace-exposed.js';
import { describe, expect, it } from '@jest/globals';
import { ruleTester, run } from '../helpers/rule-tester.js';

const FLASK = 'import traceback\nfrom flask import Flask, jsonify\napp = Flask(__name__)\n';

ruleTester(rule, {
  valid: [
    {
      name: 'traceback only logged',
      code: `${FLASK}import logging\n@app.route("/x")\ndef x():\n    try:\n        return work()\n    except Exception:\n        logging.error(traceback.format_exc())\n        return jsonify(error="internal error"), 500`,
    },
    {
      name: 'traceback bound to a name that is only logged',
      code: `${FLASK}@app.route("/x")\ndef x():\n    try:\n        return work()\n    except Exception:\n        tb = traceback.format_exc()\n        app.logger.error(tb)\n        return jsonify(error="internal error"), 500`,
    },
    {
      name: 'not a handler',
      code: 'import traceback\ndef describe_error():\n    return traceback.format_exc()',
    },
    {
      name: 'route decorator without a web framework',
      code: 'import traceback\n@scheduler.route("job")\ndef job():\n    return traceback.format_exc()',
    },
    {
      name: 'local format_exc function',
      code: `${FLASK}def format_exc():\n    return "error"\n@app.route("/x")\ndef x():\n    return jsonify(error=format_exc())`,
    },
    {
      name: 'narrow, user-facing exception text',
      code: `${FLASK}@app.route("/x")\ndef x():\n    try:\n        validate()\n    except ValueError as e:\n        return jsonify(error=str(e)), 400`,
    },
    {
      name: 'exception text only logged',
      code: `${FLASK}@app.route("/x")\ndef x():\n    try:\n        work()\n    except Exception as e:\n        app.logger.error(f"failed: {e}")\n        return jsonify(error="failed"), 500`,
    },
    {
      name: 'traceback in a nested helper that is not returned',
      code: `${FLASK}@app.route("/x")\ndef x():\n    def report():\n        return traceback.format_exc()\n    send_to_sentry(report)\n    return "ok"`,
    },
    {
      name: 'keyword named like the traceback variable',
      code: `${FLASK}@app.route("/x")\ndef x():\n    tb = traceback.format_exc()\n    log(tb)\n    return jsonify(tb="hidden")`,
    },
    {
      name: 'CLI function with a request parameter, no framework',
      code: 'import traceback\ndef handle(request):\n    return traceback.format_exc()',
    },
    {
      name: 'Django view, traceback passed to mail_admins',
      code: 'import traceback\nfrom django.http import JsonResponse\nfrom django.core.mail import mail_admins\ndef view(request):\n    try:\n        return JsonResponse(work())\n    except Exception:\n        mail_admins("error", traceback.format_exc())\n        return JsonResponse({"error": "internal"}, status=500)',
    },
    {
      name: 'exception text returned from a helper that is not a handler',
      code: 'def safe_call(fn):\n    try:\n        return fn()\n    except Exception as e:\n        return str(e)',
    },
    {
      name: 'attribute named like the traceback variable',
      code: `${FLASK}@app.route("/x")\ndef x():\n    tb = traceback.format_exc()\n    log(tb)\n    return jsonify(status=job.tb)`,
    },
  ],
  invalid: [
    {
      name: 'jsonify keyword',
      code: `${FLASK}@app.route("/orders")\ndef orders():\n    try:\n        return jsonify(load())\n    except Exception:\n        return jsonify(error=traceback.format_exc()), 500`,
      errors: [{ line: 9, column: 30, messageId: 'traceback' }],
    },
    {
      name: 'returned directly from an error handler',
      code: `${FLASK}@app.errorhandler(Exception)\ndef handle(e):\n    return traceback.format_exc(), 500`,
      errors: [{ line: 6, messageId: 'traceback' }],
    },
    {
      name: 'through a local name and an f-string',
      code: `${FLASK}@app.route("/x")\ndef x():\n    try:\n        work()\n    except Exception:\n        tb = traceback.format_exc()\n        return f"<pre>{tb}</pre>", 500`,
      errors: [{ line: 9, messageId: 'traceback' }],
    },
    {
      name: 'Django view with HttpResponse',
      code: 'import traceback\nfrom django.http import HttpResponse\ndef view(request):\n    try:\n        work()\n    except Exception:\n        return HttpResponse("Error: " + traceback.format_exc(), status=500)',
      errors: [{ line: 7, messageId: 'traceback' }],
    },
    {
      name: 'DRF class-based view',
      code: 'import traceback\nfrom rest_framework.views import APIView\nfrom rest_framework.response import Response\nclass Orders(APIView):\n    def get(self, request):\n        try:\n            return Response(load())\n        except Exception:\n            return Response({"detail": traceback.format_exception(*sys.exc_info())}, status=500)',
      errors: [{ line: 9, messageId: 'traceback' }],
    },
    {
      name: 'FastAPI HTTPException detail',
      code: 'import traceback as tbm\nfrom fastapi import FastAPI, HTTPException\napp = FastAPI()\n@app.get("/items")\nasync def items():\n    try:\n        return await load()\n    except Exception:\n        raise HTTPException(status_code=500, detail=tbm.format_exc())',
      errors: [{ line: 9, messageId: 'traceback' }],
    },
    {
      name: 'sys.exc_info in a dict',
      code: 'import sys\nfrom flask import Flask\napp = Flask(__name__)\n@app.route("/x")\ndef x():\n    try:\n        work()\n    except Exception:\n        return {"error": str(sys.exc_info()[1])}, 500',
      errors: [{ line: 9, messageId: 'traceback' }],
    },
    {
      name: 'str(e) of a broad exception: low confidence',
      code: `${FLASK}@app.route("/x")\ndef x():\n    try:\n        work()\n    except Exception as e:\n        return jsonify(error=str(e)), 500`,
      errors: [{ line: 9, messageId: 'exceptionText' }],
    },
    {
      name: 'f-string with the exception, FastAPI JSONResponse',
      code: 'from fastapi import APIRouter\nfrom fastapi.responses import JSONResponse\nrouter = APIRouter()\n@router.post("/run")\ndef run():\n    try:\n        go()\n    except (KeyError, Exception) as err:\n        return JSONResponse({"error": f"failed: {err!r}"}, status_code=500)',
      errors: [{ line: 9, messageId: 'exceptionText' }],
    },
    {
      name: 'traceback stripped and rendered into a template',
      code: `${FLASK}from flask import render_template\n@app.route("/x")\ndef x():\n    try:\n        work()\n    except Exception:\n        tb = traceback.format_exc()\n        return render_template("error.html", trace=tb.strip())`,
      errors: [{ line: 10, messageId: 'traceback' }],
    },
  ],
});

describe('stack-trace-exposed docs', () => {
  it('flags docs.example and not docs.useInstead', () => {
    expect(run(rule, rule.meta.docs.example).findings.length).toBeGreaterThan(0);
    expect(run(rule, rule.meta.docs.useInstead).findings).toEqual([]);
  });
});

describe('stack-trace-exposed confidence', () => {
  it('is low for exception text and high for tracebacks', () => {
    const code = `${FLASK}@app.route("/x")\ndef x():\n    try:\n        work()\n    except Exception as e:\n        return jsonify(error=str(e), tb=traceback.format_exc()), 500`;
    expect(run(rule, code).findings.map((f) => [f.messageId, f.confidence])).toEqual([
      ['exceptionText', 'low'],
      ['traceback', 'high'],
    ]);
  });
});
