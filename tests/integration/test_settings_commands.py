"""The operator commands for a shop's settings, and the offline email preview."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra import preview, shop_settings
from tests.conftest import World

pytestmark = pytest.mark.integration
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def run(world: World, *arguments: str) -> int:
    table = world.adapters.settings.TABLE_NAME
    return shop_settings.main(
        ["--table", table, "--shop-id", "atelier-test", *arguments], session=world.session
    )


def test_the_documented_policy_file_is_accepted_and_a_bad_one_changes_nothing(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(world, "policy", str(EXAMPLES / "policy.json")) == 0
    assert world.adapters.shops.get("atelier-test").policy.consent_mode == "eu"  # type: ignore[union-attr]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"quiet_hours": {"start": "25:00"}}))
    capsys.readouterr()
    assert run(world, "policy", str(bad)) == 2
    assert "policy.quiet_hours.start" in capsys.readouterr().err
    assert world.adapters.shops.get("atelier-test").policy.consent_mode == "eu"  # type: ignore[union-attr]


def test_codes_are_uploaded_from_a_file(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    codes = tmp_path / "codes.txt"
    codes.write_text("MERCI-1\nMERCI-2\n\nMERCI-2\n")
    assert run(world, "codes", str(codes)) == 0
    assert json.loads(capsys.readouterr().out) == {"added": 2, "refused_already_issued": [], "free": 2}


def test_templates_from_a_folder_are_checked_before_they_are_stored(world: World, tmp_path: Path) -> None:
    (tmp_path / "reminder.html").write_text("<p>{{ shop.name }}</p>")  # no unsubscribe link
    assert run(world, "templates", str(tmp_path)) == 2
    assert world.adapters.shops.templates("atelier-test") == {}


def test_preview_writes_the_step_for_a_sample_cart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert preview.main(["--step", "2", "--language", "en", "--high", "--out", str(tmp_path)]) == 0
    html = (tmp_path / "step2-en.html").read_text()
    text = (tmp_path / "step2-en.txt").read_text()
    assert "Order with peace of mind" in html and "Free returns within 30 days" in html
    assert text.startswith("Subject: Questions about your cart? Maison Lumière has answers")
    assert "Wool &lt;jumper&gt; &amp; mohair" in html, "the sample's markup characters are escaped"
    broken = tmp_path / "mine"
    broken.mkdir()
    (broken / "reminder.txt").write_text("{{ greeting }")
    capsys.readouterr()
    assert preview.main(["--templates", str(broken), "--out", str(tmp_path)]) == 2
    assert "reminder.txt" in capsys.readouterr().err


def test_an_unknown_shop_is_named_and_nothing_is_stored(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    table = world.adapters.settings.TABLE_NAME
    arguments = ["--table", table, "--shop-id", "no-such-shop", "policy", str(EXAMPLES / "policy.json")]
    assert shop_settings.main(arguments, session=world.session) == 2
    assert "no shop 'no-such-shop'" in capsys.readouterr().err
    assert world.adapters.shops.get("no-such-shop") is None
