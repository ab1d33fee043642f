"""Create (or update) a shop and print its credentials.

    python -m infra.shops create --stack relance --shop-id maison-lumiere \\
        --name "Maison Lumière" --sender bonjour@maison-lumiere.fr \\
        --address "12 rue des Artisans, 69002 Lyon" --website https://maison-lumiere.fr

Uses your usual AWS credentials; ``--stack`` reads the table name and the secrets prefix
from the deployed stack's outputs (or give ``--table`` and ``--secrets-prefix``).
Running it again for the same shop rotates its secret.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

import boto3
from pydantic import ValidationError

from relance.config import Settings
from relance.core.shop import Shop
from relance.services.shops import register
from relance.wiring import Services


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m infra.shops", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create", help="register a shop and print its signing secret")
    where = create.add_mutually_exclusive_group(required=True)
    where.add_argument("--stack", help="name of the deployed Relance stack")
    where.add_argument("--table", help="DynamoDB table name (instead of --stack)")
    create.add_argument("--secrets-prefix", default="/relance/shops")
    create.add_argument("--shop-id", required=True, help="3-40 of a-z, 0-9 and -")
    create.add_argument("--name", required=True)
    create.add_argument("--sender", required=True, help="From address, on an SES-verified domain")
    create.add_argument("--address", required=True, help="postal address shown in every email")
    create.add_argument("--website", required=True)
    create.add_argument("--support-email")
    create.add_argument("--language", choices=("fr", "en"), default="fr")
    create.add_argument("--time-zone", default="Europe/Paris")
    return parser.parse_args(argv)


def _settings(arguments: argparse.Namespace, session: Any) -> Settings:
    if arguments.table:
        return Settings(TABLE_NAME=arguments.table, SHOP_SECRETS_PREFIX=arguments.secrets_prefix)
    stack = session.client("cloudformation").describe_stacks(StackName=arguments.stack)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    return Settings(TABLE_NAME=outputs["TableName"], SHOP_SECRETS_PREFIX=outputs["ShopSecretsPrefix"])


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _arguments(argv)
    try:
        shop = Shop(
            shop_id=arguments.shop_id,
            name=arguments.name,
            sender_email=arguments.sender,
            postal_address=arguments.address,
            website=arguments.website,
            support_email=arguments.support_email,
            language=arguments.language,
            time_zone=arguments.time_zone,
        )
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            field = ".".join(str(part) for part in detail["loc"])
            print(f"error: {field}: {detail['msg']}", file=sys.stderr)
        return 2
    session = boto3.session.Session()
    secret = register(Services(_settings(arguments, session), session=session), shop)
    print(json.dumps({"shop_id": shop.shop_id, "secret": secret}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
