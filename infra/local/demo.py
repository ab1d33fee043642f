"""``make demo``: a simulated week of a real shop on the local runtime, then its KPIs."""

from __future__ import annotations

import csv
import shutil
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from infra.local.client import ShopClient
from infra.local.demo_shop import DEMO_SHOP
from infra.local.runtime import LocalRuntime
from infra.local.simulation import Week
from relance.adapters.mailer import OutgoingEmail
from relance.services.shops import register

START = datetime(2026, 11, 2, tzinfo=UTC)  # a Monday
REPORT_TIME = time(2, 15)  # as template.yaml's ReportSchedule


def setup_shop(runtime: LocalRuntime) -> ShopClient:
    secret = register(runtime.services, DEMO_SHOP)
    domain = str(DEMO_SHOP.sender_email).split("@")[1]
    runtime.session.client("sesv2").create_email_identity(EmailIdentity=domain)
    assert runtime.api is not None
    return ShopClient(runtime.api.url, DEMO_SHOP.shop_id, secret, runtime.clock)


def simulate(runtime: LocalRuntime, client: ShopClient, week: Week, until: datetime) -> dict[str, int]:
    """Interleave shoppers' events and due timers in time order, like the real world."""
    counts = {"requests": 0, "rejected": 0}
    next_report = datetime.combine(START.date() + timedelta(days=1), REPORT_TIME, tzinfo=UTC)
    while True:
        candidates = [t for t in (week.next_time(), runtime.next_fire_time(), next_report) if t]
        moment = min(candidates)
        if moment > until:
            break
        if moment == next_report:
            runtime.clock.advance_to(moment)
            runtime.run_report({})  # the daily schedule: yesterday, every shop
            next_report += timedelta(days=1)
        elif moment == week.next_time():
            action = week.pop()
            runtime.clock.advance_to(action.at)
            status, _ = client.post_events(action.events)
            counts["requests"] += 1
            counts["rejected"] += status >= 400
        else:
            runtime.run_until(moment)
    runtime.run_until(until)
    return counts


def summary(report_root: Path, days: list[date]) -> str:
    rows = []
    for day in days:
        path = report_root / f"kpis/shop={DEMO_SHOP.shop_id}/date={day.isoformat()}/kpis.csv"
        with path.open(encoding="utf-8") as stream:
            rows.extend(csv.DictReader(stream))
    header = f"{'day':<11}{'carts':>6}{'aband.':>7}{'elig.':>6}{'mail1':>6}{'mail2':>6}{'mail3':>6}{'recov.':>7}{'revenue €':>11}{'natural':>8}{'rate':>7}"
    lines = [header, "-" * len(header)]
    totals = {"carts": 0, "abandoned": 0, "eligible": 0, "reminded": 0, "recovered_orders": 0, "natural_orders": 0}
    revenue = Decimal(0)
    sent = [0, 0, 0]
    for row in rows:
        for key in totals:
            totals[key] += int(row[key])
        revenue += Decimal(row["recovered_revenue"])
        for step in range(3):
            sent[step] += int(row[f"emails_sent_step{step + 1}"])
        lines.append(
            f"{row['date']:<11}{row['carts']:>6}{row['abandoned']:>7}{row['eligible']:>6}"
            f"{row['emails_sent_step1']:>6}{row['emails_sent_step2']:>6}{row['emails_sent_step3']:>6}"
            f"{row['recovered_orders']:>7}{Decimal(row['recovered_revenue']):>11.2f}{row['natural_orders']:>8}"
            f"{Decimal(row['recovery_rate']) * 100:>6.1f}%"
        )
    rate = Decimal(totals["recovered_orders"]) / totals["reminded"] * 100 if totals["reminded"] else Decimal(0)
    lines.append("-" * len(header))
    lines.append(
        f"{'week':<11}{totals['carts']:>6}{totals['abandoned']:>7}{totals['eligible']:>6}"
        f"{sent[0]:>6}{sent[1]:>6}{sent[2]:>6}{totals['recovered_orders']:>7}{revenue:>11.2f}"
        f"{totals['natural_orders']:>8}{rate:>6.1f}%"
    )
    lines.append(f"\nRecovered revenue over the week: {revenue:.2f} EUR from {totals['recovered_orders']} orders")
    return "\n".join(lines)


def main(out_dir: Path = Path("out"), carts: int = 300) -> None:
    shutil.rmtree(out_dir / "outbox", ignore_errors=True)
    shutil.rmtree(out_dir / "reports", ignore_errors=True)
    runtime = LocalRuntime(out_dir, START).start()
    try:
        client = setup_shop(runtime)
        week = Week(START, carts)

        def read_reminder(mail: OutgoingEmail) -> None:
            week.on_reminder(mail.recipient, int(mail.tags["step"]), runtime.clock())

        runtime.services.mailer.listeners.append(read_reminder)  # type: ignore[attr-defined]
        print(f"Relance local runtime: API on {runtime.api.url if runtime.api else '-'}, embedded AWS ready.")
        print(f"Simulating {carts} carts for {DEMO_SHOP.name} from {START.date()} over a week...")
        end = START + timedelta(days=11)
        counts = simulate(runtime, client, week, end)
        days = [START.date() + timedelta(days=n) for n in range(7)]
        runtime.run_report({"shop_id": DEMO_SHOP.shop_id, "from": days[0].isoformat(), "to": days[-1].isoformat()})
        runtime.mirror_reports()
        outbox = sorted((out_dir / "outbox").glob("*.html"))
        print(f"{counts['requests']} signed requests posted, {runtime.fired} timers fired, {len(outbox)} emails sent.\n")
        print(summary(out_dir / "reports", days))
        print(f"\nEmails:  {out_dir / 'outbox'}/  (open the .html files in a browser; .eml are the exact MIME sent)")
        print(f"Reports: {out_dir / 'reports'}/kpis/shop={DEMO_SHOP.shop_id}/date=YYYY-MM-DD/kpis.csv|json")
    finally:
        runtime.stop()
