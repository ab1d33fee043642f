"""Daily KPI reports: which days to (re)build, and building one shop-day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, model_validator

from relance.core.reporting.facts import fact_row
from relance.core.reporting.kpis import CohortKpis, in_cohort
from relance.core.segments import report_segment
from relance.core.sequence.policy import ShopPolicy
from relance.core.shop import Shop
from relance.ports import Adapters, ShopDay

MAX_RANGE_DAYS = 400
# A cohort changes while its sequence runs (7 days at most, plus a day of deferrals) and
# its attribution window stays open (7 days by default): the daily run rebuilds that many.
REFRESHED_DAYS = 15


def refreshed_days(policy: ShopPolicy) -> int:
    """How many recent cohorts may still change for this shop (a longer window: more)."""
    return max(REFRESHED_DAYS, policy.attribution_window_days + 8)


class ReportRequest(BaseModel):
    """What the report function is asked; empty means "the last cohorts still changing,
    every shop"."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    shop_id: str | None = None
    date_from: date | None = Field(default=None, alias="from")
    date_to: date | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> ReportRequest:
        if (self.date_from is None) != (self.date_to is None):
            raise ValueError("give both 'from' and 'to', or neither")
        if self.date_from and self.date_to:
            if self.date_from > self.date_to:
                raise ValueError("'from' must not be after 'to'")
            if (self.date_to - self.date_from).days >= MAX_RANGE_DAYS:
                raise ValueError(f"at most {MAX_RANGE_DAYS} days per run")
        return self

    def days(self, now: datetime, refreshed: int = REFRESHED_DAYS) -> Iterator[date]:
        last = self.date_to or now.date() - timedelta(days=1)
        day = self.date_from or last - timedelta(days=refreshed - 1)
        while day <= last:
            yield day
            day += timedelta(days=1)


def build_day(adapters: Adapters, shop: Shop, day: date) -> list[str]:
    """Compute one shop-day from the day index and write its files; return the keys written
    (a file whose content did not change is not written again).

    The carts are read once, page by page: each is added to its currency's KPIs while its
    fact row streams to S3.
    """
    shop_id, policy = shop.shop_id, shop.policy
    segments: dict[tuple[str, str], CohortKpis] = {}

    def facts() -> Iterator[dict[str, str | int]]:
        for cart in adapters.carts.reported_carts_of_day(shop_id, day):
            if in_cohort(cart, day):
                currency = str(cart.stored.get("currency"))
                segment = report_segment(cart.orders_count, cart.total, policy.high_cart_value)
                kpis = segments.get((currency, segment))
                if kpis is None:
                    kpis = segments[currency, segment] = CohortKpis(shop_id, day, currency)
                kpis.add(cart, policy)
                yield fact_row(cart, policy)

    facts_written = adapters.reports.write_facts(shop_id, day, facts())
    cohorts: dict[str, CohortKpis] = {}
    for (currency, _), kpis in sorted(segments.items()):  # a cohort: the sum of its segments
        cohorts.setdefault(currency, CohortKpis(shop_id, day, currency)).merge(kpis)
    totals = [cohorts[c] for c in sorted(cohorts)]
    by_segment = [(segment, segments[currency, segment]) for currency, segment in sorted(segments)]
    return [*adapters.reports.write_kpis(shop_id, day, totals, by_segment), *facts_written]


def _shop_days(adapters: Adapters, request: ReportRequest) -> Iterator[tuple[Shop, date]]:
    """Each shop ``request`` names (every shop by default), read once, with each of its days."""
    shop_ids = [request.shop_id] if request.shop_id else adapters.shops.shop_ids()
    for shop_id in shop_ids:
        shop = adapters.shops.get(shop_id)  # once per shop, not once per day rebuilt
        if shop is None:
            raise LookupError(f"unknown shop {shop_id!r}")
        for day in request.days(adapters.clock(), refreshed_days(shop.policy)):
            yield shop, day


def plan(adapters: Adapters, request: ReportRequest) -> list[ShopDay]:
    """The shop-days ``request`` asks for (the recent ones still changing, by default)."""
    return [ShopDay(shop.shop_id, day) for shop, day in _shop_days(adapters, request)]


def fan_out(adapters: Adapters, request: ReportRequest) -> int:
    """Queue one job per shop-day for the report's workers: no run grows with the shops."""
    jobs = plan(adapters, request)
    adapters.report_jobs.enqueue(jobs)
    return len(jobs)


def run_job(adapters: Adapters, job: ShopDay) -> list[str]:
    """Build one shop-day (a worker's job); the keys written."""
    shop = adapters.shops.get(job.shop_id)
    if shop is None:
        return []  # the shop was removed since the job was queued
    return build_day(adapters, shop, job.day)


def run(adapters: Adapters, request: ReportRequest) -> list[str]:
    """Build every shop-day ``request`` asks for, here and now (a rebuild, from the CLI)."""
    return [key for shop, day in _shop_days(adapters, request) for key in build_day(adapters, shop, day)]
