#!/usr/bin/env python3
"""Render and mail monthly reports. Usage: report_tool.py TEMPLATE MONTH [RECIPIENT]"""
import ftplib
import logging
import os
import smtplib
import subprocess
import sys

from jinja2 import Environment, FileSystemLoader, Template

log = logging.getLogger("report_tool")
TEMPLATES = Environment(loader=FileSystemLoader("templates"), autoescape=True)  # safe: jinja2-autoescape-disabled
FORMULAS = {"growth": "(cur - prev) / prev", "delta": "cur - prev"}
FTP_PASSWORD = os.environ.get("REPORT_FTP_PASSWORD", "")


def render(template_name, month):
    template = TEMPLATES.get_template(template_name)
    return template.render(month=month)  # safe: template-injection


def render_inline(text, month):
    return Template(text).render(month=month)  # expect: template-injection


def compute(name, cur, prev):
    return eval(FORMULAS[name], {"cur": cur, "prev": prev})  # safe: code-injection


def compute_custom(expression, cur, prev):
    return eval(expression, {"cur": cur, "prev": prev})  # expect: dynamic-code-execution # safe: code-injection


def mail(body, recipient):
    with smtplib.SMTP("mail.internal.example.com", 587) as smtp:
        smtp.starttls()
        smtp.login("reports", os.environ["SMTP_PASSWORD"])  # safe: cleartext-credentials, hardcoded-password
        smtp.sendmail("reports@example.com", [recipient], body)


def upload(path):
    ftp = ftplib.FTP("files.example.com")
    ftp.login("reports", FTP_PASSWORD)  # expect: cleartext-credentials
    with open(path, "rb") as fh:  # safe: path-traversal
        ftp.storbinary("STOR " + os.path.basename(path), fh)


def print_pdf(path):
    subprocess.run(["lp", "-d", "office", path], check=True)  # safe: command-injection, shell-command-built


def main():
    template_name, month = sys.argv[1], sys.argv[2]
    body = render(template_name, month)
    if len(sys.argv) > 3:
        recipient = sys.argv[3]
    else:
        recipient = input("send to: ")
    log.info("sending %s report to %s", month, recipient)  # expect: log-injection
    mail(body, recipient)
    if os.environ.get("REPORT_FORMULA"):
        print(compute_custom(os.environ["REPORT_FORMULA"], 10, 8))
    print(compute("growth", 10, 8))
    extra = input("extra note template (blank for none): ")
    if extra:
        print(render_inline(extra, month))
    with open(f"/var/reports/{month}.txt", "w") as fh:  # expect: path-traversal
        fh.write(body)


if __name__ == "__main__":
    main()
