import rule from '../../src/rules/secure-coding/open-redirect.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'constant URL', code: 'from flask import redirect\nredirect("/home")' },
    {
      name: 'url_for with request data in its arguments',
      code: 'from flask import redirect, request, url_for\ndef v():\n    return redirect(url_for("item", id=request.args["id"]))',
    },
    {
      name: 'django reverse',
      code: 'from django.shortcuts import redirect\nfrom django.urls import reverse\ndef v(request):\n    return redirect(reverse("item", args=[request.GET["id"]]))',
    },
    {
      name: 'path prefix fixes the host',
      code: 'from flask import redirect, request\ndef v():\n    return redirect("/items/" + request.args["id"])\ndef w():\n    return redirect(f"https://shop.example/cart?item={request.args[\'i\']}")',
    },
    {
      name: 'checked in an enclosing if',
      code: `
        from django.shortcuts import redirect
        from django.utils.http import url_has_allowed_host_and_scheme
        def login(request):
            next_url = request.GET.get("next")
            if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                return redirect(next_url)
            return redirect("/")
      `,
    },
    {
      name: 'guard clause with a local is_safe_url helper',
      code: `
        from flask import abort, redirect, request
        def login():
            target = request.args.get("next")
            if not is_safe_url(target):
                abort(400)
            return redirect(target)
      `,
    },
    {
      name: 'checked inline',
      code: 'from flask import redirect, request\ndef v():\n    n = request.args["n"]\n    return redirect(n if is_safe_url(n) else "/")',
    },
    {
      name: 'reassigned after the check',
      code: `
        from django.http import HttpResponseRedirect
        def v(request):
            url = request.GET.get("next")
            if not url_has_allowed_host_and_scheme(url, None):
                url = "/"
            return HttpResponseRedirect(url)
      `,
    },
    {
      name: 'redirect to this page (HTTPS upgrade)',
      code: 'from flask import redirect, request\ndef v():\n    return redirect(request.url.replace("http://", "https://", 1), code=301)',
    },
    { name: 'unknown source is not request data', code: 'from flask import redirect\ndef v(target):\n    return redirect(target)' },
    { name: 'local redirect function', code: 'from flask import request\ndef redirect(u):\n    pass\nredirect(request.args["n"])' },
    { name: 'look-alike method', code: 'from flask import request\nself.redirect(request.args["n"])' },
  ],
  invalid: [
    {
      name: 'flask next parameter',
      code: `
        from flask import redirect, request
        def login():
            return redirect(request.args.get("next", "/"))
      `,
      errors: [{ line: 3, column: 12, messageId: 'redirect' }],
      output: null,
    },
    {
      name: 'django shortcut through a name',
      code: `
        from django.shortcuts import redirect as go
        def v(request):
            target = request.GET["to"]
            return go(target)
      `,
      errors: [{ line: 4, messageId: 'redirect' }],
    },
    {
      name: 'django response classes',
      code: `
        from django import http
        def v(request):
            http.HttpResponseRedirect(request.POST["u"])
            return http.HttpResponsePermanentRedirect(redirect_to=request.GET.get("u"))
      `,
      errors: [
        { line: 3, messageId: 'redirect' },
        { line: 4, messageId: 'redirect' },
      ],
    },
    {
      name: 'starlette and fastapi',
      code: `
        from starlette.responses import RedirectResponse
        import fastapi.responses
        async def v(request):
            RedirectResponse(request.query_params["next"])
            return fastapi.responses.RedirectResponse(url=request.query_params.get("n"))
      `,
      errors: [
        { line: 4, messageId: 'redirect' },
        { line: 5, messageId: 'redirect' },
      ],
    },
    {
      name: 'a bare slash prefix does not fix the host (//evil.example)',
      code: 'import flask\ndef v():\n    return flask.redirect("/" + flask.request.args["p"])',
      errors: [{ line: 3, messageId: 'redirect' }],
    },
    {
      name: 'a check of another variable does not count',
      code: `
        from flask import redirect, request
        def v():
            a = request.args["a"]
            b = request.args["b"]
            if is_safe_url(a):
                pass
            return redirect(b)
      `,
      errors: [{ line: 7, messageId: 'redirect' }],
    },
    {
      name: 'werkzeug redirect with a header value',
      code: 'from werkzeug.utils import redirect\nfrom flask import request\ndef v():\n    return redirect(request.headers.get("X-Next"))',
      errors: [{ line: 4, messageId: 'redirect' }],
    },
  ],
});
