"""Tiny CMS: page previews, greeting banners, downloads and per-user display settings."""
import json
import logging
from urllib.parse import quote

from flask import (
    Flask,
    Response,
    make_response,
    render_template,
    render_template_string,
    request,
    session,
)
from jinja2 import Environment, select_autoescape
from markupsafe import Markup, escape

app = Flask(__name__)
app.config.from_envvar("CMS_SETTINGS")
log = logging.getLogger("cms.pages")

env = Environment(autoescape=select_autoescape(["html"]))
THEMES = ("light", "dark", "solarized")
LANGUAGES = {"en": "English", "de": "Deutsch", "fr": "Français"}

BANNER = """
<div class="banner">{{ message }}</div>
"""


def build_banner(text):
    return "<div class='banner'>" + text + "</div>"


@app.route("/preview", methods=["POST"])
def preview():
    body = request.form.get("body", "")
    title = request.form.get("title", "Untitled")
    page = "<html><head><title>%s</title></head><body>%s</body></html>" % (title, body)
    return render_template_string(page)  # expect: template-injection


@app.route("/greet")
def greet():
    who = request.args.get("name", "friend")
    return render_template_string("<p>Welcome back, {{ who }}!</p>", who=who)  # safe: template-injection


@app.route("/banner")
def banner():
    message = request.args.get("msg", "")
    html = render_template_string(BANNER, message=message)  # safe: template-injection
    return html  # safe: reflected-xss


@app.route("/banner/raw")
def banner_raw():
    message = request.args.get("msg", "")
    return make_response(build_banner(message))  # expect: reflected-xss


@app.route("/snippet", methods=["POST"])
def snippet():
    data = request.get_json(force=True)
    tpl = env.from_string(data["template"])  # expect: template-injection
    return tpl.render(user=session.get("user"))


@app.route("/snippet/saved/<int:snippet_id>")
def saved_snippet(snippet_id):
    source = app.config["SNIPPETS"][snippet_id]
    return env.from_string(source).render()  # safe: template-injection


@app.route("/notice")
def notice():
    text = request.args.get("text", "")
    return Markup("<strong>%s</strong>") % text  # safe: reflected-xss


@app.route("/notice/legacy")
def notice_legacy():
    text = request.args.get("text", "")
    return Markup("<strong>" + text + "</strong>")  # expect: reflected-xss


@app.route("/echo")
def echo():
    value = request.args.get("v", "")
    return Response(value, mimetype="text/plain")  # safe: reflected-xss


@app.route("/echo/html")
def echo_html():
    value = request.cookies.get("last_search", "")
    return Response("<p>Last search: {}</p>".format(value))  # expect: reflected-xss


@app.route("/search")
def search():
    q = request.args.get("q", "")
    return render_template("search.html", q=q)  # safe: reflected-xss, template-injection


@app.route("/download/<int:doc_id>")
def download(doc_id):
    name = request.args.get("as", "document.pdf")
    resp = make_response(open(f"/srv/cms/docs/{doc_id}.pdf", "rb").read())
    resp.headers["Content-Disposition"] = "attachment; filename=" + name  # expect: header-injection
    resp.headers["Content-Type"] = "application/pdf"  # safe: header-injection
    return resp


@app.route("/download/<int:doc_id>/safe")
def download_safe(doc_id):
    name = request.args.get("as", "document.pdf")
    resp = make_response(open(f"/srv/cms/docs/{doc_id}.pdf", "rb").read())
    resp.headers["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(name)  # safe: header-injection
    return resp


@app.route("/api/trace")
def trace():
    trace_id = request.headers.get("X-Trace-Id", "")
    resp = make_response(json.dumps({"ok": True}))
    resp.headers["Content-Type"] = "application/json"
    resp.headers.set("X-Trace-Id", trace_id)  # expect: header-injection
    resp.headers["X-Trace-Echo"] = trace_id.replace("\r", "").replace("\n", "")  # safe: header-injection
    return resp


@app.route("/settings", methods=["POST"])
def settings():
    theme = request.form.get("theme", "light")
    if theme not in THEMES:
        theme = "light"
    session["theme"] = theme  # safe: trust-boundary-violation
    lang = request.form.get("lang", "en")
    session["lang_name"] = LANGUAGES.get(lang, "English")  # safe: trust-boundary-violation
    session["display_name"] = request.form.get("display_name", "")  # expect: trust-boundary-violation
    session["page_size"] = int(request.form.get("page_size", "20"))  # safe: trust-boundary-violation
    log.info("settings saved: theme=%s lang=%s", theme, lang)  # expect: log-injection
    return render_template("settings.html")


@app.route("/impersonate", methods=["POST"])
def impersonate():
    session.update(role=request.form["role"], acting_as=request.form["user"])  # expect: trust-boundary-violation
    return "ok"


@app.route("/hello/<name>")
def hello(name):
    return "<h2>Hello, %s</h2>" % escape(name)  # safe: reflected-xss
