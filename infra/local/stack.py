"""Create the stateful resources of ``template.yaml`` on (embedded) AWS, from the template.

The local runtime and the integration tests both build their world here, so the table's
keys and indexes, the bucket's settings and the functions' environment are those the
template deploys, never restated by hand.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from secrets import token_urlsafe
from typing import Any

from infra.cloudformation import TEMPLATE, load_template

__all__ = ["ACCOUNT", "REGION", "TEMPLATE", "Stack", "deploy", "load_template"]

ACCOUNT = "123456789012"
REGION = "eu-west-3"


@dataclass
class Stack:
    """Physical names of the stack's resources, and a resolver for intrinsic functions."""

    name: str
    template: dict[str, Any]
    parameters: dict[str, str] = field(default_factory=dict)
    """Values given at deployment (``sam deploy --parameter-overrides``); defaults otherwise."""
    refs: dict[str, str] = field(default_factory=dict)
    arns: dict[str, str] = field(default_factory=dict)

    def pseudo(self) -> dict[str, str]:
        return {
            "AWS::StackName": self.name,
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }

    def parameter_values(self) -> dict[str, str]:
        params = self.template.get("Parameters", {})
        defaults = {name: str(spec.get("Default", "")) for name, spec in params.items()}
        unknown = set(self.parameters) - set(defaults)
        if unknown:
            raise KeyError(f"the template has no parameter {sorted(unknown)}")
        return {**defaults, **self.parameters}

    def condition(self, name: str) -> bool:
        return self._truth(self.template["Conditions"][name])

    def _truth(self, node: Any) -> bool:
        ((function, arguments),) = node.items()
        if function == "Condition":
            return self.condition(arguments)
        if function == "Fn::Not":
            return not self._truth(arguments[0])
        if function == "Fn::And":
            return all(self._truth(argument) for argument in arguments)
        if function == "Fn::Or":
            return any(self._truth(argument) for argument in arguments)
        if function == "Fn::Equals":
            left, right = (self.resolve(argument) for argument in arguments)
            return bool(left == right)
        raise ValueError(f"condition function {function} is not available locally")

    def resolve(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self.resolve(item) for item in node]
        if not isinstance(node, dict):
            return node
        if set(node) == {"Ref"}:
            return self._lookup(node["Ref"])
        if set(node) == {"Fn::GetAtt"}:
            resource, attribute = node["Fn::GetAtt"]
            return self.arns[resource] if attribute == "Arn" else self.refs[resource]
        if set(node) == {"Fn::Sub"}:
            return self._sub(node["Fn::Sub"])
        if set(node) == {"Fn::If"}:
            condition, if_true, if_false = node["Fn::If"]
            return self.resolve(if_true if self.condition(condition) else if_false)
        return {key: self.resolve(value) for key, value in node.items()}

    def _lookup(self, name: str) -> str:
        for table in (self.pseudo(), self.refs, self.parameter_values()):
            if name in table:
                return table[name]
        raise KeyError(f"template reference {name!r} is not available locally")

    def _sub(self, spec: str | list[Any]) -> str:
        text, extra = (spec, {}) if isinstance(spec, str) else (spec[0], self.resolve(spec[1]))

        def replace(match: re.Match[str]) -> str:
            token = match.group(1)
            if token in extra:
                return str(extra[token])
            if "." in token and not token.startswith("AWS::"):
                resource, attribute = token.split(".", 1)
                return str(self.resolve({"Fn::GetAtt": [resource, attribute]}))
            return self._lookup(token)

        return re.sub(r"\$\{([^}]+)\}", replace, text)

    def function_environment(self, function: str) -> dict[str, str]:
        """What Lambda gives ``function``: the Globals' variables, then its own."""
        variables = dict(self.template["Globals"]["Function"]["Environment"]["Variables"])
        own = self.template["Resources"][function]["Properties"].get("Environment", {})
        variables.update(own.get("Variables", {}))
        return {key: str(value) for key, value in self.resolve(variables).items()}

    def functions_environment(self) -> dict[str, str]:
        """Every function's variables in one mapping, for a process that runs them all.

        Sound because no two functions give one variable different values (checked here).
        """
        merged: dict[str, str] = {}
        for function in self.resources_of("AWS::Serverless::Function"):
            for key, value in self.function_environment(function).items():
                if merged.setdefault(key, value) != value:
                    raise ValueError(f"{key} differs between functions; run them apart")
        return merged

    def resources_of(self, kind: str) -> dict[str, dict[str, Any]]:
        return {
            logical: spec.get("Properties", {})
            for logical, spec in self.template["Resources"].items()
            if spec["Type"] == kind
        }


def _physical_name(stack: str, logical: str) -> str:
    return f"{stack}-{logical}".lower()


def deploy(
    session: Any, stack_name: str = "relance-local", parameters: dict[str, str] | None = None
) -> Stack:
    """Create every stateful resource of the template with ``session``'s clients."""
    stack = Stack(stack_name, load_template(), dict(parameters or {}))
    arn = "arn:aws:{service}:" + REGION + ":" + ACCOUNT + ":{rest}"
    for logical in stack.template["Resources"]:
        stack.refs.setdefault(logical, _physical_name(stack_name, logical))

    dynamodb = session.client("dynamodb", region_name=REGION)
    for logical, props in stack.resources_of("AWS::DynamoDB::Table").items():
        name = stack.refs[logical]
        dynamodb.create_table(
            TableName=name,
            BillingMode=props["BillingMode"],
            AttributeDefinitions=props["AttributeDefinitions"],
            KeySchema=props["KeySchema"],
            GlobalSecondaryIndexes=props.get("GlobalSecondaryIndexes", []),
        )
        ttl = props["TimeToLiveSpecification"]
        dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        stack.arns[logical] = arn.format(service="dynamodb", rest=f"table/{name}")

    s3 = session.client("s3", region_name=REGION)
    for logical, props in stack.resources_of("AWS::S3::Bucket").items():
        name = stack.refs[logical]
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        rules = [
            {"ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"]}
            for rule in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        ]
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
        s3.put_public_access_block(
            Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
        )
        stack.arns[logical] = f"arn:aws:s3:::{name}"

    sqs = session.client("sqs", region_name=REGION)
    for logical in stack.resources_of("AWS::SQS::Queue"):
        name = stack.refs[logical]
        stack.refs[logical] = sqs.create_queue(QueueName=name)["QueueUrl"]
        stack.arns[logical] = arn.format(service="sqs", rest=name)

    sns = session.client("sns", region_name=REGION)
    for logical in stack.resources_of("AWS::SNS::Topic"):
        topic_arn = sns.create_topic(Name=stack.refs[logical])["TopicArn"]
        stack.refs[logical] = stack.arns[logical] = topic_arn

    iam = session.client("iam", region_name=REGION)
    for logical, props in stack.resources_of("AWS::IAM::Role").items():
        name = stack.refs[logical]
        role = iam.create_role(
            RoleName=name,
            AssumeRolePolicyDocument=json.dumps(stack.resolve(props["AssumeRolePolicyDocument"])),
        )
        stack.arns[logical] = role["Role"]["Arn"]

    scheduler = session.client("scheduler", region_name=REGION)
    for logical, props in stack.resources_of("AWS::Scheduler::ScheduleGroup").items():
        name = stack.resolve(props["Name"])
        scheduler.create_schedule_group(Name=name)
        stack.refs[logical] = name

    sesv2 = session.client("sesv2", region_name=REGION)
    for logical, props in stack.resources_of("AWS::SES::ConfigurationSet").items():
        name = stack.resolve(props["Name"])
        sesv2.create_configuration_set(ConfigurationSetName=name)
        stack.refs[logical] = name

    secretsmanager = session.client("secretsmanager", region_name=REGION)
    for logical, props in stack.resources_of("AWS::SecretsManager::Secret").items():
        length = props["GenerateSecretString"]["PasswordLength"]
        created = secretsmanager.create_secret(
            Name=stack.refs[logical], SecretString=token_urlsafe(length)[:length]
        )
        stack.refs[logical] = stack.arns[logical] = created["ARN"]

    for logical, spec in stack.template["Resources"].items():
        if spec["Type"] == "AWS::Serverless::Function":
            function_name = stack.resolve(spec["Properties"]["FunctionName"])
            stack.refs[logical] = function_name
            stack.arns[logical] = arn.format(service="lambda", rest=f"function:{function_name}")
    return stack
