"""Order views: search, invoices, exports and redirects."""
import json
import logging
import os
import subprocess

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt

from .models import Order

logger = logging.getLogger(__name__)
INVOICE_DIR = "/srv/invoices"
STATUS_CHOICES = ("open", "paid", "shipped")


@login_required
def search(request):
    q = request.GET.get("q", "")
    orders = Order.objects.raw(f"SELECT * FROM orders_order WHERE customer LIKE '%%{q}%%'")  # expect: sql-injection
    return render(request, "orders/search.html", {"orders": orders, "q": q})  # safe: reflected-xss


@login_required
def search_safe(request):
    q = request.GET.get("q", "")
    orders = Order.objects.raw("SELECT * FROM orders_order WHERE customer LIKE %s", [f"%{q}%"])  # safe: sql-injection, sql-string-built
    return render(request, "orders/search.html", {"orders": orders})


@login_required
def by_status(request):
    status = request.GET.get("status", "open")
    if status not in STATUS_CHOICES:
        status = "open"
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, total FROM orders_order WHERE status = %s", [status])  # safe: sql-injection, sql-string-built
        rows = cursor.fetchall()
    return JsonResponse({"orders": rows})


@login_required
def totals(request):
    region = request.POST.get("region", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT SUM(total) FROM orders_order WHERE region = '%s'" % region)  # expect: sql-injection
        return JsonResponse({"total": cursor.fetchone()[0]})


@login_required
def ranked(request):
    weight = request.GET.get("weight", "1")
    qs = Order.objects.annotate(score=RawSQL("total * " + weight, []))  # expect: sql-injection
    return JsonResponse({"ids": [o.id for o in qs]})


@login_required
def extra_filter(request):
    field = request.GET.get("field", "")
    qs = Order.objects.extra(where=["%s = 1" % field])  # expect: sql-injection
    return JsonResponse({"count": qs.count()})


@login_required
def order_detail(request, order_id):
    order = get_object_or_404(Order, pk=order_id, owner=request.user)
    return render(request, "orders/detail.html", {"order": order})


@login_required
def invoice(request):
    number = request.GET["number"]
    path = os.path.join(INVOICE_DIR, number + ".pdf")
    return FileResponse(open(path, "rb"))  # expect: path-traversal


@login_required
def invoice_safe(request):
    name = os.path.basename(request.GET["number"]) + ".pdf"
    return FileResponse(open(os.path.join(INVOICE_DIR, name), "rb"))  # safe: path-traversal


@login_required
def greeting(request):
    name = request.GET.get("name", "")
    return HttpResponse("<p>Hello " + name + "</p>")  # expect: reflected-xss


@login_required
def greeting_safe(request):
    name = request.GET.get("name", "")
    return HttpResponse("<p>Hello %s</p>" % escape(name))  # safe: reflected-xss


@login_required
def banner(request):
    text = request.GET.get("text", "")
    return HttpResponse(mark_safe("<b>%s</b>" % text))  # expect: reflected-xss


@login_required
def banner_safe(request):
    text = request.GET.get("text", "")
    return HttpResponse(format_html("<b>{}</b>", text))  # safe: reflected-xss, unescaped-markup


def after_login(request):
    nxt = request.GET.get("next", "/")
    return HttpResponseRedirect(nxt)  # expect: open-redirect


def after_logout(request):
    nxt = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=True):
        nxt = "/"
    return redirect(nxt)  # safe: open-redirect


def go_order(request, order_id):
    return redirect(f"/orders/{order_id}/")  # safe: open-redirect


@login_required
def ship(request, order_id):
    carrier = request.POST["carrier"]
    out = subprocess.check_output(f"shipctl create --order {order_id} --carrier {carrier}", shell=True)  # expect: command-injection
    logger.info("shipment created for order %s via %s", order_id, carrier)  # expect: log-injection
    return JsonResponse({"label": out.decode()})


@login_required
def ship_safe(request, order_id):
    carrier = request.POST["carrier"]
    out = subprocess.check_output(["shipctl", "create", "--order", str(order_id), "--carrier", carrier])  # safe: command-injection, shell-command-built
    logger.info("shipment created for order %s", int(order_id))  # safe: log-injection
    return JsonResponse({"label": out.decode()})


@login_required
def remember_store(request):
    store = request.GET.get("store", "")
    request.session["store"] = store  # expect: trust-boundary-violation
    request.session["visited"] = True  # safe: trust-boundary-violation
    return JsonResponse({"ok": True})


@csrf_exempt  # expect: csrf-protection-disabled
def payment_callback(request):
    event = json.loads(request.body)
    logger.info("payment event %s", event.get("type"))  # expect: log-injection
    Order.objects.filter(pk=event["order"]).update(status="paid")
    return HttpResponse(status=204)


@login_required
def quick_calc(request):
    expr = request.GET.get("expr", "0")
    result = eval(expr)  # expect: code-injection
    return JsonResponse({"result": result})


@login_required
def sort_orders(request):
    key = request.GET.get("key", "total")
    getter = eval("lambda o: o.total")  # safe: code-injection, dynamic-code-execution
    orders = sorted(Order.objects.filter(owner=request.user), key=getter)
    return JsonResponse({"ids": [o.id for o in orders], "key": key})


@login_required
def export_csv(request):
    response = HttpResponse(content_type="text/csv")
    fname = request.GET.get("name", "orders")
    response["Content-Disposition"] = f'attachment; filename="{fname}.csv"'  # expect: header-injection
    response["Cache-Control"] = "no-store"  # safe: header-injection
    return response


def debug_info(request):
    if settings.DEBUG:
        return JsonResponse({"db": settings.DATABASES["default"]["HOST"]})
    return JsonResponse({})
