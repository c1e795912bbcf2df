"""Reporting API (FastAPI): sales reports, CSV exports, dashboards and link tracking."""
import logging
from datetime import date
from typing import Optional
from uuid import UUID

import httpx
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from sqlalchemy import text
from sqlalchemy.orm import Session

from .config import settings
from .db import get_session

router = APIRouter(prefix="/reports", tags=["reports"])
logger = logging.getLogger("reporting")

GROUPINGS = {"day": "date_trunc('day', sold_at)", "week": "date_trunc('week', sold_at)", "month": "date_trunc('month', sold_at)"}


class SalesRepository:
    def __init__(self, session: Session):
        self.session = session

    def by_region(self, region: str):
        stmt = text("SELECT region, SUM(amount) FROM sales WHERE region = :region GROUP BY region")  # safe: sql-injection
        return self.session.execute(stmt, {"region": region}).all()  # safe: sql-injection

    def by_product(self, product_filter: str):
        where = "product_code LIKE '" + product_filter + "%'"
        return self.session.execute(text("SELECT product_code, SUM(amount) FROM sales WHERE " + where + " GROUP BY 1")).all()  # expect: sql-injection

    def grouped(self, grouping_sql: str, since: date):
        sql = "SELECT %s AS bucket, SUM(amount) FROM sales WHERE sold_at >= :since GROUP BY 1 ORDER BY 1" % grouping_sql
        return self.session.execute(text(sql), {"since": since}).all()  # safe: sql-injection


def repo(session: Session = Depends(get_session)) -> SalesRepository:
    return SalesRepository(session)


@router.get("/region/{region}")
def region_report(region: str, sales: SalesRepository = Depends(repo)):
    logger.info("region report requested for %s", region)  # expect: log-injection
    return {"rows": [list(r) for r in sales.by_region(region)]}


@router.get("/product")
def product_report(code: str = Query(..., min_length=2), sales: SalesRepository = Depends(repo)):
    return {"rows": [list(r) for r in sales.by_product(code)]}


@router.get("/grouped")
def grouped_report(by: str = "day", since: date = date(2024, 1, 1), sales: SalesRepository = Depends(repo)):
    grouping = GROUPINGS.get(by)
    if grouping is None:
        raise HTTPException(status_code=400, detail="unknown grouping")
    return {"rows": [list(r) for r in sales.grouped(grouping, since)]}


@router.get("/customer/{customer_id}")
def customer_report(customer_id: int, session: Session = Depends(get_session)):
    rows = session.execute(text(f"SELECT * FROM sales WHERE customer_id = {customer_id}")).all()  # safe: sql-injection
    logger.info("customer report for %s", customer_id)  # safe: log-injection
    return {"rows": [list(r) for r in rows]}


@router.get("/batch/{batch_id}")
def batch_report(batch_id: UUID, session: Session = Depends(get_session)):
    rows = session.execute(text("SELECT * FROM sales WHERE batch_id = '%s'" % batch_id)).all()  # safe: sql-injection
    return {"rows": [list(r) for r in rows]}


@router.get("/seller")
def seller_report(name: str, session: Session = Depends(get_session)):
    rows = session.connection().exec_driver_sql("SELECT * FROM sales WHERE seller = '%s'" % name).all()  # expect: sql-injection
    return {"rows": [list(r) for r in rows]}


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(title: str = "Sales", note: Optional[str] = None):
    body = f"<html><body><h1>{title}</h1>"
    if note:
        body += f"<p class='note'>{note}</p>"
    return HTMLResponse(body + "</body></html>")  # expect: reflected-xss


@router.get("/dashboard/plain")
def dashboard_plain(title: str = "Sales"):
    return PlainTextResponse(f"Report: {title}")  # safe: reflected-xss


@router.get("/dashboard/json")
def dashboard_json(title: str = "Sales"):
    return JSONResponse({"title": title})  # safe: reflected-xss


@router.get("/export/{report_name}")
def export_csv(report_name: str, request: Request):
    data = "region,amount\n"
    filename = request.query_params.get("filename", "report.csv")
    headers = {"Content-Disposition": f"attachment; filename={filename}"}
    return Response(content=data, media_type="text/csv", headers=headers)  # expect: header-injection


@router.get("/export/{report_id}/fixed")
def export_fixed(report_id: int):
    headers = {"Content-Disposition": f"attachment; filename=report-{report_id}.csv"}
    return Response(content="region,amount\n", media_type="text/csv", headers=headers)  # safe: header-injection


@router.get("/track")
def track(url: str, campaign: str = "none"):
    logger.info("click campaign=%s", campaign.replace("\n", " ").replace("\r", " "))  # safe: log-injection
    return RedirectResponse(url)  # expect: open-redirect


@router.get("/open/{report_id}")
def open_report(report_id: int):
    return RedirectResponse(url=f"/reports/view/{report_id}")  # safe: open-redirect


@router.get("/docs-link")
def docs_link(page: str = "index"):
    return RedirectResponse(f"{settings.DOCS_BASE_URL}/{page}")  # safe: open-redirect


@router.get("/enrich")
async def enrich(endpoint: str, account: int):
    async with httpx.AsyncClient(timeout=10) as client:
        resp = await client.get(endpoint, params={"account": account})  # expect: ssrf
        fx = await client.get(f"{settings.FX_API}/latest", params={"base": "EUR"})  # safe: ssrf
    return {"data": resp.json(), "fx": fx.json()}


@router.get("/currency/{code}")
async def currency(code: str):
    async with httpx.AsyncClient(base_url="https://api.exchangerate.example", timeout=5) as client:
        resp = await client.get(f"https://api.exchangerate.example/v1/{code}")  # safe: ssrf
    return resp.json()
