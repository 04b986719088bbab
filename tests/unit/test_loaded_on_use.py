"""Containers filled at first use behave as the plain dict or list they stand for, whatever is called first."""

from __future__ import annotations

import copy
import pickle
import threading

import pytest

from omnicase_local.loaded_on_use import DictLoadedOnUse, ListLoadedOnUse


def _counted(value):
    calls = []

    def load():
        calls.append(1)
        return value

    return load, calls


@pytest.mark.parametrize(
    "first_use",
    [
        lambda d: d["vip"],
        lambda d: d.get("vip"),
        lambda d: "vip" in d,
        lambda d: len(d),
        lambda d: list(d),
        lambda d: dict(d),
        lambda d: d.setdefault("new", 1),
        lambda d: d.update(new=1),
        lambda d: d.pop("vip"),
        lambda d: d == {"vip": 1, "general": 2},
        lambda d: repr(d),
        lambda d: {**d},
    ],
)
def test_a_dict_is_whole_at_its_first_use_of_any_kind(first_use):
    # Given a dict loaded on use, not yet used
    load, calls = _counted({"vip": 1, "general": 2})
    lazy = DictLoadedOnUse(load)
    assert not lazy.loaded() and dict.__len__(lazy) == 0

    # When it is used in any way
    first_use(lazy)

    # Then it was loaded once, and holds what was loaded plus what the use itself did
    assert calls == [1] and lazy.loaded()
    assert lazy.get("general") == 2 and set(lazy) <= {"vip", "general", "new"}


def test_a_list_appended_to_before_any_read_keeps_what_it_held_first():
    # Given a history list loaded on use
    lazy = ListLoadedOnUse(lambda: ["ExecutionStarted", "WaitStateEntered"])

    # When the first thing done to it is an append
    lazy.append("WaitStateExited")

    # Then the loaded events come first, in order
    assert lazy == ["ExecutionStarted", "WaitStateEntered", "WaitStateExited"]
    assert lazy[-1] == "WaitStateExited" and len(lazy) == 3


def test_copies_and_pickles_are_plain_containers_with_the_contents():
    lazy_list = ListLoadedOnUse(lambda: [{"type": "ExecutionStarted", "input": "工单"}])
    lazy_dict = DictLoadedOnUse(lambda: {"t3": {"VCpus": 2}})

    copied, pickled = copy.deepcopy(lazy_list), pickle.loads(pickle.dumps(lazy_dict))

    assert type(copied) is list and copied == [{"type": "ExecutionStarted", "input": "工单"}]
    assert copied[0] is not lazy_list[0]  # a deep copy
    assert type(pickled) is dict and pickled == {"t3": {"VCpus": 2}}


def test_threads_using_it_at_once_load_it_once():
    load, calls = _counted(list(range(1000)))
    lazy = ListLoadedOnUse(load)
    start = threading.Barrier(8)
    lengths = []

    def use():
        start.wait()
        lengths.append(len(lazy))

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert calls == [1] and lengths == [1000] * 8
