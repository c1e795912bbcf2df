"""Document service (Django): previews, conversions, remote imports and user workspaces."""
import logging
import os
import subprocess
import tempfile
import uuid

import httpx
from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.views import View
from django.views.decorators.http import require_POST

from .models import Document

log = logging.getLogger("filesvc")

MEDIA_ROOT = settings.MEDIA_ROOT
CONVERTERS = {"pdf": "/usr/bin/libreoffice", "txt": "/usr/bin/pandoc"}


def _workspace_path(user_id, name):
    return os.path.join(MEDIA_ROOT, "workspaces", str(user_id), name)


def _safe_workspace_path(user_id, name):
    root = os.path.realpath(os.path.join(MEDIA_ROOT, "workspaces", str(user_id)))
    full = os.path.realpath(os.path.join(root, name))
    if not full.startswith(root + os.sep):
        raise Http404("no such file")
    return full


class WorkspaceFileView(View):
    def get(self, request):
        name = request.GET.get("name", "")
        path = _workspace_path(request.user.id, name)
        return FileResponse(open(path, "rb"))  # expect: path-traversal

    def delete(self, request):
        name = request.GET.get("name", "")
        os.unlink(_safe_workspace_path(request.user.id, name))  # safe: path-traversal
        log.info("user %s deleted %s", request.user.id, name)  # expect: log-injection
        return JsonResponse({"deleted": True})


def document_text(request, doc_id):
    doc = Document.objects.get(pk=doc_id, owner=request.user)
    with open(os.path.join(MEDIA_ROOT, doc.storage_key), encoding="utf-8") as fh:  # safe: path-traversal
        return HttpResponse(fh.read(), content_type="text/plain")


@require_POST
def upload(request):
    f = request.FILES["document"]
    ext = os.path.splitext(f.name)[1].lower()
    stored = "%s%s" % (uuid.uuid4().hex, ext if ext in (".pdf", ".docx", ".txt") else ".bin")
    with open(os.path.join(MEDIA_ROOT, "incoming", stored), "wb") as out:  # safe: path-traversal
        for chunk in f.chunks():
            out.write(chunk)
    log.info("upload %s stored as %s", f.name, stored)  # expect: log-injection
    return JsonResponse({"id": stored})


@require_POST
def convert(request):
    target = request.POST.get("to", "pdf")
    source = request.POST.get("source", "")
    tool = CONVERTERS.get(target)
    if tool is None:
        return JsonResponse({"error": "unsupported"}, status=400)
    src = os.path.join(MEDIA_ROOT, "incoming", os.path.basename(source))
    subprocess.run([tool, "--headless", "--convert-to", target, src], check=True)  # safe: command-injection
    return JsonResponse({"ok": True})


@require_POST
def convert_legacy(request):
    options = request.POST.get("options", "")
    source = os.path.basename(request.POST.get("source", ""))
    cmd = " ".join(["pandoc", options, os.path.join(MEDIA_ROOT, "incoming", source)])
    subprocess.run(cmd, shell=True, check=True)  # expect: command-injection
    return JsonResponse({"ok": True})


@require_POST
def run_filter(request):
    program = request.POST["filter"]
    doc = os.path.join(MEDIA_ROOT, "incoming", os.path.basename(request.POST["source"]))
    result = subprocess.run([program, doc], capture_output=True)  # expect: command-injection
    return JsonResponse({"rc": result.returncode})


def word_count(request, doc_id):
    doc = Document.objects.get(pk=doc_id)
    out = subprocess.check_output("wc -w " + os.path.join(MEDIA_ROOT, doc.storage_key), shell=True)  # safe: command-injection
    return JsonResponse({"words": int(out.split()[0])})


def import_remote(request):
    url = request.POST.get("url", "")
    with httpx.Client(timeout=10) as client:
        resp = client.get(url)  # expect: ssrf
    name = uuid.uuid4().hex
    with open(os.path.join(MEDIA_ROOT, "incoming", name), "wb") as fh:  # safe: path-traversal
        fh.write(resp.content)
    return JsonResponse({"id": name})


def import_from_drive(request, file_id):
    resp = httpx.get("https://www.googleapis.com/drive/v3/files/%s?alt=media" % file_id, timeout=10)  # safe: ssrf
    return HttpResponse(resp.content, content_type="application/octet-stream")


def thumbnail_proxy(request):
    src = request.GET["src"]
    resp = httpx.get(src, timeout=5, follow_redirects=True)  # expect: ssrf
    return HttpResponse(resp.content, content_type=resp.headers.get("content-type", "image/png"))


def set_workspace(request):
    ws = request.POST.get("workspace", "")
    request.session["workspace"] = ws  # expect: trust-boundary-violation
    request.session["workspace_id"] = str(uuid.UUID(request.POST.get("workspace_id", "")))  # safe: trust-boundary-violation
    return JsonResponse({"ok": True})


def scratch(request):
    data = request.body
    with tempfile.NamedTemporaryFile(dir=os.path.join(MEDIA_ROOT, "scratch"), delete=False) as tmp:
        tmp.write(data)
    return JsonResponse({"name": os.path.basename(tmp.name)})
