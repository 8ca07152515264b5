#!/usr/bin/env python3
"""Expands the IAM policies of every function of a SAM template exactly as `sam deploy` would.

Runs AWS's own SAM translator (the `samtranslator` package cfn-lint brings), so policy templates such as
DynamoDBCrudPolicy, and the policies SAM adds itself (the dead-letter queue's), come out as the plain
statements CloudFormation creates. Intrinsic functions are then resolved for a model deployment: the given
region and account, partition `aws`, parameters at their defaults, and every resource's physical name equal
to its logical id (so a table's ARN ends in `table/DefinitionsTable`). A NAME=VALUE argument sets a parameter
instead, e.g. to turn on an option that is off by default and whose grants the check must see.

Usage: expand_policies.py TEMPLATE REGION ACCOUNT [NAME=VALUE...]   -> JSON on standard output:
  {"FunctionLogicalId": {"handler": "...", "managedPolicies": [...],
                          "statements": [{"policy": "...", "origin": "Policies" | "sam",
                                          "actions": [...], "resources": [...]}],
                          "serviceCalls": [{"action": "...", "resource": "...", "by": "..."}]}}
A statement's "origin" is "Policies" when it comes from the function's own Policies property, "sam" when
SAM generated it for another property (DeadLetterQueue, Events...). "serviceCalls" are the calls the Lambda
service makes with the function's role for an AWS::Lambda::EventSourceMapping of the function (no test of
Splitline's code can make them): reading the DynamoDB stream, and sending to the on-failure destination.
"""
import json
import os
import re
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

ARN_FORMATS = {
    "AWS::DynamoDB::Table": "arn:aws:dynamodb:{region}:{account}:table/{name}",
    "AWS::SQS::Queue": "arn:aws:sqs:{region}:{account}:{name}",
    "AWS::SNS::Topic": "arn:aws:sns:{region}:{account}:{name}",
    "AWS::Events::EventBus": "arn:aws:events:{region}:{account}:event-bus/{name}",
}

MODEL_STREAM_LABEL = "2026-01-01T00:00:00.000"
# What the Lambda service calls, with the function's role, for an event source mapping on a DynamoDB stream
# (AWS Lambda developer guide, "Execution role permissions" for DynamoDB): the stream's reads on its ARN, the
# listing of the table's streams, and a send to an SQS on-failure destination.
STREAM_READS = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]


class NoManagedPolicies:
    """SAM asks for the account's managed policies only to resolve names given without an ARN."""

    def load(self):
        return {}


class Resolver:
    def __init__(self, template, region, account, parameters):
        self.resources = template.get("Resources", {})
        self.conditions = template.get("Conditions", {})
        self.values = {"AWS::Partition": "aws", "AWS::Region": region, "AWS::AccountId": account,
                       "AWS::URLSuffix": "amazonaws.com", "AWS::NoValue": None}
        for name, parameter in template.get("Parameters", {}).items():
            self.values[name] = parameter.get("Default")
        self.values.update(parameters)
        self.region, self.account = region, account

    def ref(self, name):
        if name in self.values:
            return self.values[name]
        if name in self.resources:
            return name
        raise ValueError("cannot resolve Ref " + name)

    def get_att(self, name, attribute):
        resource_type = self.resources.get(name, {}).get("Type")
        if attribute == "Arn" and resource_type in ARN_FORMATS:
            return ARN_FORMATS[resource_type].format(region=self.region, account=self.account, name=name)
        if attribute == "StreamArn" and resource_type == "AWS::DynamoDB::Table":
            # A real stream ARN ends in the stream's creation time; the model deployment's is fixed.
            return ARN_FORMATS[resource_type].format(region=self.region, account=self.account, name=name) + "/stream/" + MODEL_STREAM_LABEL
        if attribute == "QueueName" and resource_type == "AWS::SQS::Queue":
            return name
        raise ValueError("cannot resolve Fn::GetAtt %s.%s (%s): add its ARN format" % (name, attribute, resource_type))

    def sub(self, text, variables):
        def replace(match):
            key = match.group(1)
            if key.startswith("!"):
                return "${" + key[1:] + "}"
            if key in variables:
                return str(self.resolve(variables[key]))
            if "." in key and key.split(".", 1)[0] in self.resources:
                return self.get_att(*key.split(".", 1))
            return str(self.ref(key))
        return re.sub(r"\$\{([^}]+)\}", replace, text)

    def condition(self, name):
        return bool(self.resolve(self.conditions[name]))

    def resolve(self, node):
        if isinstance(node, list):
            return [v for v in (self.resolve(item) for item in node) if v is not None]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, arg), = node.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::GetAtt":
                name, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
                return self.get_att(name, attribute)
            if key == "Fn::Sub":
                return self.sub(arg, {}) if isinstance(arg, str) else self.sub(arg[0], arg[1])
            if key == "Fn::Join":
                return arg[0].join(str(v) for v in self.resolve(arg[1]))
            if key == "Fn::If":
                return self.resolve(arg[1] if self.condition(arg[0]) else arg[2])
            if key == "Fn::Equals":
                # CloudFormation compares parameter values as the strings they are.
                return as_string(self.resolve(arg[0])) == as_string(self.resolve(arg[1]))
            if key == "Fn::Not":
                return not self.resolve(arg[0])
            if key == "Fn::And":
                return all(self.resolve(a) for a in arg)
            if key == "Fn::Or":
                return any(self.resolve(a) for a in arg)
            if key == "Condition":
                return self.condition(arg)
        return {k: self.resolve(v) for k, v in node.items()}


def as_string(value):
    return str(value).lower() if isinstance(value, bool) else str(value)


def as_list(value):
    return value if isinstance(value, list) else [value]


def main(path, region, account, *assignments):
    parameters = dict(a.split("=", 1) for a in assignments)
    with open(path, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    for resource in template.get("Resources", {}).values():
        code = resource.get("Properties", {}).get("CodeUri")
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(code, str) and not code.startswith("s3://"):
            # The translator wants the S3 location `sam deploy` uploads the jar to; the key does not matter here.
            resource["Properties"]["CodeUri"] = "s3://model-bucket/" + code
    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    output = transform(template, {}, NoManagedPolicies())
    resolver = Resolver(output, region, account, parameters)
    resources = output["Resources"]
    functions = {}
    for name, resource in resources.items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        role = resources[resource["Properties"]["Role"]["Fn::GetAtt"][0]]["Properties"]
        statements = []
        for policy in role.get("Policies", []):
            origin = "Policies" if re.fullmatch(re.escape(name) + r"RolePolicy\d+", policy["PolicyName"]) else "sam"
            for statement in as_list(resolver.resolve(policy["PolicyDocument"])["Statement"]):
                if statement.get("Effect") != "Allow":
                    raise ValueError("%s: only Allow statements are understood, got %s" % (name, statement))
                statements.append({"policy": policy["PolicyName"], "origin": origin,
                                   "actions": as_list(statement["Action"]),
                                   "resources": as_list(statement["Resource"])})
        functions[name] = {"handler": resource["Properties"].get("Handler"),
                           "managedPolicies": resolver.resolve(role.get("ManagedPolicyArns", [])),
                           "statements": statements,
                           "serviceCalls": service_calls(name, resources, resolver)}
    json.dump(functions, sys.stdout, indent=1, sort_keys=True)


def service_calls(function, resources, resolver):
    """The calls Lambda's event source mappings of this function (or of one of its aliases) make with its role."""
    calls = []
    for mapping_id, mapping in resources.items():
        if mapping["Type"] != "AWS::Lambda::EventSourceMapping":
            continue
        properties = resolver.resolve(mapping["Properties"])
        target = properties["FunctionName"]
        if resources.get(target, {}).get("Type") == "AWS::Lambda::Alias":
            target = resolver.resolve(resources[target]["Properties"]["FunctionName"])
        if target != function:
            continue
        by = "Lambda's event source mapping " + mapping_id
        stream = properties["EventSourceArn"]
        if ":dynamodb:" not in stream:
            raise ValueError("%s: only DynamoDB stream mappings are understood, got %s" % (mapping_id, stream))
        calls += [{"action": action, "resource": stream, "by": by} for action in STREAM_READS]
        calls.append({"action": "dynamodb:ListStreams", "resource": stream[:stream.index("/stream/")] + "/stream/*", "by": by})
        destination = properties.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
        if destination is not None:
            if ":sqs:" not in destination:
                raise ValueError("%s: only SQS on-failure destinations are understood, got %s" % (mapping_id, destination))
            calls.append({"action": "sqs:SendMessage", "resource": destination, "by": by})
    return calls


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit("usage: expand_policies.py TEMPLATE REGION ACCOUNT [NAME=VALUE...]")
    main(*sys.argv[1:])
