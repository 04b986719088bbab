"""What moto loads at import and omnicase never uses loads at its first use, and answers as moto's own: EC2's
instance-type catalogues (53 MB as Python objects) and API Gateway's OpenAPI validator (~11 MB)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import boto3

from omnicase_local import moto_patches

REPO = Path(__file__).resolve().parents[2]


def test_importing_what_the_local_runtime_imports_leaves_the_catalogues_unread():
    # Given a fresh interpreter that shares botocore's data (as the runtime does first) and imports moto's
    # Step Functions parser, which imports moto.batch, which imports EC2
    script = textwrap.dedent(
        """
        from omnicase_local import moto_patches
        moto_patches.share_botocore_data()
        import moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_factory
        import moto.batch.models as batch
        from moto.ec2.models import instance_types as catalogue
        unread = [dict.__len__(catalogue.INSTANCE_TYPES), list.__len__(catalogue.INSTANCE_FAMILIES)]
        unread += [dict.__len__(by_region) for by_region in catalogue.INSTANCE_TYPE_OFFERINGS.values()]
        import moto.cloudformation.parsing, sys  # imports moto's API Gateway
        assert "openapi_spec_validator" not in sys.modules and "jsonschema" not in sys.modules
        import botocore.session
        loader = botocore.session.get_session().get_component("data_loader")
        kept = sorted({key[1] for key in loader._cache if key[0] == "load_service_model"})
        print(sum(unread), batch.EC2_INSTANCE_TYPES is catalogue.INSTANCE_TYPES, "ec2" in kept)
        """
    )
    env = {"PYTHONPATH": f"{REPO / 'infra'}:{REPO}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    # Then nothing of the catalogues is in memory, moto.batch holds the same (unread) names, and the shared loader
    # does not keep EC2's service model that moto parsed only to list EC2's regions
    assert result.stdout.split() == ["0", "True", "False"]


def test_ec2_answers_from_the_catalogues_as_moto_loads_them():
    from moto import mock_aws
    from moto.utilities.utils import load_resource

    moto_patches.load_ec2_catalogues_on_use()
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="eu-west-1")
        # When EC2 is asked for a type and for the offerings of a region's zones
        described = ec2.describe_instance_types(InstanceTypes=["t3.micro"])["InstanceTypes"][0]
        offered = ec2.describe_instance_type_offerings(LocationType="availability-zone")["InstanceTypeOfferings"]

    # Then it answers from the same data moto's module would have loaded at import
    shipped = load_resource("ec2/resources/instance_types.json")["t3.micro"]
    assert described["VCpuInfo"]["DefaultVCpus"] == shipped["VCpuInfo"]["DefaultVCpus"]
    zones = load_resource("ec2/resources/instance_type_offerings/availability-zone/eu-west-1.json")
    assert sorted((o["InstanceType"], o["Location"]) for o in offered) == sorted(
        (o["InstanceType"], o["Location"]) for o in zones
    )
    assert {o["LocationType"] for o in offered} == {"availability-zone"}
    from moto.batch.models import EC2_INSTANCE_FAMILIES

    assert "t3" in EC2_INSTANCE_FAMILIES and "not-a-family" not in EC2_INSTANCE_FAMILIES


def test_api_gateway_checks_an_openapi_document_with_the_real_validator_when_asked():
    # Given a fresh interpreter whose moto imported API Gateway against the stand-ins
    script = textwrap.dedent(
        """
        import json, sys
        import boto3
        from botocore.exceptions import ClientError
        from moto import mock_aws
        from omnicase_local import moto_patches
        moto_patches.lighten_moto_imports()
        from moto.apigateway import models
        assert models.validate is moto_patches._validate_openapi and "openapi_spec_validator" not in sys.modules
        valid = {
            "openapi": "3.0.0",
            "info": {"title": "工单 API", "description": "cases", "version": "1"},
            "paths": {"/cases": {"get": {"responses": {"200": {"description": "ok"}}}}},
        }
        invalid = {"openapi": "3.0.0", "info": {"title": "broken", "description": "no version"}, "paths": {}}
        with mock_aws():
            apigateway = boto3.client("apigateway", region_name="us-east-1")
            # When a valid document and one without info.version are imported with failOnWarnings
            print(apigateway.import_rest_api(body=json.dumps(valid).encode(), failOnWarnings=True)["name"])
            try:
                apigateway.import_rest_api(body=json.dumps(invalid).encode(), failOnWarnings=True)
            except ClientError as refused:
                print(json.dumps(refused.response["Error"]))
        """
    )
    env = {"PYTHONPATH": f"{REPO / 'infra'}:{REPO}", "PATH": "/usr/bin:/bin", "AWS_ACCESS_KEY_ID": "testing"}
    env |= {"AWS_SECRET_ACCESS_KEY": "testing"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    imported, error = result.stdout.splitlines()

    # Then the first is an API and the second is refused with the validator's own reason, as moto does
    assert imported == "工单 API"
    refusal = json.loads(error)
    assert refusal["Code"] == "BadRequestException"
    assert refusal["Message"].startswith('Failed to parse the uploaded OpenAPI document due to: "version" is')
