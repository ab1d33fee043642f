"""Create (or update) a shop and print its credentials; connect its Shopify or WooCommerce.

    python -m infra.shops create --stack relance --shop-id maison-lumiere \\
        --name "Maison Lumière" --sender bonjour@maison-lumiere.fr \\
        --address "12 rue des Artisans, 69002 Lyon" --website https://maison-lumiere.fr
    python -m infra.shops connect --stack relance --shop-id maison-lumiere --platform shopify
        (reads the platform's webhook secret from standard input; docs/connectors.md)

Uses your usual AWS credentials; ``--stack`` reads the table name and the secrets prefix
from the deployed stack's outputs (or give ``--table`` and ``--secrets-prefix``).
Running it again for the same shop rotates its secret.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from typing import Any

import boto3
from pydantic import ValidationError

from infra.stack_outputs import add_location, stack_outputs
from relance.config import Settings
from relance.core.connectors import PLATFORMS
from relance.core.shop import Shop
from relance.services.connectors import WebhookSecret, set_webhook_secret
from relance.services.shops import register
from relance.telemetry import Metric
from relance.wiring import AwsAdapters


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m infra.shops", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create", help="register a shop and print its signing secret")
    add_location(create)
    create.add_argument("--shop-id", required=True, help="3-40 of a-z, 0-9 and -")
    create.add_argument("--name", required=True)
    create.add_argument("--sender", required=True, help="From address, on an SES-verified domain")
    create.add_argument("--address", required=True, help="postal address shown in every email")
    create.add_argument("--website", required=True)
    create.add_argument("--support-email")
    create.add_argument("--language", choices=("fr", "en"), default="fr")
    create.add_argument("--time-zone", default="Europe/Paris")
    create.add_argument(
        "--no-events-hours",
        type=int,
        default=6,
        choices=range(0, 169),
        metavar="{0..168}",
        help="alarm when the shop sends no cart event for this many hours (0: no alarm)",
    )
    create.add_argument("--alarm-topic", help="SNS topic ARN for that alarm (default: the stack's)")
    connect = sub.add_parser("connect", help="set the webhook secret of the shop's Shopify or WooCommerce")
    add_location(connect)
    connect.add_argument("--shop-id", required=True)
    connect.add_argument("--platform", required=True, choices=PLATFORMS)
    return parser.parse_args(argv)


def no_events_alarm(cloudwatch: Any, prefix: str, shop_id: str, hours: int, topic: str | None) -> str:
    """A broken tracking snippet is silent: alarm when a shop's events stop arriving."""
    name = f"{prefix}-{shop_id}-no-cart-events"
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        AlarmDescription=f"No cart event accepted from shop {shop_id} for {hours} h: check its tracking.",
        Namespace="Relance",
        MetricName=Metric.EVENTS_ACCEPTED.value,  # one of the per-shop few (relance.telemetry)
        Dimensions=[{"Name": "shop", "Value": shop_id}, {"Name": "service", "Value": "api"}],
        Statistic="Sum",
        Period=3600,
        EvaluationPeriods=hours,
        Threshold=0,
        ComparisonOperator="LessThanOrEqualToThreshold",
        TreatMissingData="breaching",
        AlarmActions=[topic] if topic else [],
    )
    return name


def connect(arguments: argparse.Namespace) -> int:
    """Read the secret from standard input (never a command-line argument: it would stay in
    the shell's history), store it, print where the platform must send its webhooks."""
    secret = (
        getpass.getpass(f"{arguments.platform} webhook secret: ")
        if sys.stdin.isatty()
        else sys.stdin.readline()
    )
    session = boto3.session.Session()
    outputs = stack_outputs(arguments, session)
    settings = Settings(TABLE_NAME=outputs["TableName"], SHOP_SECRETS_PREFIX=outputs["ShopSecretsPrefix"])
    adapters = AwsAdapters(settings, session=session)
    shop = adapters.shops.get(arguments.shop_id)
    if shop is None:
        print(f"error: shop_id: no shop {arguments.shop_id!r} (create it first)", file=sys.stderr)
        return 2
    try:
        checked = WebhookSecret(webhook_secret=secret.strip())
    except ValidationError as error:
        print(f"error: webhook_secret: {error.errors(include_url=False)[0]['msg']}", file=sys.stderr)
        return 2
    connection = set_webhook_secret(adapters, shop, arguments.platform, checked.webhook_secret)
    api = outputs.get("ApiUrl", "https://<your API>").rstrip("/")
    printed = {
        "shop_id": shop.shop_id,
        "platform": connection.platform,
        "webhook_url": api + connection.webhook_path,
        "secret_ends_with": connection.secret_ends_with,
    }
    print(json.dumps(printed, indent=2))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _arguments(argv)
    if arguments.command == "connect":
        return connect(arguments)
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
    outputs = stack_outputs(arguments, session)
    settings = Settings(TABLE_NAME=outputs["TableName"], SHOP_SECRETS_PREFIX=outputs["ShopSecretsPrefix"])
    secret = register(AwsAdapters(settings, session=session), shop)
    printed = {"shop_id": shop.shop_id, "secret": secret}
    if arguments.no_events_hours:
        topic = arguments.alarm_topic or outputs.get("AlarmTopicArn")
        prefix = arguments.stack or arguments.table
        cloudwatch = session.client("cloudwatch")
        printed["alarm"] = no_events_alarm(cloudwatch, prefix, shop.shop_id, arguments.no_events_hours, topic)
    print(json.dumps(printed, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
