"""The SAM template's API routes and the Chalice apps' routes must be the same set (STYLE rule 4)."""

from __future__ import annotations

from pathlib import Path

from samtranslator.yaml_helper import yaml_parse

from omnicase_local.handlers import load_handler

ROOT = Path(__file__).resolve().parents[2]


def template_functions() -> dict[str, dict]:
    template = yaml_parse((ROOT / "template.yaml").read_text())
    return {
        name: resource["Properties"]
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }


def test_every_template_route_is_a_chalice_route_of_that_function_and_back():
    for name, properties in template_functions().items():
        declared = {
            (event["Properties"]["Path"], event["Properties"]["Method"].upper())
            for event in properties.get("Events", {}).values()
            if event["Type"] == "Api"
        }
        if not declared:
            continue
        app = load_handler(ROOT / properties["CodeUri"], properties["Handler"])
        registered = {(path, method) for path, entry in app.routes.items() for method in entry}
        assert declared == registered, name


def test_every_function_directory_is_in_the_template():
    code_dirs = {Path(p["CodeUri"]).name for p in template_functions().values()}
    on_disk = {p.parent.name for p in (ROOT / "functions").glob("*/app.py")}
    assert code_dirs == on_disk
