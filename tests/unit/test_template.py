"""template.yaml: lints clean and declares what the product relies on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from infra.local.stack import TEMPLATE, load_template
from relance.telemetry import Metric

pytestmark = pytest.mark.unit
RESOURCES = load_template()["Resources"]


def of_type(kind: str) -> dict[str, Any]:
    return {name: spec["Properties"] for name, spec in RESOURCES.items() if spec["Type"] == kind}


def test_cfn_lint_reports_nothing() -> None:
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(cfn_lint), str(TEMPLATE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_table_is_on_demand_with_ttl_pitr_and_the_day_index() -> None:
    (table,) = of_type("AWS::DynamoDB::Table").values()
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert [i["IndexName"] for i in table["GlobalSecondaryIndexes"]] == ["by-shop-day-keys"]
    assert table["GlobalSecondaryIndexes"][0]["Projection"] == {"ProjectionType": "KEYS_ONLY"}


def test_reports_bucket_is_encrypted_and_private() -> None:
    (bucket,) = of_type("AWS::S3::Bucket").values()
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())


def test_functions_and_their_triggers() -> None:
    functions = of_type("AWS::Serverless::Function")
    assert set(functions) == {"ApiFunction", "ReminderFunction", "ReportFunction", "FeedbackFunction"}
    assert functions["ApiFunction"]["Events"]["PostEvents"]["Properties"]["Path"] == "/v1/events"
    assert functions["ReportFunction"]["Events"]["Daily"]["Type"] == "ScheduleV2"
    reminder = functions["ReminderFunction"]["EventInvokeConfig"]
    assert reminder["DestinationConfig"]["OnFailure"]["Type"] == "SQS"


def test_each_function_has_its_own_least_privilege_policy() -> None:
    for name, function in of_type("AWS::Serverless::Function").items():
        statements = function["Policies"][0]["Statement"]
        for statement in statements:
            resources = (
                statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            )
            assert "*" not in resources, f"{name} has a wildcard resource"
            assert not any(
                action.endswith(":*")
                for action in (
                    statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                )
            ), name
    report_actions = {
        a
        for s in of_type("AWS::Serverless::Function")["ReportFunction"]["Policies"][0]["Statement"]
        for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
    }
    assert "dynamodb:Scan" not in report_actions and "dynamodb:PutItem" not in report_actions


def test_scheduler_group_role_dead_letter_queue_and_configuration_set_exist() -> None:
    kinds = {spec["Type"] for spec in RESOURCES.values()}
    assert {
        "AWS::Scheduler::ScheduleGroup",
        "AWS::SQS::Queue",
        "AWS::SES::ConfigurationSet",
        "AWS::Serverless::HttpApi",
        "AWS::Serverless::LayerVersion",
    } <= kinds
    role = RESOURCES["SchedulerRole"]["Properties"]
    principal = role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
    assert principal == {"Service": "scheduler.amazonaws.com"}


def test_ses_events_of_the_configuration_set_reach_the_feedback_function() -> None:
    (destination,) = of_type("AWS::SES::ConfigurationSetEventDestination").values()
    assert destination["ConfigurationSetName"] == {"Ref": "EmailConfigurationSet"}
    events = destination["EventDestination"]
    assert {"bounce", "complaint", "delivery", "open"} <= set(events["MatchingEventTypes"])
    assert "click" not in events["MatchingEventTypes"]  # our own redirect counts clicks
    assert "event-bus/default" in events["EventBridgeDestination"]["EventBusArn"]["Fn::Sub"]
    rule = of_type("AWS::Serverless::Function")["FeedbackFunction"]["Events"]["SesEvents"]["Properties"]
    assert rule["Pattern"]["source"] == ["aws.ses"]
    assert rule["Pattern"]["detail"]["mail"]["tags"]["ses:configuration-set"] == [
        {"Ref": "EmailConfigurationSet"}
    ]


def test_alarms_watch_the_dead_letter_queue_errors_and_ses_reputation() -> None:
    alarms = of_type("AWS::CloudWatch::Alarm")
    watched = {(a["Namespace"], a["MetricName"]): a for a in alarms.values()}
    assert watched[("AWS/SQS", "ApproximateNumberOfMessagesVisible")]["Threshold"] == 0
    assert watched[("AWS/SES", "Reputation.BounceRate")]["Threshold"] == 0.02
    assert watched[("AWS/SES", "Reputation.ComplaintRate")]["Threshold"] == 0.0005
    errors = {a["Dimensions"][0]["Value"]["Ref"] for a in alarms.values() if a["MetricName"] == "Errors"}
    assert errors == set(of_type("AWS::Serverless::Function"))
    assert all(a["AlarmActions"] == [{"Ref": "AlarmTopic"}] for a in alarms.values())


def test_the_dashboard_shows_the_funnel_summed_over_shops_and_revenue_per_shop_from_the_logs() -> None:
    import json
    import re

    (dashboard,) = of_type("AWS::CloudWatch::Dashboard").values()
    body = json.loads(re.sub(r"\$\{[^}]+\}", "x", dashboard["DashboardBody"]["Fn::Sub"]))
    text = json.dumps(body)
    for metric in ("EventsAccepted", "TimersArmed", "RemindersSent", "Recoveries"):
        assert metric in text, metric
    charted = [m for w in body["widgets"] for m in w["properties"].get("metrics", []) if m[0] == "Relance"]
    assert charted and all(
        Metric(m[1]) and m[2:4] in (["service", "api"], ["service", "reminder"]) for m in charted
    )
    (revenue,) = [w for w in body["widgets"] if w["type"] == "log"]
    assert (
        "'cart recovered'" in revenue["properties"]["query"]
        and "by shop, currency" in revenue["properties"]["query"]
    )
