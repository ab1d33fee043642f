"""Change a registered shop's settings from the command line (same checks as the API).

    python -m infra.shop_settings --stack relance --shop-id maison-lumiere policy policy.json
    python -m infra.shop_settings --stack relance --shop-id maison-lumiere texts texts.json
    python -m infra.shop_settings --stack relance --shop-id maison-lumiere templates my-templates/
    python -m infra.shop_settings --stack relance --shop-id maison-lumiere codes codes.txt

``policy`` and ``texts`` take JSON files (docs/policy.md, docs/emails.md); ``templates`` a
folder with ``reminder.html`` and/or ``reminder.txt``; ``codes`` one discount code per line.
An invalid file is refused with every field named, and nothing stored changes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import boto3
from pydantic import ValidationError

from infra.stack_outputs import add_location, stack_outputs
from relance.config import Settings
from relance.core.cart.batch import field_errors
from relance.core.sequence.policy import ShopPolicy
from relance.ports import Adapters
from relance.services.errors import TemplateRejected
from relance.services.settings import ShopTexts, set_policy, set_texts
from relance.services.templates import TEMPLATE_NAMES, upload_templates
from relance.wiring import AwsAdapters


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m infra.shop_settings", description=__doc__.split("\n")[0])
    add_location(parser)
    parser.add_argument("--shop-id", required=True)
    parser.add_argument("what", choices=("policy", "texts", "templates", "codes"))
    parser.add_argument("path", type=Path, help="JSON file, templates folder, or codes file")
    return parser.parse_args(argv)


class UnknownShop(LookupError):
    """No shop of that id in this deployment."""


def templates_in(folder: Path) -> dict[str, str]:
    """The templates a folder holds, by name (``reminder.html`` and/or ``reminder.txt``)."""
    return {name: (folder / name).read_text() for name in TEMPLATE_NAMES if (folder / name).is_file()}


def apply(adapters: Adapters, shop_id: str, what: str, path: Path) -> dict[str, object]:
    """Store the setting read from ``path``; what was stored, for printing."""
    shop = adapters.shops.get(shop_id)
    if shop is None:
        raise UnknownShop(shop_id)
    if what == "policy":
        policy = ShopPolicy.model_validate_json(path.read_bytes())
        return set_policy(adapters, shop, policy).model_dump(mode="json")
    if what == "texts":
        texts = ShopTexts.model_validate_json(path.read_bytes())
        return set_texts(adapters, shop, texts).model_dump(mode="json")
    if what == "templates":
        return {"templates": upload_templates(adapters, shop, templates_in(path))}
    codes = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    added, refused = adapters.codes.upload(shop_id, codes)
    return {"added": added, "refused_already_issued": refused, "free": adapters.codes.free_count(shop_id)}


def main(argv: Sequence[str] | None = None, session: object = None) -> int:
    arguments = _arguments(argv)
    session = session or boto3.session.Session()
    outputs = stack_outputs(arguments, session)
    adapters = AwsAdapters(Settings(TABLE_NAME=outputs["TableName"]), session=session)
    try:
        print(json.dumps(apply(adapters, arguments.shop_id, arguments.what, arguments.path), indent=2))
    except UnknownShop:
        print(f"error: no shop {arguments.shop_id!r} in this deployment", file=sys.stderr)
        return 2
    except ValidationError as error:
        for problem in field_errors(arguments.what, error):
            print(f"error: {problem.field}: {problem.reason}", file=sys.stderr)
        return 2
    except TemplateRejected as error:
        print(f"error: {error.field}: {error.reason}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as error:
        print(f"error: {arguments.path}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
