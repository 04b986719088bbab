"""References between the sections of a shape-valid document: names, calendars, queues, agents, tiers, rules."""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable
from datetime import date

from omnicase.config.document import WEEKDAYS, ConfigDoc, WorkdayDoc
from omnicase.config.problems import ConfigProblem, FieldPath
from omnicase.config.values import format_duration, format_interval, interval_minutes, text_placeholders
from omnicase.domain.reply_quality import normalize_for_matching
from omnicase.domain.tenant_config import WorkInterval

_NAME = re.compile(r"\w[\w.@+-]*")
MAX_NAME_BYTES = 64


def _missing(kind: str, name: str, known: Iterable[str], section: str) -> str:
    known = list(known)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f' (did you mean "{close[0]}"?)' if close else f" (defined: {', '.join(known) or 'none'})"
    return f'no {kind} "{name}" in {section}{hint}'


class _Checker:
    """Collects every reference problem of a shape-valid document."""

    def __init__(self, doc: ConfigDoc) -> None:
        self.doc = doc
        self.problems: list[ConfigProblem] = []

    def add(self, path: FieldPath, message: str) -> None:
        self.problems.append(ConfigProblem(path, message))

    def queue(self, path: FieldPath, name: str | None, note: str = "") -> None:
        if name is not None and name not in self.doc.queues:
            self.add(path, _missing("queue", name, self.doc.queues, "queues") + note)

    def agent(self, path: FieldPath, name: str | None) -> None:
        if name is not None and name not in self.doc.agents:
            self.add(path, _missing("agent", name, self.doc.agents, "agents"))

    def tier(self, path: FieldPath, name: str) -> None:
        defined = [t.tier for t in self.doc.tiers]
        if name not in defined:
            self.add(path, _missing("tier", name, defined, "tiers"))

    def unique(self, path: FieldPath, seen: dict[str, int], value: str, what: str) -> None:
        if value in seen:
            self.add(path, f'duplicate {what} "{value}" (also at [{seen[value]}])')
        else:
            seen[value] = path[1] if isinstance(path[1], int) else 0

    def names(self) -> None:
        for section in ("calendars", "queues", "agents"):
            for name in getattr(self.doc, section):
                if not _NAME.fullmatch(name):
                    self.add((section, name), "bad name: use letters, digits and . _ - @ + (no spaces)")
                elif len(name.encode()) > MAX_NAME_BYTES:
                    # Queue and agent names become parts of table keys (persistence/key_limits.py).
                    self.add((section, name), f"name longer than {MAX_NAME_BYTES} bytes")

    def calendars(self) -> None:
        for name, calendar in self.doc.calendars.items():
            days = [getattr(calendar.hours, day) for day in WEEKDAYS]
            if calendar.always_open:
                if any(days) or calendar.holidays or calendar.workdays:
                    self.add(("calendars", name), "an always_open calendar takes no hours, holidays or workdays")
            elif not any(days):
                self.add(("calendars", name, "hours"), "no working hours: give some, or always_open: true for 24x7")
            else:
                self.overlaps(name, days)
                self.workdays(name, calendar.holidays, calendar.workdays)

    def workdays(self, calendar: str, holidays: list[tuple[date, ...]], workdays: list[WorkdayDoc]) -> None:
        """A make-up day is neither a holiday nor given twice, and its own hours do not overlap."""
        closed = {day for entry in holidays for day in entry}
        seen: set[date] = set()
        for i, workday in enumerate(workdays):
            path: FieldPath = ("calendars", calendar, "workdays", i)
            for day in workday.date:
                if day in closed:
                    self.add((*path, "date"), f"{day.isoformat()} is also a holiday: a date is one or the other")
                elif day in seen:
                    self.add((*path, "date"), f"{day.isoformat()} is given twice")
                seen.add(day)
            spans = sorted((*interval_minutes(interval), format_interval(interval)) for interval in workday.hours)
            for (_, earlier_end, earlier), (later_start, _, later) in itertools.pairwise(spans):
                if later_start < earlier_end:
                    self.add((*path, "hours"), f'"{later}" overlaps "{earlier}"')

    def overlaps(self, calendar: str, days: list[list[WorkInterval]]) -> None:
        week = 7 * 1440
        spans = []
        for day, intervals in enumerate(days):
            for i, interval in enumerate(intervals):
                start, end = interval_minutes(interval)
                label = (WEEKDAYS[day], i, format_interval(interval))
                spans.append((day * 1440 + start, day * 1440 + end, label))
                if day * 1440 + end > week:  # Sunday night runs into Monday
                    spans.append((day * 1440 + start - week, day * 1440 + end - week, label))
        spans.sort()
        reported = set()
        for (_, earlier_end, earlier), (later_start, _, later) in itertools.pairwise(spans):
            if later_start < earlier_end and (earlier, later) not in reported:
                reported.add((earlier, later))
                self.add(
                    ("calendars", calendar, "hours", later[0], later[1]),
                    f'"{later[2]}" overlaps {earlier[0]} "{earlier[2]}"',
                )

    def sla_and_escalation(self) -> None:
        doc = self.doc
        if doc.sla is not None and doc.sla.calendar not in doc.calendars:
            self.add(("sla", "calendar"), _missing("calendar", doc.sla.calendar, doc.calendars, "calendars"))
        if doc.sla is not None or "escalation" in doc.model_fields_set:
            note = "" if "escalation" in doc.model_fields_set else " (the default escalation queue; add it or set one)"
            self.queue(("escalation", "queue"), doc.escalation.queue, note)

    def people(self) -> None:
        doc = self.doc
        note = "" if "default_queue" in doc.model_fields_set else " (the default; add it or set default_queue)"
        self.queue(("default_queue",), doc.default_queue, note)
        for name, queue in doc.queues.items():
            self.agent(("queues", name, "supervisor"), queue.supervisor)
        for agent_id, agent in doc.agents.items():
            for i, queue_name in enumerate(agent.queues):
                self.queue(("agents", agent_id, "queues", i), queue_name)
            self.agent(("agents", agent_id, "supervisor"), agent.supervisor)
            if agent.supervisor == agent_id:
                self.add(("agents", agent_id, "supervisor"), "an agent cannot be their own supervisor")
        for i, manager in enumerate(doc.managers):
            self.agent(("managers", i), manager)

    def customers(self) -> None:
        doc = self.doc
        tiers: dict[str, int] = {}
        for i, tier in enumerate(doc.tiers):
            self.unique(("tiers", i, "tier"), tiers, tier.tier, "tier")
        green = doc.green_channel
        if "green_channel" in doc.model_fields_set:
            for i, name in enumerate(green.tiers):
                self.tier(("green_channel", "tiers", i), name)
            self.queue(("green_channel", "queue"), green.queue)
        elif set(green.tiers) & set(tiers):
            self.queue(("green_channel", "queue"), green.queue, " (the default green channel queue; add it)")
        accounts: dict[str, int] = {}
        patterns: dict[str, int] = {}
        for i, account in enumerate(doc.key_accounts):
            self.unique(("key_accounts", i, "id"), accounts, account.id, "key account")
            self.queue(("key_accounts", i, "queue"), account.queue)
            self.agent(("key_accounts", i, "dedicated_agent"), account.dedicated_agent)
            for j, pattern in enumerate(account.match):
                if pattern in patterns and patterns[pattern] != i:
                    self.add(
                        ("key_accounts", i, "match", j),
                        f'"{pattern}" is already matched by key_accounts[{patterns[pattern]}]',
                    )
                patterns.setdefault(pattern, i)

    def rules(self) -> None:
        names: dict[str, int] = {}
        for i, rule in enumerate(self.doc.rules):
            self.unique(("rules", i, "name"), names, rule.name, "rule name")
            for j, tier in enumerate(rule.when.tiers):
                self.tier(("rules", i, "when", "tiers", j), tier)
            self.queue(("rules", i, "then", "queue"), rule.then.queue)
            self.agent(("rules", i, "then", "assignee"), rule.then.assignee)
            then = rule.then
            if then.queue is None and then.priority is None and then.assignee is None and not then.tags:
                self.add(("rules", i, "then"), "the rule does nothing: set a queue, priority, assignee or tags")

    def quality(self) -> None:
        # Two phrases that match the same replies are a typo or a leftover; the second would never be reported.
        seen: dict[str, int] = {}
        for i, phrase in enumerate(self.doc.banned_phrases):
            letters = normalize_for_matching(phrase)
            if letters in seen:
                first = seen[letters]
                self.add(
                    ("banned_phrases", i),
                    f'"{phrase}" matches the same as banned_phrases[{first}] "{self.doc.banned_phrases[first]}" '
                    "(case, width, spaces and punctuation are ignored)",
                )
            seen.setdefault(letters, i)

    def webhooks(self) -> None:
        urls: dict[str, int] = {}
        for i, webhook in enumerate(self.doc.webhooks):
            if webhook.url in urls:  # one delivery per URL and event: the events belong in one entry
                self.add(("webhooks", i, "url"), f"duplicate url (also at [{urls[webhook.url]}]): merge their events")
            urls.setdefault(webhook.url, i)
            events: dict[str, int] = {}
            for j, event in enumerate(webhook.events):
                if event in events:
                    self.add(("webhooks", i, "events", j), f'duplicate event "{event}" (also at [{events[event]}])')
                events.setdefault(event, j)

    def surveys(self) -> None:
        surveys = self.doc.surveys
        if not surveys.enabled:
            return
        # Like the escalation queue: the default callback queue is only required once the section is written, so
        # configurations stored before surveys existed still load (the store parses them on every read).
        if "surveys" in self.doc.model_fields_set and self.doc.queues:
            explicit = "callback_queue" in surveys.model_fields_set
            note = "" if explicit else " (the default callback queue; add it or set callback_queue)"
            self.queue(("surveys", "callback_queue"), surveys.callback_queue, note)
        if surveys.reminder_after is not None and surveys.reminder_after >= surveys.token_valid_for:
            self.add(
                ("surveys", "reminder_after"),
                f"must be shorter than token_valid_for ({format_duration(surveys.token_valid_for)}): the survey "
                'expires first and no reminder is sent (write "none" for no reminder)',
            )

    def texts(self) -> None:
        # A placeholder only some kinds fill would reach other customers as written: "{note}", "{links}".
        only_in = {"note": ("notice_fixed",), "links": _SURVEY_KINDS, "page": _SURVEY_KINDS}
        for kind, channels in self.doc.texts.items():
            for channel, languages in channels.items():
                for language, text in languages.items():
                    for name in text_placeholders(text):
                        if name in only_in and kind not in only_in[name]:
                            kinds = " and ".join(only_in[name])
                            self.add(("texts", kind, channel, language), f"{{{name}}} is only filled in {kinds} texts")


_SURVEY_KINDS = ("survey", "survey_reminder")


def check(tenant_id: str, doc: ConfigDoc) -> list[ConfigProblem]:
    checker = _Checker(doc)
    if doc.tenant is not None and doc.tenant != tenant_id:
        checker.add(("tenant",), f'this configuration is for tenant "{doc.tenant}", not "{tenant_id}"')
    checker.names()
    checker.calendars()
    checker.sla_and_escalation()
    checker.people()
    checker.customers()
    checker.rules()
    checker.quality()
    checker.webhooks()
    checker.texts()
    checker.surveys()
    return checker.problems
