"""What a reviewer of the stack expects before it holds customers' data and sends email."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest

from infra.cloudformation import load_template
from infra.local.stack import Stack
from relance.adapters.reports import EXPORTS_PREFIX
from relance.aws_clients import CLIENT_CONFIG, MAX_ATTEMPTS, SEND_EMAIL_CONFIG, worst_call_seconds
from relance.core.connectors import PLATFORMS
from tests.deploy.conftest import WITH_DOMAIN, resources_of

pytestmark = pytest.mark.unit
TEMPLATE = load_template()
RESOURCES = TEMPLATE["Resources"]
HTTP_API_TIMEOUT_SECONDS = 30


def test_alarms_reach_people_the_topic_key_lets_cloudwatch_publish() -> None:
    topic = RESOURCES["AlarmTopic"]["Properties"]
    assert topic["KmsMasterKeyId"] == {"Ref": "AlarmTopicKey"}  # not alias/aws/sns
    key = RESOURCES["AlarmTopicKey"]["Properties"]
    assert key["EnableKeyRotation"] is True
    grants = [
        s for s in key["KeyPolicy"]["Statement"]
        if s["Effect"] == "Allow" and s["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    ]  # fmt: skip
    assert len(grants) == 1
    assert {"kms:Decrypt", "kms:GenerateDataKey*"} <= set(grants[0]["Action"])
    alarms = resources_of(TEMPLATE, "AWS::CloudWatch::Alarm")
    assert alarms and all(a["AlarmActions"] == [{"Ref": "AlarmTopic"}] for a in alarms.values())


def test_a_failing_report_run_is_retried_then_kept_and_alarmed() -> None:
    report = RESOURCES["ReportFunction"]["Properties"]
    on_failure = report["EventInvokeConfig"]["DestinationConfig"]["OnFailure"]
    assert on_failure == {"Type": "SQS", "Destination": {"Fn::GetAtt": ["TimerDeadLetterQueue", "Arn"]}}
    assert report["EventInvokeConfig"]["MaximumRetryAttempts"] >= 1
    allowed = [s for s in report["Policies"][0]["Statement"] if s["Action"] == "sqs:SendMessage"]
    dead_letters, jobs = (
        {"Fn::GetAtt": ["TimerDeadLetterQueue", "Arn"]},
        {"Fn::GetAtt": ["ReportJobsQueue", "Arn"]},
    )
    assert allowed and allowed[0]["Resource"] == [dead_letters, jobs]
    # A job that fails three times lands in the same dead-letter queue, which alarms.
    redrive = RESOURCES["ReportJobsQueue"]["Properties"]["RedrivePolicy"]
    assert redrive == {"deadLetterTargetArn": dead_letters, "maxReceiveCount": 3}
    worker = report["Events"]["Jobs"]["Properties"]
    assert worker["Queue"] == jobs and worker["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert RESOURCES["ReportJobsQueue"]["Properties"]["VisibilityTimeout"] >= 6 * report["Timeout"]
    watched = [
        a for a in resources_of(TEMPLATE, "AWS::CloudWatch::Alarm").values()
        if a["Namespace"] == "AWS/SQS"
    ]  # fmt: skip
    assert watched[0]["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["TimerDeadLetterQueue", "QueueName"]}


NAME_PROPERTIES = {"Name", "FunctionName", "DashboardName", "LogGroupName", "TableName", "BucketName",
                   "QueueName", "TopicName", "RoleName", "AlarmName", "DomainName"}  # fmt: skip


def test_every_named_resource_is_unique_per_stack(domain_template: dict[str, Any]) -> None:
    resources = domain_template["Resources"]
    for logical, spec in resources.items():
        for prop in NAME_PROPERTIES & set(spec.get("Properties", {})):
            name = json.dumps(spec["Properties"][prop])
            # the stack's name, or another resource's (itself unique), or a parameter's
            names_a_resource = any("${" + other + "}" in name for other in resources)
            unique = "AWS::StackName" in name or '"Ref"' in name or names_a_resource
            assert unique, f"{logical}.{prop} = {name}"


def test_the_api_logs_each_request_as_json() -> None:
    settings = RESOURCES["HttpApi"]["Properties"]["AccessLogSettings"]
    assert settings["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}
    fields = json.loads(settings["Format"])
    assert {"requestId", "routeKey", "status", "latencyMs"} <= set(fields)
    assert RESOURCES["ApiAccessLogGroup"]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_data_outlives_a_deleted_stack_and_the_link_key_stays_with_it() -> None:
    table, secret = RESOURCES["Table"], RESOURCES["LinkKeySecret"]
    assert table["Properties"]["DeletionProtectionEnabled"] is True
    for resource in (table, secret, RESOURCES["ReportsBucket"]):
        assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"


def test_superseded_report_versions_expire_and_customer_exports_go_after_30_days() -> None:
    rules = {r["Id"]: r for r in RESOURCES["ReportsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]}
    superseded, exports = rules["ExpireSupersededReports"], rules["ExpireCustomerDataExports"]
    assert (
        superseded["Status"] == "Enabled" and superseded["NoncurrentVersionExpiration"]["NoncurrentDays"] > 0
    )
    assert "Prefix" not in superseded  # every report
    assert exports["Status"] == "Enabled" and exports["Prefix"] == EXPORTS_PREFIX
    assert exports["ExpirationInDays"] <= 30


def test_the_api_function_may_set_platform_secrets_but_not_a_shops_own() -> None:
    statements = RESOURCES["ApiFunction"]["Properties"]["Policies"][0]["Statement"]
    (put,) = [s for s in statements if s["Action"] == "ssm:PutParameter"]
    resources = [r["Fn::Sub"] for r in put["Resource"]]
    assert {r.rsplit("/", 1)[-1] for r in resources} == set(PLATFORMS)


def test_the_sender_identity_is_required_and_never_a_wildcard() -> None:
    import re

    identity = TEMPLATE["Parameters"]["SesIdentity"]
    assert "Default" not in identity
    pattern = re.compile(identity["AllowedPattern"])
    assert pattern.match("example.com") and pattern.match("bonjour@maison.example.fr")
    assert not pattern.match("*") and not pattern.match("*.example.com") and not pattern.match("")


def test_tracing_is_a_parameter_and_off_by_default(plain_template: dict[str, Any]) -> None:
    # The transform leaves each function's mode to the parameter, resolved at deployment.
    assert TEMPLATE["Parameters"]["Tracing"]["Default"] == "PassThrough"
    assert TEMPLATE["Parameters"]["Tracing"]["AllowedValues"] == ["PassThrough", "Active"]
    functions = resources_of(plain_template, "AWS::Lambda::Function").values()
    assert all(f["TracingConfig"] == {"Mode": {"Ref": "Tracing"}} for f in functions)


def test_a_custom_domain_serves_the_api_and_every_link(domain_template: dict[str, Any]) -> None:
    (domain,) = resources_of(domain_template, "AWS::ApiGatewayV2::DomainName").values()
    assert domain["DomainName"] == {"Ref": "DomainName"}
    assert domain["DomainNameConfigurations"][0]["CertificateArn"] == {"Ref": "CertificateArn"}
    (mapping,) = resources_of(domain_template, "AWS::ApiGatewayV2::ApiMapping").values()
    assert mapping["ApiId"] == {"Ref": "HttpApi"}
    link_base = RESOURCES["ReminderFunction"]["Properties"]["Environment"]["Variables"]["PUBLIC_API_URL"]
    with_domain = Stack("relance", TEMPLATE, {**WITH_DOMAIN}, refs={"HttpApi": "abc123"})
    assert with_domain.resolve(link_base) == "https://relance.atelier.example"
    without = Stack("relance", TEMPLATE, {"SesIdentity": "atelier.example"}, refs={"HttpApi": "abc123"})
    assert without.resolve(link_base) == "https://abc123.execute-api.eu-west-3.amazonaws.com"
    assert "DomainNeedsCertificate" in TEMPLATE["Rules"]


def _timeout(function: str) -> int:
    own = RESOURCES[function]["Properties"].get("Timeout")
    return int(own if own is not None else TEMPLATE["Globals"]["Function"]["Timeout"])


def test_no_aws_call_can_outlive_its_function() -> None:
    for function in resources_of(TEMPLATE, "AWS::Serverless::Function"):
        assert _timeout(function) > worst_call_seconds(), function
    assert _timeout("ApiFunction") < HTTP_API_TIMEOUT_SECONDS  # else the shop sees a 504 first
    config: Any = CLIENT_CONFIG  # botocore-stubs declare Config's options as arguments only
    assert config.connect_timeout < 60 and config.read_timeout < 60  # not botocore's 60 s
    assert config.retries == {"mode": "standard", "total_max_attempts": MAX_ATTEMPTS}


def test_every_client_the_functions_build_has_those_timeouts() -> None:
    import boto3

    from relance.config import Settings
    from relance.wiring import AwsAdapters

    real: Any = boto3.session.Session(region_name="eu-west-3")
    built: list[tuple[str, Any]] = []

    class RecordingSession:
        def client(self, service: str, **options: Any) -> Any:
            built.append((service, options.get("config")))
            return real.client(service, **options)

        def resource(self, service: str, **options: Any) -> Any:
            built.append((service, options.get("config")))
            return real.resource(service, **options)

    adapters = AwsAdapters(Settings(TABLE_NAME="t"), session=RecordingSession())
    names = [name for name in vars(AwsAdapters) if not name.startswith("__") and name != "_client"]
    for name in names:
        if isinstance(vars(AwsAdapters)[name], functools.cached_property):
            getattr(adapters, name)
    assert {service for service, _ in built} >= {"dynamodb", "sesv2", "scheduler", "ssm", "s3", "sns"}
    assert all(config is CLIENT_CONFIG for service, config in built if service != "sesv2"), built
    # SES sends are never retried by the SDK: after a lost answer the email may be out.
    (ses,) = [config for service, config in built if service == "sesv2"]
    send_config: Any = SEND_EMAIL_CONFIG  # botocore-stubs declare Config's options as arguments only
    client_config: Any = CLIENT_CONFIG
    assert ses is send_config and send_config.retries == {"mode": "standard", "total_max_attempts": 1}
    assert send_config.read_timeout == client_config.read_timeout


def test_sam_deploy_guided_asks_no_authentication_question() -> None:
    # `sam deploy --guided` asks "<function> has no authentication. Is this okay? [y/N]" for
    # each route without Auth, and stops on the default answer. Every route says
    # `Authorizer: NONE` on purpose (the function checks signatures), over an IAM default.
    from samcli.commands.deploy.auth_utils import auth_per_resource
    from samcli.lib.providers.sam_stack_provider import SamLocalStackProvider

    from infra.cloudformation import TEMPLATE as PATH

    stacks, _ = SamLocalStackProvider.get_stacks(str(PATH), parameter_overrides={"SesIdentity": "a.example"})
    answers = auth_per_resource(stacks)
    assert answers and all(authorized for _, authorized in answers)
    assert RESOURCES["HttpApi"]["Properties"]["Auth"]["DefaultAuthorizer"] == "AWS_IAM"
