"""Where an intake handler's time goes per message, by owner: moto, the AWS client, omnicase's own code, ...

A `sys.setprofile` hook charges every interval to the owner of the innermost frame that has one: code under moto
(and the local runtime's moto patches) is moto's, botocore/boto3 is the client's, `layers/omnicase` and `functions/`
are omnicase's, and so on. Standard-library and other helper frames have no owner of their own: they are charged to
their caller's, so the `json.dumps` omnicase calls is omnicase's and the one moto calls is moto's. The MIME parser
(stdlib `email`) is its own owner, since every handler here pays it. Profiling slows Python calls down, each about
alike, so the table gives shares, scaled to the unprofiled time per message measured in the same run.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.intake import _timed

ROOT = Path(__file__).resolve().parents[1]
OWNERS = (  # (path fragment, owner); first match wins
    ("/omnicase_local/", "moto"),
    ("/moto/", "moto"),
    ("/botocore/", "botocore + boto3 (client)"),
    ("/boto3/", "botocore + boto3 (client)"),
    ("/pynamodb/", "pynamodb"),
    ("/aws_lambda_powertools/", "powertools"),
    ("/aws_xray_sdk/", "powertools"),
    ("/pydantic", "pydantic"),
    ("/email/", "MIME parse (stdlib email)"),
    (str(ROOT / "layers"), "omnicase"),
    (str(ROOT / "functions"), "omnicase"),
    (str(ROOT / "bench"), "baseline handler"),
)
HARNESS = "bench harness"


def _owner_of(filename: str) -> str | None:
    for fragment, owner in OWNERS:
        if fragment in filename:
            if owner == "omnicase":  # by module, to say where omnicase's own time goes
                return "omnicase:" + filename.rsplit("/omnicase/", 1)[-1].rsplit("/functions/", 1)[-1]
            return owner
    return None


def owner_profile(handler: Callable[[dict, Any], Any], events: list[dict]) -> Counter[str]:
    """Seconds by owner over `events` handled back to back, under the profiling hook."""
    owners: dict[str, str | None] = {}
    stack: list[str] = [HARNESS]
    totals: Counter[str] = Counter()
    last = time.perf_counter()

    def hook(frame: Any, event: str, arg: Any) -> None:
        nonlocal last
        now = time.perf_counter()
        totals[stack[-1]] += now - last
        if event == "call":
            filename = frame.f_code.co_filename
            if filename not in owners:
                owners[filename] = _owner_of(filename)
            stack.append(owners[filename] or stack[-1])
        elif event == "return" and len(stack) > 1:
            stack.pop()
        last = time.perf_counter()

    sys.setprofile(hook)
    try:
        _timed(handler, events)
    finally:
        sys.setprofile(None)
    totals.pop(HARNESS, None)
    return totals


def by_component(profile: Counter[str], wall_ms_per_message: float) -> dict[str, float]:
    """Milliseconds per message by owner (omnicase's modules summed), scaled to the unprofiled time."""
    grouped: Counter[str] = Counter()
    for owner, seconds in profile.items():
        grouped[owner.split(":", 1)[0]] += seconds
    scale = wall_ms_per_message / sum(grouped.values())
    return {owner: seconds * scale for owner, seconds in grouped.most_common()}


def omnicase_modules(profile: Counter[str], wall_ms_per_message: float, top: int = 12) -> dict[str, float]:
    """Milliseconds per message in omnicase's own modules (their stdlib calls included), largest first."""
    scale = wall_ms_per_message / sum(profile.values())
    mine = Counter({o.split(":", 1)[1]: s for o, s in profile.items() if o.startswith("omnicase:")})
    return {module: seconds * scale for module, seconds in mine.most_common(top)}


def measure(count: int = 200) -> dict[str, Any]:
    """Per message, for omnicase's intake and the usual baseline: unprofiled time, and its split by owner."""
    from bench.intake import bench_intake

    figures: dict[str, Any] = {}
    with bench_intake(count) as (handlers, prepared, _):
        for name in ("omnicase_ingest", "usual_baseline"):
            handler, events = handlers[name], prepared[name]
            _timed(handler, events[:20])
            half = len(events[20:]) // 2
            wall_ms = sum(_timed(handler, events[20 : 20 + half])) * 1000 / half
            profile = owner_profile(handler, events[20 + half :])
            figures[name] = {
                "wall_ms_per_message": wall_ms,
                "by_component_ms": by_component(profile, wall_ms),
                "omnicase_modules_ms": omnicase_modules(profile, wall_ms),
            }
    return figures


def print_report(figures: dict[str, Any]) -> None:
    """The split as a table: one column per handler."""
    names = list(figures)
    owners = list(dict.fromkeys(o for f in figures.values() for o in f["by_component_ms"]))
    print("\nper message, by owner (ms; profiled shares scaled to the unprofiled time)")
    print(f"  {'':<28}" + "".join(f"{n:>18}" for n in names))
    for owner in owners:
        row = "".join(f"{figures[n]['by_component_ms'].get(owner, 0.0):18.2f}" for n in names)
        print(f"  {owner:<28}{row}")
    print(f"  {'total':<28}" + "".join(f"{figures[n]['wall_ms_per_message']:18.2f}" for n in names))
    print("  omnicase's own time by module (ms per message):")
    for module, ms in figures["omnicase_ingest"]["omnicase_modules_ms"].items():
        print(f"    {module:<48} {ms:6.3f}")
