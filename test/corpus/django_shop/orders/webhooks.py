"""Incoming webhooks from the payment provider and the carrier."""
import hashlib
import hmac
import json
import logging
import os
import xml.dom.minidom

from django.db import connection
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

from .models import Order, Shipment

logger = logging.getLogger(__name__)
WEBHOOK_SECRET = os.environ["PAYMENT_WEBHOOK_SECRET"].encode()
EVENT_TYPES = {"payment.succeeded", "payment.failed", "refund.created"}


class AuditLog:
    """Collects audit lines and writes them in one batch (not a database cursor)."""

    def __init__(self):
        self.lines = []

    def execute(self, statement):
        self.lines.append(statement)


def verify(request):
    sig = request.headers.get("X-Signature", "")
    digest = hmac.new(WEBHOOK_SECRET, request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(sig, digest)


def record(event_type, order_id):
    with connection.cursor() as cur:
        cur.execute("INSERT INTO webhook_events (type, order_id) VALUES (%s, %s)", [event_type, order_id])  # safe: sql-injection, sql-string-built


@require_POST
def payment(request):
    if not verify(request):
        return HttpResponseBadRequest("bad signature")
    event = json.loads(request.body)
    kind, order_id = event.get("type"), event.get("order_id")
    if kind not in EVENT_TYPES:
        logger.warning("ignored an unknown event type")  # safe: log-injection
        return HttpResponse(status=204)
    record(kind, order_id)
    audit = AuditLog()
    audit.execute(f"UPDATE orders SET status = '{kind}' WHERE id = {order_id}")  # safe: sql-injection, sql-string-built
    Order.objects.filter(pk=order_id).update(status=kind)
    return JsonResponse({"ok": True})


@require_POST
def carrier(request, carrier_code):
    doc = xml.dom.minidom.parseString(request.body)  # expect: untrusted-xml-parse
    tracking = doc.getElementsByTagName("tracking")[0].firstChild.data
    with connection.cursor() as cur:
        cur.execute(f"UPDATE orders_shipment SET tracking = '{tracking}' WHERE carrier = '{carrier_code}'")  # expect: sql-injection
    logger.info("tracking update from %s", carrier_code)  # expect: log-injection
    return HttpResponse(status=204)


@require_POST
def carrier_status(request, shipment_id):
    payload = json.loads(request.body)
    status = payload.get("status", "")
    with connection.cursor() as cur:
        cur.execute("UPDATE orders_shipment SET status = %s WHERE id = %s", (status, shipment_id))  # safe: sql-injection, sql-string-built
    Shipment.objects.filter(pk=shipment_id).update(status=status)
    resp = HttpResponse(status=204)
    resp["X-Shipment"] = str(int(shipment_id))  # safe: header-injection
    return resp


@require_POST
def echo_status(request):
    status = request.POST.get("status", "")
    return HttpResponse(f"<p>Status: {status}</p>")  # expect: reflected-xss
