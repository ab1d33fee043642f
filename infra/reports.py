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

from infra.stack_outputs import add_location, stack_outputs
from relance.config import Settings
from relance.services.report import ReportRequest, run
from relance.wiring import AwsAdapters


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m infra.reports", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rebuild = sub.add_parser("rebuild", help="recompute the reports of a period")
    add_location(rebuild)
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
    outputs = stack_outputs(arguments, session)
    if "ReportsBucketName" not in outputs:
        print("error: --table needs --bucket", file=sys.stderr)
        return 2
    settings = Settings(TABLE_NAME=outputs["TableName"], REPORTS_BUCKET=outputs["ReportsBucketName"])
    written = run(AwsAdapters(settings, session=session), request)
    print(json.dumps({"written": len(written), "first": written[:1], "last": written[-1:]}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
