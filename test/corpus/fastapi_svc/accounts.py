"""Account endpoints: every route except sign-up and login requires a signed-in user."""
import hashlib
import logging
import secrets
import traceback

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from passlib.hash import bcrypt
from pydantic import BaseModel

from .auth import current_user, require_admin
from .db import Account, session_scope

router = APIRouter(prefix="/accounts")
log = logging.getLogger(__name__)


class SignUp(BaseModel):
    email: str
    password: str


@router.post("/signup")
def signup(form: SignUp):
    with session_scope() as s:
        s.add(Account(email=form.email, password_hash=bcrypt.hash(form.password)))  # safe: plaintext-password-stored, mass-assignment
    log.info("new sign-up")  # safe: log-injection, secret-logged
    return {"ok": True}


@router.post("/signup-legacy")
def signup_legacy(form: SignUp):
    with session_scope() as s:
        s.add(Account(email=form.email, password=form.password))  # expect: plaintext-password-stored
    log.info("legacy sign-up for %s with password %s", form.email, form.password)  # expect: secret-logged
    return {"ok": True}


@router.post("/import")
async def import_account(request: Request, admin=Depends(require_admin)):  # safe: route-missing-auth
    payload = await request.json()
    with session_scope() as s:
        s.add(Account(**payload))  # expect: mass-assignment
        s.add(Account(email=payload["email"], name=payload.get("name", "")))  # safe: mass-assignment
    return {"ok": True}


@router.get("/me")
def me(user=Depends(current_user)):  # safe: route-missing-auth
    return {"email": user.email}


@router.get("/{account_id}/api-key")
def api_key(account_id: int):  # expect: route-missing-auth
    with session_scope() as s:
        return {"key": s.get(Account, account_id).api_key}


@router.post("/me/api-key")
def rotate_key(user=Depends(current_user)):  # safe: route-missing-auth
    key = secrets.token_hex(32)  # safe: weak-random-token
    with session_scope() as s:
        acct = s.get(Account, user.id)
        acct.api_key_hash = hashlib.sha256(key.encode()).hexdigest()  # safe: weak-hash, password-fast-hash
    log.info("api key rotated for account %d", user.id)  # safe: secret-logged, log-injection
    log.debug("new api key %s", key)
    return {"key": key}


@router.delete("/{account_id}")
def delete_account(account_id: int, admin=Depends(require_admin)):  # safe: route-missing-auth
    with session_scope() as s:
        s.delete(s.get(Account, account_id))
    return Response(status_code=204)


@router.get("/me/export")
def export(request: Request, fmt: str = "json", user=Depends(current_user)):  # safe: route-missing-auth
    try:
        with session_scope() as s:
            data = s.get(Account, user.id).export(fmt)
    except Exception:
        return PlainTextResponse(traceback.format_exc(), status_code=500)  # expect: stack-trace-exposed
    resp = JSONResponse(data)
    resp.headers["X-Export-Format"] = fmt  # expect: header-injection
    return resp


@router.get("/me/report")
def report(user=Depends(current_user)):  # safe: route-missing-auth
    try:
        with session_scope() as s:
            return s.get(Account, user.id).report()
    except Exception as exc:
        log.exception("report failed for %d", user.id)  # safe: stack-trace-exposed
        raise HTTPException(status_code=500, detail="report failed") from exc  # safe: stack-trace-exposed
