"""What `make demo` prints: the week's KPI rows read back from the report files, the
hold-out comparison, the decisions by reason, and one email of each kind."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

from infra.local.demo_shop import DEMO_SHOP
from relance.core.reporting.incrementality import Group, lift

# (CSV column, heading, width) of the printed summary.
COLUMNS = (
    ("cohort_date", "day", 11),
    ("carts", "carts", 6),
    ("abandoned", "aband.", 7),
    ("eligible", "elig.", 6),
    ("emails_sent_step1", "mail1", 6),
    ("emails_sent_step2", "mail2", 6),
    ("emails_sent_step3", "mail3", 6),
    ("clicked", "clicks", 7),
    ("recovered_orders", "recov.", 7),
    ("recovered_revenue", "revenue €", 11),
    ("natural_orders", "natural", 8),
    ("recovery_rate", "rate", 8),
)


def _line(values: dict[str, str]) -> str:
    cells = [
        f"{values[key]:<{width}}" if key == "cohort_date" else f"{values[key]:>{width}}"
        for key, _, width in COLUMNS
    ]
    return "".join(cells)


def _percent(rate: Decimal) -> str:
    return f"{rate * 100:.1f}%"


def summary(report_root: Path, days: list[date]) -> str:
    """The week's KPI rows, read back from the report files, and their totals."""
    rows: list[dict[str, str]] = []
    for day in days:
        path = report_root / f"kpis/shop={DEMO_SHOP.shop_id}/date={day.isoformat()}/kpis.csv"
        with path.open(encoding="utf-8") as stream:
            rows.extend(csv.DictReader(stream))
    header = _line({key: heading for key, heading, _ in COLUMNS})
    lines = [header, "-" * len(header)]
    lines += [_line(row | {"recovery_rate": _percent(Decimal(row["recovery_rate"]))}) for row in rows]
    totals = {key: sum((Decimal(row[key]) for row in rows), Decimal(0)) for key, _, _ in COLUMNS[1:-1]}
    reminded = sum(int(row["reminded"]) for row in rows)
    rate = Decimal(totals["recovered_orders"]) / reminded if reminded else Decimal(0)
    lines += [
        "-" * len(header),
        _line(
            {"cohort_date": "week", **{k: str(v) for k, v in totals.items()}, "recovery_rate": _percent(rate)}
        ),
    ]
    revenue, orders = totals["recovered_revenue"], totals["recovered_orders"]
    lines.append(f"\nRecovered revenue over the week: {revenue:.2f} EUR from {orders} orders")
    lines.append(holdout_summary(rows, reminded, int(orders), revenue))
    return "\n".join(lines)


def holdout_summary(rows: list[dict[str, str]], reminded: int, orders: int, revenue: Decimal) -> str:
    """The honest part: what the reminders added over the hold-out group's natural returns."""
    held = Group(
        sum(int(r["holdout_carts"]) for r in rows),
        sum(int(r["holdout_orders"]) for r in rows),
        sum((Decimal(r["holdout_revenue"]) for r in rows), Decimal(0)),
    )
    measured = lift(Group(reminded, orders, revenue), held)
    if measured is None:
        return "No hold-out group: what the reminders add over natural returns is not measured."
    share = DEMO_SHOP.policy.holdout_percent
    return (
        f"Hold-out ({share:.0f} % of customers, never emailed): {held.carts} carts, {held.orders} came back "
        f"on their own ({measured.natural_rate:.1%}) vs {orders / reminded:.1%} of the reminded.\n"
        f"What the reminders add: {measured.incremental_rate * 100:+.1f} points of recovery rate "
        f"(95 % CI {measured.ci_low * 100:+.1f} to {measured.ci_high * 100:+.1f}), "
        f"{measured.incremental_revenue:+.2f} EUR of incremental revenue."
    )


def rules_summary(decisions: Counter[str]) -> str:
    """What the policy decided when timers fired, by reason: the rules at work."""
    lines = ["\nDecisions when timers fired:"]
    for outcome, count in sorted(decisions.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {outcome:<32} {count:>5}")
    return "\n".join(lines)


def examples(outbox: Path) -> str:
    """One email per step, language and segment, to open and compare."""
    seen: dict[tuple[str, ...], Path] = {}
    for path in sorted(outbox.glob("*.html")):
        parts = path.stem.split("-step")[-1].split("-")
        if len(parts) >= 4:
            seen.setdefault((f"step {parts[0]}", parts[1], f"{parts[2]}-{parts[3]}"), path)
    lines = ["\nOne email of each kind (step, language, segment):"]
    lines += [f"  {' '.join(key):<34} {path}" for key, path in sorted(seen.items())]
    return "\n".join(lines)
