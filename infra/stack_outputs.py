"""Where the operator commands find a deployment: the stack's outputs, or explicit names."""

from __future__ import annotations

import argparse
from typing import Any


def add_location(parser: argparse.ArgumentParser) -> None:
    """``--stack NAME``, or ``--table`` (with ``--bucket`` / ``--secrets-prefix`` as needed)."""
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--stack", help="name of the deployed Relance stack (reads its outputs)")
    where.add_argument("--table", help="DynamoDB table name, instead of --stack")
    parser.add_argument("--bucket", help="reports bucket, with --table")
    parser.add_argument("--secrets-prefix", default="/relance/shops", help="with --table")


def stack_outputs(arguments: argparse.Namespace, session: Any) -> dict[str, str]:
    """The stack's outputs by key (``TableName``, ``ReportsBucketName``...)."""
    if arguments.table:
        explicit = {"TableName": arguments.table, "ShopSecretsPrefix": arguments.secrets_prefix}
        return explicit | ({"ReportsBucketName": arguments.bucket} if arguments.bucket else {})
    stack = session.client("cloudformation").describe_stacks(StackName=arguments.stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
