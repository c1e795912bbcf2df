"""Marketing pages, previews and redirects."""
import html
import logging

from flask import Flask, Markup, make_response, redirect, render_template, render_template_string, request, url_for
from jinja2 import Environment, Template, select_autoescape
from markupsafe import escape

app = Flask(__name__)
logger = logging.getLogger(__name__)

BANNER = "<div class='banner'>{}</div>"
FOOTER_TEMPLATE = "<footer>{{ year }} {{ company }}</footer>"
PARTNER_HOSTS = {"partner.example.com", "shop.example.com"}
env = Environment(autoescape=select_autoescape(["html"]))  # safe: jinja2-autoescape-disabled
raw_env = Environment()  # expect: jinja2-autoescape-disabled


def user_badge(user):
    return Markup(f"<span class='user'>{user.display_name}</span>")  # expect: unescaped-markup # safe: reflected-xss


@app.route("/hello")
def hello():
    name = request.args.get("name", "guest")
    return f"<h1>Hello {name}</h1>"  # expect: reflected-xss


@app.route("/hello-safe")
def hello_safe():
    name = request.args.get("name", "guest")
    return f"<h1>Hello {escape(name)}</h1>"  # safe: reflected-xss


@app.route("/greet")
def greet():
    name = request.args.get("name", "guest")
    return render_template("greet.html", name=name)  # safe: reflected-xss, template-injection


@app.route("/preview", methods=["POST"])
def preview():
    body = request.form["template"]
    return render_template_string(body)  # expect: template-injection


@app.route("/footer")
def footer():
    company = request.args.get("company", "ACME")
    return render_template_string(FOOTER_TEMPLATE, year=2024, company=company)  # safe: template-injection


@app.route("/card")
def card():
    title = request.args.get("title", "")
    tpl = Template("<h2>{{ title }}</h2>" + title)  # expect: template-injection
    return tpl.render(title=title)


@app.route("/widget")
def widget():
    source = request.args.get("layout", "")
    return env.from_string(source).render()  # expect: template-injection


@app.route("/badge")
def badge():
    label = request.args.get("label", "")
    return Markup(BANNER.format(label))  # expect: reflected-xss


@app.route("/badge-safe")
def badge_safe():
    label = request.args.get("label", "")
    return Markup(BANNER).format(label)  # safe: reflected-xss, unescaped-markup


@app.route("/notice")
def notice():
    msg = request.args.get("msg", "")
    resp = make_response("<p>" + html.escape(msg) + "</p>")  # safe: reflected-xss
    resp.headers["Content-Type"] = "text/html"  # safe: header-injection
    return resp


@app.route("/echo")
def echo():
    msg = request.args.get("msg", "")
    resp = make_response("<pre>%s</pre>" % msg)  # expect: reflected-xss
    return resp


@app.route("/go")
def go():
    target = request.args.get("next", "/")
    return redirect(target)  # expect: open-redirect


@app.route("/go-home")
def go_home():
    return redirect(url_for("hello"))  # safe: open-redirect


@app.route("/go-item")
def go_item():
    item = request.args.get("item", "")
    return redirect("/items/" + item)  # safe: open-redirect


@app.route("/go-partner")
def go_partner():
    from urllib.parse import urlparse

    url = request.args.get("url", "")
    if urlparse(url).netloc not in PARTNER_HOSTS:
        return redirect("/")  # safe: open-redirect
    return redirect(url)  # safe: open-redirect


@app.route("/lang")
def set_lang_header():
    lang = request.args.get("lang", "en")
    resp = make_response("ok")
    resp.headers["Content-Language"] = lang  # expect: header-injection
    resp.headers["X-Frame-Options"] = "DENY"  # safe: header-injection
    logger.debug("language header set to %s", lang)  # expect: log-injection
    return resp


@app.route("/about")
def about():
    return "<h1>About us</h1><p>We sell things.</p>"  # safe: reflected-xss
