"""Rebuild KPI reports for a period, from your machine, with your AWS credentials.

    python -m infra.reports rebuild --stack relance --from 2026-11-01 --to 2026-11-30 [--shop my-shop]

It runs the report function's own code against the stack's table and bucket (read from
the stack's outputs). The same can be asked of the deployed function:
``aws lambda invoke --function-name <stack>-report --payload '{"from": ..., "to": ...}'``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import boto3
from pydantic import ValidationError

from relance.config import Settings
from relance.services.report import ReportRequest, run
from relance.wiring import Services


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m infra.reports", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rebuild = sub.add_parser("rebuild", help="recompute the reports of a period")
    where = rebuild.add_mutually_exclusive_group(required=True)
    where.add_argument("--stack", help="name of the deployed Relance stack")
    where.add_argument("--table", help="DynamoDB table name (with --bucket, instead of --stack)")
    rebuild.add_argument("--bucket", help="reports bucket (with --table)")
    rebuild.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    rebuild.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    rebuild.add_argument("--shop", help="one shop (default: every shop)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _arguments(argv)
    try:
        request = ReportRequest.model_validate(
            {"shop_id": arguments.shop, "from": arguments.date_from, "to": arguments.date_to}
        )
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            field = ".".join(str(part) for part in detail["loc"]) or "period"
            print(f"error: {field}: {detail['msg']}", file=sys.stderr)
        return 2
    session = boto3.session.Session()
    if arguments.stack:
        stack = session.client("cloudformation").describe_stacks(StackName=arguments.stack)["Stacks"][0]
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
        table, bucket = outputs["TableName"], outputs["ReportsBucketName"]
    elif arguments.bucket:
        table, bucket = arguments.table, arguments.bucket
    else:
        print("error: --table needs --bucket", file=sys.stderr)
        return 2
    written = run(Services(Settings(TABLE_NAME=table, REPORTS_BUCKET=bucket), session=session), request)
    print(json.dumps({"written": len(written), "first": written[:1], "last": written[-1:]}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
