"""Sleeping Step Functions executions on moto held by one timer thread instead of one thread each.

moto 5.2.5 runs each execution on its own thread and sleeps through a Wait state on it, so every open case's
escalation execution holds a thread (~65 KB resident with its interpreter frames) for as long as its deadline is
away. Here an execution that reaches a Wait state of its top-level program gives its thread up: the thread unwinds
(the `_Parked` signal), the execution is put in one heap of due times, and one timer thread starts a fresh thread for
it when the Wait has elapsed, or at once when the execution is stopped. The resumed execution finishes the Wait state
the way moto does (assignments, output, `WaitStateExited`) and goes on with the next state.

Kept as moto had it: Wait states inside Parallel branches and Map iterations (their own frames), executions of a
program with TimeoutSeconds (moto enforces it by joining the program's thread) and synchronous Express executions
sleep on their thread as before.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import pickle
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from omnicase_local.loaded_on_use import ListLoadedOnUse, pack, unpack

Launch = Callable[[Callable[[], None]], None]
# Set on the top-level Environment of an execution that may park: the program to go on evaluating on resume.
_PROGRAM = "_omnicase_parkable_program"
# Set on that Environment while the Wait state it parked in is being finished after the wait.
_WAITED = "_omnicase_waited"
_running = threading.local()  # the ExecutionWorker whose program this thread evaluates


class _Parked(BaseException):
    """Unwinds an execution's thread at a top-level Wait state; carries when the execution is due again. A signal,
    not an error: no `except Exception` of moto's may stop it."""

    def __init__(self, due: float) -> None:
        super().__init__(due)
        self.due = due


@dataclass(order=True)
class _Sleeper:
    due: float
    order: int  # equal due times resume in the order they parked
    key: Any = field(compare=False)
    resume: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)


def _on_a_new_thread(resume: Callable[[], None]) -> None:
    threading.Thread(target=resume, name="stepfunctions-resumed", daemon=True).start()


class WaitScheduler:
    """One heap of sleeping executions by due time (monotonic clock) and the one thread that wakes them, in order.

    `launch` runs a due resumption: on a thread of its own (an execution may run long after it wakes, e.g. through
    Lambda retries), started by the timer thread in due order.
    """

    def __init__(self, launch: Launch = _on_a_new_thread) -> None:
        self._launch = launch
        self._heap: list[_Sleeper] = []
        self._by_key: dict[Any, _Sleeper] = {}
        self._changed = threading.Condition()
        self._order = itertools.count()
        self._timer: threading.Thread | None = None

    def park(self, key: Any, due: float, resume: Callable[[], None], *, interrupted: Callable[[], bool]) -> None:
        """Run `resume` once the monotonic clock reaches `due`. `interrupted()` is asked once the sleeper is in the
        heap, under the lock `wake` takes: a stop that came before the park is not missed."""
        with self._changed:
            sleeper = _Sleeper(due, next(self._order), key, resume)
            self._by_key[key] = sleeper
            heapq.heappush(self._heap, sleeper)
            if interrupted():
                self._wake(key)
            self._start_timer()
            self._changed.notify()

    def wake(self, key: Any) -> None:
        """Resume `key`'s sleeper now (a stopped execution ends without sleeping out its Wait); no-op if not parked."""
        with self._changed:
            self._wake(key)
            self._changed.notify()

    def sleeping(self) -> int:
        """How many are parked."""
        with self._changed:
            return len(self._by_key)

    def _wake(self, key: Any) -> None:
        sleeper = self._by_key.get(key)
        if sleeper is None:
            return
        sleeper.cancelled = True  # left in the heap, skipped when it surfaces
        now = _Sleeper(time.monotonic(), next(self._order), key, sleeper.resume)
        self._by_key[key] = now
        heapq.heappush(self._heap, now)

    def _start_timer(self) -> None:
        if self._timer is None:
            self._timer = threading.Thread(target=self._run, name="stepfunctions-wait-timer", daemon=True)
            self._timer.start()

    def _next_due(self) -> _Sleeper:
        with self._changed:
            while True:
                while self._heap and self._heap[0].cancelled:
                    heapq.heappop(self._heap)
                if self._heap and self._heap[0].due <= time.monotonic():
                    sleeper = heapq.heappop(self._heap)
                    del self._by_key[sleeper.key]
                    return sleeper
                self._changed.wait(self._heap[0].due - time.monotonic() if self._heap else None)

    def _run(self) -> None:
        while True:
            self._launch(self._next_due().resume)


SCHEDULER = WaitScheduler()


def install(stock: dict[str, Any]) -> None:
    """Patch moto's Step Functions so sleeping executions park in SCHEDULER; moto's own implementations go in
    `stock` (the same ones on a re-application). Expects moto_patches' inline program evaluation (no thread of its
    own for a program without a timeout), which calls `mark_parkable`."""
    from moto.stepfunctions.parser.asl.component.state.wait.state_wait import StateWait
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    def original(owner: type, name: str) -> Any:
        current = getattr(owner, name)
        return getattr(current, "__wrapped__", current)

    moto_start, moto_stop = original(ExecutionWorker, "start"), original(ExecutionWorker, "stop")
    moto_wait, moto_wait_state = original(WaitFunction, "_wait_interval"), original(StateWait, "_eval_body")
    stock.update(worker_start=moto_start, worker_stop=moto_stop, wait_interval=moto_wait, wait_state=moto_wait_state)

    @functools.wraps(moto_start)
    def start(self: Any) -> None:  # SyncExecutionWorker overrides start: synchronous Express runs keep moto's way
        # Not in moto's TMP_THREADS, a list nothing reads that would keep every resumption's thread object.
        threading.Thread(target=_evaluate, args=(self, self._execution_logic), daemon=True).start()

    @functools.wraps(moto_stop)
    def stop(self: Any, stop_date: Any, error: str | None, cause: str | None) -> None:
        moto_stop(self, stop_date=stop_date, error=error, cause=cause)
        SCHEDULER.wake(self.env)

    @functools.wraps(moto_wait)
    def wait_interval(self: Any, env: Any, wait_seconds: int) -> None:
        if wait_seconds > 0 and getattr(env, _PROGRAM, None) is not None:
            raise _Parked(time.monotonic() + wait_seconds)
        moto_wait(self, env=env, wait_seconds=wait_seconds)

    @functools.wraps(moto_wait_state)
    def wait_state_body(self: Any, env: Any) -> None:
        if getattr(env, _WAITED, False):
            setattr(env, _WAITED, False)
            _finish_wait_state(self, env)
        else:
            moto_wait_state(self, env)

    ExecutionWorker.start = start  # type: ignore[method-assign]
    ExecutionWorker.stop = stop  # type: ignore[method-assign]
    WaitFunction._wait_interval = wait_interval  # type: ignore[method-assign]
    StateWait._eval_body = wait_state_body  # type: ignore[method-assign]


def mark_parkable(program: Any, env: Any) -> None:
    """Called as `program` starts on `env`: the execution may park if this is its worker's own top-level program
    (not, say, a synchronous execution a Lambda task started on this thread)."""
    worker = getattr(_running, "worker", None)
    if worker is not None and worker.env is env:
        setattr(env, _PROGRAM, program)


def _evaluate(worker: Any, evaluate: Callable[[], None]) -> None:
    """Run `evaluate` (an execution's start or its resumption) on this thread until it ends or parks."""
    _running.worker = worker
    try:
        evaluate()
    except _Parked as parked:
        # The Wait state's input stays on the environment's stack for its output step on resume.
        env = worker.env
        pack_history(env.event_manager)
        resume = functools.partial(_evaluate, worker, functools.partial(_resume, worker))
        SCHEDULER.park(env, parked.due, resume, interrupted=lambda: not env.is_running())
    finally:
        _running.worker = None


def _resume(worker: Any) -> None:
    """Go on with the program from the Wait state it parked in, then report the end as moto's worker does."""
    env = worker.env
    setattr(env, _WAITED, True)
    # The program's loop from env.next_state_name, the Wait state; a stopped execution skips it and is told aborted.
    getattr(env, _PROGRAM)._eval_body(env)
    worker._execution_communication.terminated()


def _finish_wait_state(state: Any, env: Any) -> None:
    """What moto 5.2.5's StateWait._eval_state and CommonStateField._eval_body do once the wait has returned."""
    from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
    from moto.stepfunctions.parser.asl.eval.program_state import ProgramRunning

    if state.assign_decl:
        state.assign_decl.eval(env=env)
    if not isinstance(env.program_state(), ProgramRunning):
        return
    state._eval_state_output(env=env)
    state._verify_size_quota(env=env, value=env.states.get_input())
    state._set_next(env)
    env.event_manager.add_event(
        context=env.event_history_context,
        event_type=state.state_exited_event_type,
        event_details=EventDetails(stateExitedEventDetails=state._get_state_exited_event_details(env=env)),
    )


def pack_history(events: Any) -> None:
    """Hold a sleeping execution's history pickled and compressed (~4 KB of dicts → ~0.7 KB, one open case each)
    until it is read (GetExecutionHistory) or added to (the execution goes on, or is stopped): the list is then
    whole again before the read or the append, under moto's own lock of the event manager."""
    with events._mutex:
        history = events._history_event_list
        if isinstance(history, ListLoadedOnUse) and not history.loaded():
            return
        try:
            packed = pack(list(history))
        except (pickle.PicklingError, TypeError, AttributeError):  # an event holding an object pickle refuses
            return  # then it stays as it is
        events._history_event_list = ListLoadedOnUse(functools.partial(unpack, packed))
