"""The load profile's attribution: each GIL sample goes to the innermost frame with an owner; main-thread samples
(start-up, accounting) are not a delivery's cost."""

from __future__ import annotations

from bench.intake_profile import ROOT
from bench.load_profile import UNOWNED, fold, report

SITE = f"{ROOT}/.venv/lib/python3.12/site-packages"  # the checkout's own path: owners are told by it
# Stacks in py-spy 0.4's raw format (`record --format raw --full-filenames`): outermost frame first, then the count.
RAW = [
    # moto's JSON encode under an SNS publish a handler made: stdlib json is charged to moto, its caller
    f"Thread._bootstrap (/usr/lib/python3.12/threading.py:1030);handler ({ROOT}/functions/ingest_sms/app.py:41);"
    f"BaseClient._make_api_call ({SITE}/botocore/client.py:1076);Topic.publish ({SITE}/moto/sns/models.py:88);"
    "dumps (/usr/lib/python3.12/json/__init__.py:231);"
    "JSONEncoder.iterencode (/usr/lib/python3.12/json/encoder.py:258) 7",
    # botocore signing, called from omnicase's persistence through PynamoDB
    f"Thread._bootstrap (/usr/lib/python3.12/threading.py:1030);commit_intake ({ROOT}/layers/omnicase/persistence/"
    f"intake_store.py:80);Connection.dispatch ({SITE}/pynamodb/connection/base.py:300);SigV4Auth.add_auth "
    f"({SITE}/botocore/auth.py:420) 3",
    # the local pipe reading the stream
    f"Thread._bootstrap (/usr/lib/python3.12/threading.py:1030);_read_forever ({ROOT}/infra/omnicase_local/"
    "pipes.py:120);loads (/usr/lib/python3.12/json/__init__.py:346) 2",
    # omnicase's own domain code
    f"Thread._bootstrap (/usr/lib/python3.12/threading.py:1030);handler ({ROOT}/functions/ingest_sms/app.py:41);"
    f"plan_intake ({ROOT}/layers/omnicase/domain/plan_intake.py:55) 4",
    # a bench client signing a webhook (the clients share the process)
    f"Thread._bootstrap (/usr/lib/python3.12/threading.py:1030);EdgeClient.send ({ROOT}/bench/load_clients.py:60);"
    "new (/usr/lib/python3.12/hmac.py:167) 5",
    # a thread with no owned frame at all
    "Thread._bootstrap (/usr/lib/python3.12/threading.py:1030);select (/usr/lib/python3.12/selectors.py:468) 1",
    # the main thread building the traffic before the clock starts: left out
    f"_run_module_as_main (<frozen runpy>:198);mixed_traffic ({ROOT}/bench/load_traffic.py:90) 50",
    "",
]


def test_each_sample_is_charged_to_the_innermost_owned_frame_and_the_main_thread_is_left_out():
    owners = fold(RAW)

    assert owners == {
        "moto": 7,
        "botocore + boto3 (client)": 3,
        "local runtime (pipes, pollers, dispatch, edges, moto patches)": 2,
        "omnicase": 4,
        "bench clients": 5,
        UNOWNED: 1,
    }


def test_the_report_turns_samples_into_gil_time_per_delivery_and_how_busy_the_gil_was():
    owners = fold(RAW)  # 22 samples at 100 a second: 220 ms holding the GIL

    profile = report(owners, {"messages": 2, "drained_s": 0.44, "messages_per_s_drained": 4.5})

    assert profile["samples"] == 22
    assert profile["share"]["moto"] == 7 / 22
    assert round(profile["ms_per_delivery"]["moto"], 6) == 35.0  # 70 ms of samples over 2 deliveries
    assert round(profile["gil_busy"], 6) == 0.5  # 0.22 s held of 0.44 s
    assert next(iter(profile["share"])) == "moto"  # largest first
