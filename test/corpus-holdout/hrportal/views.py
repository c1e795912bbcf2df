"""HR portal (Django): staff directory over python-ldap, payroll XML imports, badge exports."""
import logging
import xml.etree.ElementTree as ElementTree
from xml.dom import pulldom

import ldap
from ldap.filter import escape_filter_chars, filter_format
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .models import Employee

logger = logging.getLogger("hrportal")

PEOPLE_BASE = "ou=staff,dc=hr,dc=example"
SEARCHABLE_ATTRS = {"mail", "cn", "employeeNumber"}


def _ldap():
    conn = ldap.initialize(settings.HR_LDAP_URI)
    conn.simple_bind_s(settings.HR_LDAP_BIND_DN, settings.HR_LDAP_PASSWORD)
    return conn


def _lookup(attr, value):
    conn = _ldap()
    return conn.search_s(PEOPLE_BASE, ldap.SCOPE_SUBTREE, "(%s=%s)" % (attr, value), ["cn", "mail", "title"])  # expect: ldap-injection


def directory_search(request):
    attr = request.GET.get("by", "cn")
    if attr not in SEARCHABLE_ATTRS:
        return HttpResponseBadRequest("unsupported attribute")
    results = _lookup(attr, request.GET.get("q", ""))
    return JsonResponse({"results": [dn for dn, _ in results]})


def directory_search_safe(request):
    q = request.GET.get("q", "")
    conn = _ldap()
    flt = filter_format("(&(objectClass=inetOrgPerson)(cn=%s))", [q])
    results = conn.search_s(PEOPLE_BASE, ldap.SCOPE_SUBTREE, flt, ["cn"])  # safe: ldap-injection
    return JsonResponse({"results": [dn for dn, _ in results]})


def team_members(request, team):
    conn = _ldap()
    flt = "(&(objectClass=inetOrgPerson)(ou=" + escape_filter_chars(team) + "))"
    msgid = conn.search(PEOPLE_BASE, ldap.SCOPE_SUBTREE, flt, ["cn"])  # safe: ldap-injection
    _, results = conn.result(msgid)
    return JsonResponse({"members": [dn for dn, _ in results]})


def manager_chain(request, uid):
    conn = _ldap()
    base = "uid=%s,%s" % (uid, PEOPLE_BASE)
    results = conn.search_s(base, ldap.SCOPE_BASE, "(objectClass=*)", ["manager"])  # expect: ldap-injection
    return JsonResponse({"manager": results[0][1].get("manager", [b""])[0].decode()})


@require_http_methods(["POST"])
def payroll_import(request):
    root = ElementTree.fromstring(request.body)  # expect: untrusted-xml-parse
    imported = 0
    for row in root.iter("employee"):
        Employee.objects.filter(employee_number=row.get("number")).update(salary=row.findtext("salary"))
        imported += 1
    logger.info("payroll import: %d rows", imported)  # safe: log-injection
    return JsonResponse({"imported": imported})


@require_http_methods(["POST"])
def payroll_stream(request):
    upload = request.FILES["payroll"]
    events = pulldom.parse(upload)  # expect: untrusted-xml-parse
    count = sum(1 for event, node in events if event == pulldom.START_ELEMENT and node.tagName == "employee")
    return JsonResponse({"employees": count})


def payroll_template(request):
    tree = ElementTree.parse(settings.PAYROLL_TEMPLATE_PATH)  # safe: untrusted-xml-parse
    section = request.GET.get("section", "header")
    node = tree.getroot().find("./section[@name='%s']" % section)  # expect: xpath-injection
    return JsonResponse({"fields": [c.tag for c in node] if node is not None else []})


def payroll_fields(request):
    tree = ElementTree.parse(settings.PAYROLL_TEMPLATE_PATH)
    fields = tree.getroot().findall("./section/field")  # safe: xpath-injection
    wanted = request.GET.get("name", "")
    return JsonResponse({"match": [f.get("name") for f in fields if f.get("name") == wanted]})


def badge_csv(request, employee_id):
    emp = Employee.objects.get(pk=employee_id)
    label = request.GET.get("label", emp.last_name)
    response = HttpResponse("%s,%s\n" % (emp.first_name, emp.last_name), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="badge-%s.csv"' % label  # expect: header-injection
    response["X-Employee"] = str(emp.pk)  # safe: header-injection
    return response


def salary_band(request):
    grade = request.GET.get("grade", "A")
    with connection.cursor() as cur:
        cur.execute("SELECT min_salary, max_salary FROM hr_band WHERE grade = %s", [grade])  # safe: sql-injection
        low, high = cur.fetchone()
    return JsonResponse({"min": low, "max": high})


def headcount(request):
    dept = request.GET.get("dept", "")
    sql = "SELECT COUNT(*) FROM hr_employee WHERE department = '%s'" % dept
    with connection.cursor() as cur:
        cur.execute(sql)  # expect: sql-injection
        (count,) = cur.fetchone()
    return JsonResponse({"count": count})


def remember_department(request):
    dept = request.POST.get("dept", "")
    emp = Employee.objects.filter(department=dept).first()
    if emp is not None:
        request.session["department_id"] = emp.department_id  # safe: trust-boundary-violation
    request.session["last_dept_query"] = dept  # expect: trust-boundary-violation
    return redirect("hr:directory")  # safe: open-redirect


def welcome(request):
    name = request.COOKIES.get("preferred_name", "")
    return render(request, "hr/welcome.html", {"name": name})  # safe: reflected-xss
