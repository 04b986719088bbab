"""SAM's transform is kept on disk beside the template: a later start reads it and never imports samtranslator."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from omnicase_local import translate

REPO = Path(__file__).resolve().parents[2]
BODY = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Transform": "AWS::Serverless-2016-10-31",
    "Resources": {
        "IngestFunction": {
            "Type": "AWS::Serverless::Function",
            "Properties": {"CodeUri": "s3://artifacts/ingest.zip", "Handler": "app.handler", "Runtime": "python3.12"},
        }
    },
}


@pytest.fixture
def fresh_process_cache(monkeypatch):
    monkeypatch.setattr(translate, "_TRANSFORMED", {})


def test_a_transform_is_read_back_from_disk_and_a_changed_template_is_transformed_anew(
    tmp_path, monkeypatch, fresh_process_cache
):
    # Given a template transformed once (as a first start does)
    first = json.loads(translate._transformed(BODY, tmp_path))
    assert first["Resources"]["IngestFunction"]["Type"] == "AWS::Lambda::Function"
    assert len(list(tmp_path.glob("*.json"))) == 1

    # When another process (a fresh in-process cache) asks again, with samtranslator unable to transform
    import samtranslator.translator.transform as sam

    monkeypatch.setattr(translate, "_TRANSFORMED", {})
    monkeypatch.setattr(sam, "transform", lambda *args: pytest.fail("transformed again"))

    # Then the same answer comes from the disk
    assert json.loads(translate._transformed(BODY, tmp_path)) == first
    # and a template that changed is not answered from it
    changed = json.loads(json.dumps(BODY))
    changed["Resources"]["IngestFunction"]["Properties"]["Handler"] = "app.other"
    with pytest.raises(pytest.fail.Exception, match="transformed again"):
        translate._transformed(changed, tmp_path)


def test_a_start_with_the_transform_on_disk_does_not_import_samtranslator(tmp_path, fresh_process_cache):
    translate._transformed(BODY, tmp_path)
    script = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        from omnicase_local import translate
        text = translate._transformed({BODY!r}, Path({str(tmp_path)!r}))
        print(json.loads(text)["Resources"]["IngestFunction"]["Type"], "samtranslator" in sys.modules)
        """
    )
    env = {"PYTHONPATH": f"{REPO / 'infra'}:{REPO}", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.split() == ["AWS::Lambda::Function", "False"]


def test_a_cache_that_cannot_be_written_only_costs_the_transform(tmp_path, fresh_process_cache):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    assert json.loads(translate._transformed(BODY, blocked))["Resources"]["IngestFunction"]["Type"] == (
        "AWS::Lambda::Function"
    )
