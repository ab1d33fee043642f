"""``template.yaml`` as CloudFormation sees it: read, SAM-transformed, and its HTTP routes.

moto and ``cfn-lint template.yaml`` both check the template before the SAM transform, which
hides what only the transformed template shows (a dependency cycle through a SAM function,
for one). The tests lint and create the output of :func:`transformed` instead.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

from cfnlint.decode import decode

TEMPLATE = Path(__file__).resolve().parents[1] / "template.yaml"
ARTIFACTS_BUCKET = "relance-artifacts"
"""Where :func:`transformed` says the code lies (``sam deploy`` uploads to a bucket of its own)."""

_CODE_PROPERTIES = {"AWS::Serverless::Function": "CodeUri", "AWS::Serverless::LayerVersion": "ContentUri"}


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    """The template as plain data, short tags (``!Ref``...) in their long form."""
    template, problems = decode(str(path))
    if problems or template is None:
        raise ValueError(f"{path} does not parse: {[str(p) for p in problems]}")
    loaded: dict[str, Any] = json.loads(json.dumps(template))  # plain dicts, not cfn-lint's nodes
    return loaded


def artifact_key(logical_id: str) -> str:
    return f"{logical_id}.zip"


def transformed(parameters: dict[str, str] | None = None, region: str = "eu-west-3") -> dict[str, Any]:
    """The SAM transform's output, each function's and layer's code in :data:`ARTIFACTS_BUCKET`."""
    from samtranslator.translator.transform import transform

    template = copy.deepcopy(load_template())
    for logical_id, resource in template["Resources"].items():
        code_property = _CODE_PROPERTIES.get(resource["Type"])
        if code_property:
            location = {"Bucket": ARTIFACTS_BUCKET, "Key": artifact_key(logical_id)}
            resource["Properties"][code_property] = location
    previous = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = region  # the transform asks boto3 for the region
    try:
        output: dict[str, Any] = transform(template, dict(parameters or {}), _NoManagedPolicies())
    finally:
        if previous is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
        else:
            os.environ["AWS_DEFAULT_REGION"] = previous
    return output


class _NoManagedPolicies:
    """The transform asks for managed policies by name only when a template names one; ours
    write every policy out, so the lookup (an IAM call) must never be needed."""

    def load(self) -> dict[str, str]:
        return {}


def http_routes(template: dict[str, Any] | None = None) -> set[tuple[str, str]]:
    """(method, path) of every ``HttpApi`` event of the template's functions."""
    template = template or load_template()
    routes: set[tuple[str, str]] = set()
    for resource in template["Resources"].values():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event in resource["Properties"].get("Events", {}).values():
            if event["Type"] == "HttpApi":
                routes.add((event["Properties"]["Method"].upper(), event["Properties"]["Path"]))
    return routes
