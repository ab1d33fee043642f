"""The transformed template lints clean (cycles included) and creates in moto's CloudFormation.

cfn-lint's checks of ``template.yaml`` itself skip what SAM resources expand into: a cycle
through a SAM function passes them and fails at deployment. So the SAM transform's output is
linted and created here, as CloudFormation would receive it.
"""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import boto3
import pytest

from infra.cloudformation import ARTIFACTS_BUCKET, artifact_key, transformed
from infra.local.stack import REGION
from tests.deploy.conftest import PLAIN, WITH_DOMAIN

pytestmark = pytest.mark.integration
ARCHITECTURE = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def lint(template: dict[str, Any]) -> list[str]:
    import cfnlint.api

    matches = cfnlint.api.lint(json.dumps(template), regions=[REGION])
    # The transform consumes Tracing (it becomes each function's TracingConfig), so the
    # output no longer refers to the parameter: expected, not a mistake.
    return [str(m) for m in matches if not (m.rule.id == "W2001" and "Tracing" in m.message)]


@pytest.mark.parametrize("parameters", [PLAIN, WITH_DOMAIN], ids=["plain", "custom-domain"])
def test_the_transformed_template_lints_clean(parameters: dict[str, str]) -> None:
    assert lint(transformed(parameters)) == []


def test_the_lint_catches_a_cycle_through_a_sam_function(plain_template: dict[str, Any]) -> None:
    # The cycle the first deployment met: the scheduler's role named the reminder by !GetAtt
    # while the functions' environment names the role.
    broken = copy.deepcopy(plain_template)
    statement = broken["Resources"]["SchedulerRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    statement["Statement"][0]["Resource"] = {"Fn::GetAtt": ["ReminderFunction", "Arn"]}
    assert any("E3004" in problem for problem in lint(broken))


def _create(template: dict[str, Any], parameters: dict[str, str], name: str) -> dict[str, Any]:
    s3: Any = boto3.client("s3", region_name=REGION)  # the region is a parameter, not a Literal
    if ARTIFACTS_BUCKET not in {b["Name"] for b in s3.list_buckets()["Buckets"]}:
        s3.create_bucket(Bucket=ARTIFACTS_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as code:
        code.writestr("handler.py", "def lambda_handler(event, context):\n    return event\n")
    for logical, spec in template["Resources"].items():
        if spec["Type"] in ("AWS::Lambda::Function", "AWS::Lambda::LayerVersion"):
            s3.put_object(Bucket=ARTIFACTS_BUCKET, Key=artifact_key(logical), Body=archive.getvalue())
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    cloudformation.create_stack(
        StackName=name,
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        Capabilities=["CAPABILITY_IAM"],
    )
    stack: dict[str, Any] = dict(cloudformation.describe_stacks(StackName=name)["Stacks"][0])
    return stack


@pytest.mark.parametrize("parameters", [PLAIN, WITH_DOMAIN], ids=["plain", "custom-domain"])
def test_the_stack_creates_in_moto(parameters: dict[str, str]) -> None:
    from moto import mock_aws

    template = _without_outputs_moto_cannot_read(transformed(parameters))
    with mock_aws():
        stack = _create(template, parameters, "relance")
        assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
        functions = boto3.client("lambda", region_name=REGION).list_functions()["Functions"]
        assert {f["FunctionName"] for f in functions} == {
            f"relance-{name}" for name in ("api", "reminder", "report", "feedback")
        }
        assert {f["Runtime"] for f in functions} == {"python3.13"}
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
        if "DomainName" in parameters:
            assert outputs["ApiUrl"] == f"https://{parameters['DomainName']}"


def test_two_stacks_live_side_by_side_in_one_region(plain_template: dict[str, Any]) -> None:
    from moto import mock_aws

    with mock_aws():
        first = _create(plain_template, PLAIN, "relance-a")
        second = _create(plain_template, PLAIN, "relance-b")
        assert first["StackStatus"] == second["StackStatus"] == "CREATE_COMPLETE"


def _without_outputs_moto_cannot_read(template: dict[str, Any]) -> dict[str, Any]:
    """moto cannot read an attribute of a resource type it skips (the custom domain's DNS
    target): those outputs go; the ones left, and every resource, still must create."""
    skipped = _types_moto_skips(template)
    resources = template["Resources"]

    def reads_skipped(value: Any) -> bool:
        text = json.dumps(value)
        skipped_ids = [logical for logical, spec in resources.items() if spec["Type"] in skipped]
        return any(f'"Fn::GetAtt": ["{logical}"' in text for logical in skipped_ids)

    outputs = {k: v for k, v in template.get("Outputs", {}).items() if not reads_skipped(v["Value"])}
    return {**template, "Outputs": outputs}


def _types_moto_skips(template: dict[str, Any]) -> set[str]:
    from moto.cloudformation.parsing import get_model_map

    return {spec["Type"] for spec in template["Resources"].values()} - set(get_model_map())


def test_the_docs_list_every_resource_type_moto_skips(domain_template: dict[str, Any]) -> None:
    section = ARCHITECTURE.read_text().split("<!-- moto-skips -->")[1]
    documented = set(re.findall(r"`(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)`", section))
    assert documented == _types_moto_skips(domain_template)


def test_the_readme_registers_a_shop_on_the_created_stack(
    plain_template: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """README step 8, run against the stack moto created from the transformed template."""
    from moto import mock_aws

    from infra.shops import main

    with mock_aws():
        _create(plain_template, PLAIN, "relance")
        assert main(["create", "--stack", "relance", "--shop-id", "my-shop", "--name", "My Shop",
                     "--sender", "hello@my-shop.example", "--address", "1 High Street, London",
                     "--website", "https://my-shop.example"]) == 0  # fmt: skip
        printed = json.loads(capsys.readouterr().out)
        assert printed["shop_id"] == "my-shop" and printed["alarm"]
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        (table,) = dynamodb.list_tables()["TableNames"]
        shop = dynamodb.get_item(TableName=table, Key={"pk": {"S": "SHOP#my-shop"}, "sk": {"S": "SHOP"}})
        assert "Item" in shop
        ssm = boto3.client("ssm", region_name=REGION)
        assert ssm.get_parameter(Name="/relance/shops/my-shop", WithDecryption=True)["Parameter"]["Value"]
