"""The report function against moto: reads through the day index only, writes CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from infra.local.report_jobs import run_report, sqs_record
from relance.services.report import REFRESHED_DAYS
from tests.conftest import T0, World
from tests.factories import cart_updated, item, order_placed

pytestmark = pytest.mark.integration
H = timedelta(hours=1)


def report(world: World, event: dict[str, Any]) -> list[str]:
    """The files the run wrote (a nightly run: once its queued jobs ran, as SQS delivers them)."""
    return run_report(world.session, world.adapters.settings, world.invoke, event)


def read(world: World, key: str) -> bytes:
    s3 = world.session.client("s3")
    body: bytes = s3.get_object(Bucket=world.adapters.settings.REPORTS_BUCKET, Key=key)["Body"].read()
    return body


def a_day_of_carts(world: World) -> None:
    world.post(
        [
            cart_updated("a1", T0, "a", items=[item(price="80.00")], email="a@example.fr"),
            cart_updated("b1", T0, "b", items=[item(price="30.00")], email="b@example.fr"),
            cart_updated("c1", T0, "c", email=None),
            cart_updated("d1", T0 + 24 * H, "d", email="d@example.fr"),
        ]
    )
    world.clock.advance(hours=3)
    for cart_id in ("a", "b"):
        world.fire(cart_id, 1)
    world.clock.advance(hours=2)
    world.post([order_placed("oa", world.clock(), "a", amount="80.00")])


def test_the_daily_run_writes_yesterdays_kpis_for_every_shop(world: World) -> None:
    a_day_of_carts(world)
    world.clock.now = T0.replace(hour=2, minute=15) + 24 * H
    written = [
        k for k in report(world, {"version": "0", "detail-type": "Scheduled Event"}) if "2026-11-02" in k
    ]
    prefix = "kpis/shop=atelier-test/date=2026-11-02/"
    names = ("kpis.csv", "kpis.json", "kpis_by_step.csv", "kpis_by_segment.csv", "carts.csv")
    keys = [prefix + name for name in names]
    assert sorted(written) == sorted(keys)
    rows = list(csv.DictReader(io.StringIO(read(world, keys[0]).decode("utf-8"))))
    assert len(rows) == 1
    row = rows[0]
    assert (row["carts"], row["abandoned"], row["eligible"], row["reminded"]) == ("3", "3", "2", "2")
    assert (row["emails_sent_step1"], row["recovered_orders"], row["recovered_revenue"]) == (
        "2",
        "1",
        "80.00",
    )
    assert row["recovery_rate"] == "0.5000" and row["currency"] == "EUR"
    assert json.loads(read(world, keys[1])) == [row | {k: int(v) for k, v in row.items() if v.isdigit()}]
    facts = list(csv.DictReader(io.StringIO(read(world, keys[4]).decode("utf-8"))))
    segments = list(csv.DictReader(io.StringIO(read(world, keys[3]).decode("utf-8"))))
    assert sum(int(s["carts"]) for s in segments) == 3
    assert {s["segment"] for s in segments} == {"unknown-standard"}
    assert sorted(f["cart_id"] for f in facts) == ["a", "b", "c"]
    assert [f["recovered"] for f in facts if f["cart_id"] == "a"] == ["true"]


def test_the_report_queries_the_day_index_and_never_scans(world: World) -> None:
    a_day_of_carts(world)
    calls: list[str] = []
    client = world.adapters.carts._table.meta.client  # the table the services use
    client.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))
    report(world, {"shop_id": "atelier-test", "from": "2026-11-02", "to": "2026-11-03"})
    assert "Scan" not in calls and calls.count("Query") >= 2


def test_an_on_demand_range_rebuilds_each_day_and_an_empty_day_still_has_a_header(world: World) -> None:
    a_day_of_carts(world)
    keys = report(world, {"shop_id": "atelier-test", "from": "2026-11-01", "to": "2026-11-03"})
    assert sorted({k.split("/")[2] for k in keys}) == [
        "date=2026-11-01",
        "date=2026-11-02",
        "date=2026-11-03",
    ]
    empty = read(world, "kpis/shop=atelier-test/date=2026-11-01/kpis.csv").decode()
    assert empty.startswith("shop_id,cohort_date,currency,carts,") and empty.count("\n") == 1


@pytest.mark.parametrize(
    "event",
    [
        {"from": "2026-11-03", "to": "2026-11-01"},
        {"from": "2026-11-01"},
        {"from": "yesterday", "to": "2026-11-01"},
    ],
)
def test_a_bad_range_is_refused(world: World, event: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        report(world, event)


def test_the_daily_run_rebuilds_the_cohorts_still_changing(world: World) -> None:
    world.clock.now = T0.replace(hour=2, minute=15) + 24 * H
    days = sorted({k.split("/")[2] for k in report(world, {})})
    assert len(days) == REFRESHED_DAYS
    assert days[0] == "date=2026-10-19" and days[-1] == "date=2026-11-02"


def test_a_longer_attribution_window_rebuilds_more_days(world: World) -> None:
    from relance.core.sequence.policy import ShopPolicy

    policy = ShopPolicy(attribution_window_days=30)
    world.adapters.shops.put(world.shop.model_copy(update={"policy": policy}))
    world.clock.now = T0.replace(hour=2, minute=15) + 24 * H
    days = sorted({k.split("/")[2] for k in report(world, {})})
    assert len(days) == 38 and days[-1] == "date=2026-11-02"


def test_the_nightly_run_only_queues_one_job_per_shop_day(world: World) -> None:
    other = world.shop.model_copy(update={"shop_id": "autre-boutique"})
    world.adapters.shops.put(other)
    world.clock.now = T0.replace(hour=2, minute=15) + 24 * H
    assert world.invoke("report", {}) == {"queued": 2 * REFRESHED_DAYS}
    files = world.session.client("s3").list_objects_v2(Bucket=world.adapters.settings.REPORTS_BUCKET)
    assert files.get("KeyCount", 0) == 0  # the planning run built nothing itself
    sqs = world.session.client("sqs")
    url = world.adapters.settings.REPORT_JOBS_QUEUE_URL
    bodies = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        bodies += [json.loads(m["Body"]) for m in messages]
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages)])  # fmt: skip
    assert len(bodies) == 2 * REFRESHED_DAYS
    assert {(b["shop_id"], b["day"]) for b in bodies} >= {
        ("autre-boutique", "2026-11-02"),
        ("atelier-test", "2026-10-19"),
    }


def test_a_day_that_did_not_change_is_not_written_again(world: World) -> None:
    a_day_of_carts(world)
    world.clock.now = T0.replace(hour=2, minute=15) + 48 * H
    first = report(world, {})
    assert {k.split("/")[2] for k in first} >= {"date=2026-11-02", "date=2026-11-03"}
    assert report(world, {}) == []  # the next night, nothing changed: nothing written
    world.post([order_placed("od", world.clock(), "d", amount="12.00")])  # a cart of Nov 3 is bought
    again = report(world, {})
    assert again and all("date=2026-11-03" in key for key in again)
    assert "kpis/shop=atelier-test/date=2026-11-03/carts.csv" in again


def _job(message_id: str, day: str) -> dict[str, Any]:
    body = json.dumps({"shop_id": "atelier-test", "day": day})
    message = {"MessageId": message_id, "ReceiptHandle": "r", "Body": body, "MD5OfBody": ""}
    return sqs_record(message, "arn:aws:sqs:eu-west-3:123456789012:jobs")


def test_a_job_that_fails_is_reported_alone_so_only_it_is_retried(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from relance.services import report as report_service

    built = report_service.build_day

    def broken_on_the_2nd(adapters: Any, shop: Any, day: Any) -> list[str]:
        if str(day) == "2026-11-02":
            raise RuntimeError("S3 is down")
        return built(adapters, shop, day)

    monkeypatch.setattr(report_service, "build_day", broken_on_the_2nd)
    event = {"Records": [_job("m-1", "2026-11-01"), _job("m-2", "2026-11-02")]}
    assert world.invoke("report", event) == {"batchItemFailures": [{"itemIdentifier": "m-2"}]}


def test_a_job_whose_message_cannot_be_read_fails_alone_and_is_logged(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    unreadable = {**_job("m-bad", "2026-11-01"), "body": "{not json"}
    event = {"Records": [unreadable, _job("m-ok", "2026-11-01")]}
    assert world.invoke("report", event) == {"batchItemFailures": [{"itemIdentifier": "m-bad"}]}
    failed = [r for r in caplog.records if r.getMessage() == "report day failed"]
    assert [getattr(r, "message_id", None) for r in failed] == ["m-bad"] and failed[0].exc_info


def test_a_fact_row_out_of_column_order_is_refused_not_written_askew(world: World) -> None:
    from relance.core.reporting.facts import FACT_COLUMNS

    askew: dict[str, str | int] = dict(reversed([(column, "x") for column in FACT_COLUMNS]))
    with pytest.raises(ValueError, match="not FACT_COLUMNS"):
        world.adapters.reports.write_facts("atelier-test", T0.date(), [askew])


def test_jobs_go_through_sqs_ten_at_a_time_and_read_back_as_written(world: World) -> None:
    from relance.adapters.report_jobs import job_of
    from relance.ports import ShopDay

    jobs = [ShopDay("atelier-test", T0.date() - timedelta(days=n)) for n in range(23)]
    world.adapters.report_jobs.enqueue(jobs)
    sqs, url = world.session.client("sqs"), world.adapters.settings.REPORT_JOBS_QUEUE_URL
    read = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        read += [job_of(m["Body"]) for m in messages]
        for m in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    assert sorted(read, key=lambda j: j.day) == sorted(jobs, key=lambda j: j.day)
    with pytest.raises(ValidationError):
        job_of('{"shop_id": "atelier-test", "day": "yesterday"}')
