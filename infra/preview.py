"""Render one step of the emails for a sample cart to files, to look at before going live.

    python -m infra.preview --step 2 --language en --out out/preview
    python -m infra.preview --shop shop.json --templates my-templates/ --step 3 --returning --high

Works offline. ``--shop`` is a shop's JSON (as ``Shop``: identity, policy, reassurance,
blocks); ``--templates`` a folder with your ``reminder.html`` / ``reminder.txt``, checked
exactly as an upload would be. Writes ``step<N>-<language>.html`` and ``.txt``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from infra.local.demo_shop import DEMO_SHOP
from infra.shop_settings import templates_in
from relance.core.email.compose import compose
from relance.core.email.samples import SAMPLE_NOW, sample_cart
from relance.core.shop import Shop
from relance.services.errors import TemplateRejected
from relance.services.templates import SAMPLE_LINKS, check_templates


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m infra.preview", description=__doc__.split("\n")[0])
    parser.add_argument("--shop", type=Path, help="shop JSON file (default: the demo shop)")
    parser.add_argument("--templates", type=Path, help="folder with reminder.html / reminder.txt")
    parser.add_argument("--step", type=int, choices=(1, 2, 3), default=1)
    parser.add_argument("--language", choices=("fr", "en"), default="fr")
    parser.add_argument("--variant", default="A")
    parser.add_argument("--returning", action="store_true", help="a customer who already ordered")
    parser.add_argument("--high", action="store_true", help="a cart above the high-value threshold")
    parser.add_argument("--out", type=Path, default=Path("out/preview"))
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _arguments(argv)
    try:
        shop = Shop.model_validate_json(arguments.shop.read_text()) if arguments.shop else DEMO_SHOP
        overrides = templates_in(arguments.templates) if arguments.templates else {}
        environment = check_templates(shop, overrides) if overrides else None
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            print(f"error: {'.'.join(map(str, detail['loc']))}: {detail['msg']}", file=sys.stderr)
        return 2
    except TemplateRejected as error:
        print(f"error: {error.field}: {error.reason}", file=sys.stderr)
        return 2
    if arguments.step > shop.policy.steps:
        print(f"error: --step: this shop's sequence has {shop.policy.steps} steps", file=sys.stderr)
        return 2
    cart = sample_cart(
        shop.shop_id,
        arguments.language,
        returning=arguments.returning,
        high=arguments.high,
        incentive=shop.policy.incentive.enabled,
    )
    email = compose(
        shop,
        cart,
        arguments.step,
        SAMPLE_NOW,
        links=SAMPLE_LINKS,
        variant=arguments.variant,
        templates=environment,
    )
    arguments.out.mkdir(parents=True, exist_ok=True)
    stem = arguments.out / f"step{arguments.step}-{arguments.language}"
    stem.with_suffix(".html").write_text(email.html)
    stem.with_suffix(".txt").write_text(
        f"Subject: {email.subject}\nPreheader: {email.preheader}\n\n{email.text}"
    )
    print(f"{stem}.html\n{stem}.txt\nSubject: {email.subject}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
