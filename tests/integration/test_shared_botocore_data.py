"""The local runtime's sessions share one botocore data loader: each model parsed once per process, clients intact."""

from __future__ import annotations

import threading

import boto3
import botocore.loaders
import botocore.session

from omnicase_local import moto_patches


def test_sessions_of_every_thread_share_one_loader_and_its_parsed_models():
    # Given the patch, and sessions made as PynamoDB makes them (one per thread) and as boto3 makes them
    moto_patches.share_botocore_data()
    sessions: list = []
    threads = [threading.Thread(target=lambda: sessions.append(botocore.session.get_session())) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for _ in range(5):
        sessions.append(boto3.Session()._session)

    # Then one loader serves them all, each model is parsed once, and boto3's data folder is searched once
    loaders = {id(session.get_component("data_loader")) for session in sessions}
    assert len(loaders) == 1
    loader = sessions[0].get_component("data_loader")
    first = loader.load_service_model("dynamodb", "service-2")
    assert sessions[-1].get_component("data_loader").load_service_model("dynamodb", "service-2") is first
    assert len(loader.search_paths) == len(set(loader.search_paths))
    # and a loader made without the patch would have parsed its own copy (what each session used to hold), with the
    # documentation the shared one leaves out: the same model otherwise
    own = botocore.loaders.create_loader(None).load_service_model("dynamodb", "service-2")  # botocore's own
    assert "documentation" in own["operations"]["GetItem"] and "documentation" not in first["operations"]["GetItem"]
    moto_patches._strip_documentation(own)
    assert own == first and own is not first


def test_clients_from_sessions_sharing_the_loader_still_talk_to_moto():
    from moto import mock_aws

    moto_patches.share_botocore_data()
    with mock_aws():
        first = boto3.Session().client("sqs", region_name="us-east-1")
        url = first.create_queue(QueueName="shared")["QueueUrl"]
        second = boto3.Session().client("sqs", region_name="eu-west-1")  # another session, another region
        assert second.list_queues().get("QueueUrls", []) == []
        first.send_message(QueueUrl=url, MessageBody="工单 7")
        body = boto3.Session().client("sqs", region_name="us-east-1").receive_message(QueueUrl=url)["Messages"][0]
        assert body["Body"] == "工单 7"
