"""Where the load run's CPU goes, by owner: `python -m bench --only load --profile` (needs py-spy, a dev dependency).

The load bench runs everything in one interpreter, so throughput is bounded by the time some thread holds the GIL.
py-spy samples the process from outside (`--gil`: only the thread holding the GIL), and each sample is charged like
`bench/intake_profile.py` charges an interval: to the owner of the innermost frame that has one, so the `json.dumps`
moto calls is moto's. Here the local runtime's own plumbing (pipes, pollers, dispatch, gateway, SMTP, moto patches)
is an owner of its own. Samples of the main thread (start-up, building the traffic, the accounting at the end) are
left out: they are not a delivery's cost.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bench.intake_profile import OWNERS

LOCAL_RUNTIME = "local runtime (pipes, pollers, dispatch, edges, moto patches)"
LOAD_OWNERS = (
    ("/omnicase_local/", LOCAL_RUNTIME),
    ("/aiosmtpd/", LOCAL_RUNTIME),
    ("/jsonpath_ng/", "moto"),  # Step Functions' paths, evaluated by moto's interpreter
    ("/bench/", "bench clients"),  # they share the process: signing and sending count against throughput
    *((fragment, "omnicase" if owner.startswith("omnicase") else owner) for fragment, owner in OWNERS),
    ("/chalice/", "omnicase"),  # the API's framework runs inside the function, as in Lambda
)
UNOWNED = "other (threads, sockets, stdlib with no owner above)"
MAIN_THREAD = "_run_module_as_main"
SAMPLES_PER_SECOND = 100


def owner_of(filename: str) -> str | None:
    """The owner of a source file, or None when its caller's owner pays (stdlib and other helpers)."""
    for fragment, owner in LOAD_OWNERS:
        if fragment in filename:
            return owner
    return None


def fold(raw_lines: Any) -> Counter[str]:
    """Samples by owner from py-spy's raw output: one `frame;frame;... count` line per distinct stack, outermost
    frame first, each frame `function (path:line)`."""
    owners: Counter[str] = Counter()
    for line in raw_lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        if frames[0].startswith(MAIN_THREAD):
            continue
        owner = UNOWNED
        for frame in reversed(frames):
            found = owner_of(frame.rpartition("(")[2])
            if found:
                owner = found
                break
        owners[owner] += int(count)
    return owners


def sample_load(messages: int, clients: int, out: Path) -> None:
    """Run `--only load` in a fresh interpreter under py-spy, writing the raw samples to `out`."""
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(py_spy).is_file():
        raise SystemExit("--profile needs py-spy (pip install -e '.[dev]')")
    load = [sys.executable, "-m", "bench", "--only", "load", "--messages", str(messages), "--clients", str(clients)]
    record = [py_spy, "record", "--gil", "--full-filenames", "--format", "raw", "--rate", str(SAMPLES_PER_SECOND)]
    finished = subprocess.run([*record, "--output", str(out), "--", *load], check=False)
    if finished.returncode != 0 or not out.is_file():
        raise SystemExit(
            f"py-spy exited with {finished.returncode}: the load run failed (its output is above), or py-spy may not"
            " read the child's memory (ptrace; a container needs --cap-add SYS_PTRACE)"
        )


def report(owners: Counter[str], figures: dict[str, Any]) -> dict[str, Any]:
    """Shares of the GIL-held samples, GIL milliseconds per delivery by owner, and how busy the GIL was over the whole
    flow (sampling slows every thread alike, so compare shares across runs, not milliseconds)."""
    total = sum(owners.values()) or 1
    gil_ms_per_delivery = total * 1000 / SAMPLES_PER_SECOND / figures["messages"]
    return {
        "samples": total,
        "sampled_messages_per_s": figures["messages_per_s_drained"],
        "gil_busy": total / SAMPLES_PER_SECOND / figures["drained_s"],
        "share": {owner: count / total for owner, count in owners.most_common()},
        "ms_per_delivery": {owner: count / total * gil_ms_per_delivery for owner, count in owners.most_common()},
    }


def print_report(profile: dict[str, Any]) -> None:
    """The split as a table, largest owner first."""
    rate, busy = profile["sampled_messages_per_s"], profile["gil_busy"] * 100
    print(f"\nwhere the GIL went ({profile['samples']} samples; held {busy:.0f}% of the run; {rate:.1f} msg/s sampled)")
    print(f"  {'owner':<64} {'share':>6}   ms / delivery")
    for owner, share in profile["share"].items():
        print(f"  {owner:<64} {share * 100:5.1f}%   {profile['ms_per_delivery'][owner]:6.2f}")
