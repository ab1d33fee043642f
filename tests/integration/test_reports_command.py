"""``python -m infra.reports rebuild``: recompute a period of reports on demand."""

from __future__ import annotations

import json

import pytest

from infra.reports import main
from tests.conftest import T0, World
from tests.factories import cart_updated

pytestmark = pytest.mark.integration


def test_rebuild_writes_every_day_of_the_period(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    world.post([cart_updated("a1", T0, "a")])
    table, bucket = world.adapters.settings.TABLE_NAME, world.adapters.settings.REPORTS_BUCKET
    args = ["rebuild", "--table", table, "--bucket", bucket, "--from", "2026-11-01", "--to", "2026-11-03"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["written"] == 3 * 5
    listed = world.session.client("s3").list_objects_v2(Bucket=bucket, Prefix="kpis/shop=atelier-test/")
    days = {obj["Key"].split("/")[2] for obj in listed["Contents"]}
    assert days == {"date=2026-11-01", "date=2026-11-02", "date=2026-11-03"}


@pytest.mark.parametrize(("start", "end"), [("2026-11-03", "2026-11-01"), ("2026-13-01", "2026-11-01")])
def test_a_bad_period_is_refused_with_a_clear_message(
    world: World, capsys: pytest.CaptureFixture[str], start: str, end: str
) -> None:
    table, bucket = world.adapters.settings.TABLE_NAME, world.adapters.settings.REPORTS_BUCKET
    assert main(["rebuild", "--table", table, "--bucket", bucket, "--from", start, "--to", end]) == 2
    assert "error:" in capsys.readouterr().err


def test_a_table_without_its_bucket_is_refused(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    table = world.adapters.settings.TABLE_NAME
    assert main(["rebuild", "--table", table, "--from", "2026-11-01", "--to", "2026-11-01"]) == 2
    assert "--table needs --bucket" in capsys.readouterr().err
