"""The template as CloudFormation receives it, with the parameters two kinds of shop deploy."""

from __future__ import annotations

from typing import Any

import pytest

from infra.cloudformation import transformed

PLAIN = {"SesIdentity": "atelier.example"}
"""Only the required parameter: the API's own address, no tracing."""
WITH_DOMAIN = {
    **PLAIN,
    "DomainName": "relance.atelier.example",
    "CertificateArn": "arn:aws:acm:eu-west-3:123456789012:certificate/abc",
    "Tracing": "Active",
}


@pytest.fixture(scope="session")
def plain_template() -> dict[str, Any]:
    return transformed(PLAIN)


@pytest.fixture(scope="session")
def domain_template() -> dict[str, Any]:
    return transformed(WITH_DOMAIN)


def resources_of(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        logical: spec.get("Properties", {})
        for logical, spec in template["Resources"].items()
        if spec["Type"] == kind
    }
