"""Automation rules (FastAPI): condition evaluation, webhook tests, model uploads."""
import ast
import json
import logging
import operator
import pickle
import urllib.request
from urllib.parse import urlsplit

import numpy as np
import requests
import torch
from fastapi import APIRouter, Body, Cookie, Header, HTTPException, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

router = APIRouter(prefix="/automation")
log = logging.getLogger(__name__)

OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
ALLOWED_WEBHOOK_HOSTS = ("hooks.slack.com", "hooks.example-chat.io")
MODEL_DIR = "/srv/automation/models"


class Rule(BaseModel):
    name: str
    condition: str
    action: str


class Evaluator:
    def __init__(self, context):
        self.context = context

    def check(self, expression):
        return bool(eval(expression, {"__builtins__": {}}, self.context))  # expect: code-injection

    def check_literal(self, expression):
        return ast.literal_eval(expression) in self.context.values()  # safe: code-injection


def compute(a: float, op: str, b: float) -> float:
    fn = OPS.get(op)
    if fn is None:
        raise HTTPException(400, "bad operator")
    return fn(a, b)


@router.post("/rules/test")
def test_rule(rule: Rule):
    ev = Evaluator({"temperature": 21, "humidity": 40})
    log.info("testing rule %s", rule.name)  # expect: log-injection
    return {"matches": ev.check(rule.condition)}


@router.post("/rules/literal")
def test_literal(expr: str = Body(..., embed=True)):
    return {"matches": Evaluator({"x": 1}).check_literal(expr)}


@router.get("/calc")
def calc(a: float, op: str, b: float):
    return {"result": compute(a, op, b)}


@router.post("/rules/compile")
def compile_rule(source: str = Body(..., embed=True)):
    code = compile(source, "<rule>", "exec")  # expect: code-injection
    namespace = {}
    exec(code, namespace)
    return {"defined": sorted(k for k in namespace if not k.startswith("_"))}


@router.get("/rules/builtin/{rule_id}")
def builtin_rule(rule_id: int):
    expression = ["temperature > 30", "humidity < 20", "temperature < 0"][rule_id % 3]
    return {"matches": eval(expression, {}, {"temperature": 21, "humidity": 40})}  # safe: code-injection


@router.post("/webhooks/test")
def test_webhook(url: str = Body(..., embed=True), message: str = Body("ping", embed=True)):
    resp = requests.post(url, json={"text": message}, timeout=5)  # expect: ssrf
    return {"status": resp.status_code}


@router.post("/webhooks/verified")
def verified_webhook(url: str = Body(..., embed=True)):
    host = urlsplit(url).hostname or ""
    if host not in ALLOWED_WEBHOOK_HOSTS:
        raise HTTPException(400, "webhook host not allowed")
    resp = requests.post(url, json={"text": "verified"}, timeout=5)  # safe: ssrf
    return {"status": resp.status_code}


@router.get("/status-page")
def status_page(service: str):
    with urllib.request.urlopen("https://status.example.com/api/" + service, timeout=5) as fh:  # safe: ssrf
        return json.load(fh)


@router.get("/probe")
def probe(target: str, x_probe_id: str = Header(default="")):
    req = urllib.request.Request(target, headers={"X-Probe-Id": x_probe_id})  # expect: ssrf
    with urllib.request.urlopen(req, timeout=5) as fh:
        return {"status": fh.status}


@router.get("/pixel")
def pixel(ref: str = "", tracking: str = Cookie(default="")):
    resp = Response(content=b"GIF89a", media_type="image/gif")
    resp.headers["X-Ref"] = ref  # expect: header-injection
    resp.headers["Cache-Control"] = "no-store"  # safe: header-injection
    resp.set_cookie("tracking", tracking or "new")
    log.debug("pixel hit ref=%r tracking=%s", ref, tracking)  # expect: log-injection
    return resp


@router.post("/models/upload")
async def upload_model(file: UploadFile):
    data = await file.read()
    model = pickle.loads(data)  # expect: unsafe-deserialization
    return {"type": type(model).__name__}


@router.post("/models/weights")
async def upload_weights(file: UploadFile):
    path = f"{MODEL_DIR}/incoming.pt"
    with open(path, "wb") as fh:
        fh.write(await file.read())
    state = torch.load(path, weights_only=True)  # safe: unsafe-deserialization
    return {"tensors": len(state)}


@router.post("/models/features")
async def upload_features(file: UploadFile):
    with open(f"{MODEL_DIR}/features.npy", "wb") as fh:
        fh.write(await file.read())
    arr = np.load(f"{MODEL_DIR}/features.npy")  # safe: unsafe-deserialization
    legacy = np.load(f"{MODEL_DIR}/features.npy", allow_pickle=True)  # expect: unsafe-deserialization
    return {"shape": list(arr.shape), "legacy": str(legacy.dtype)}
