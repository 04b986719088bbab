/** One case: the thread, the composer, properties and actions, SLA clocks, the customer and the audit trail. */

import { useEffect, useRef, useState } from "preact/hooks";
import { api, isApiError } from "../api.ts";
import type { Case, CaseDetail, CasePatch, CaseResult, ConflictBody } from "../api-types.ts";
import { CallbackSurveyNote } from "../components/CallbackSurvey.tsx";
import { CallLogger } from "../components/CallLogger.tsx";
import { CaseProperties } from "../components/CaseProperties.tsx";
import { Composer } from "../components/Composer.tsx";
import { ConflictView, type ConflictState } from "../components/Conflict.tsx";
import { CustomerSummary, OtherCases } from "../components/Customer.tsx";
import { ErrorMessage, Loading, Notice } from "../components/Feedback.tsx";
import { ChannelLabel, CustomerBadges, PriorityLabel, StatusLabel } from "../components/Labels.tsx";
import { SlaPanel } from "../components/SlaPanel.tsx";
import { Thread } from "../components/Thread.tsx";
import { Timeline } from "../components/Timeline.tsx";
import { useSession } from "../hooks.ts";
import { useI18n } from "../i18n/index.ts";
import { announce, onChanges } from "../live.ts";
import { lastInboxHash, nextCaseId, rememberOpened } from "../nav-list.ts";
import { caseHref, navigate } from "../router.ts";
import { useShortcut } from "../shortcuts.ts";
import { CaseCountdown } from "../components/Sla.tsx";

const USER_ERRORS = new Set(["invalid-transition", "already-assigned"]);

/** The subject, or (for channels without one) the first line of the first message, as the inbox's first_line. */
export function displaySubject(subject: string, firstBody: string | undefined): string {
  const s = subject.trim();
  if (s && s !== "(no subject)") return s;
  const line = (firstBody ?? "").split("\n").map((l) => l.trim()).find(Boolean) ?? "";
  return line.length > 140 ? `${line.slice(0, 139)}…` : line || s;
}

export function CaseView({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { me } = useSession();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [nonce, setNonce] = useState(0);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [actionOk, setActionOk] = useState<string | null>(null);
  const [conflict, setConflict] = useState<ConflictState | null>(null);
  const [nextMissing, setNextMissing] = useState(false);
  const [auditOpen, setAuditOpen] = useState(false);
  const versionRef = useRef<number | null>(null);
  const countRef = useRef<number>(0);
  const loadedId = useRef<string | null>(null);

  useEffect(() => {
    rememberOpened(id);
    setDetail(null);
    setLoadError(null);
    setConflict(null);
    setActionError(null);
    setActionOk(null);
    setNextMissing(false);
  }, [id]);

  useEffect(() => {
    const controller = new AbortController();
    api
      .caseDetail(id, controller.signal)
      .then((d) => {
        if (controller.signal.aborted) return;
        if (loadedId.current === id && d.case.message_count > countRef.current) announce(t("case.newMessage"));
        loadedId.current = id;
        versionRef.current = d.case.version;
        countRef.current = d.case.message_count;
        setDetail(d);
        setLoadError(null);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setLoadError(e);
      });
    return () => controller.abort();
  }, [id, nonce]);

  useEffect(() => {
    if (detail) document.title = `${displaySubject(detail.case.subject, detail.messages[0]?.body_text) || detail.case.case_id} · ${t("app.title")}`;
  }, [detail?.case.subject, detail?.case.case_id]);

  // a reply waits in the outbox: look again shortly for its delivery status (a few times, then the feed does)
  const queuedPolls = useRef(0);
  useEffect(() => {
    if (!detail || !detail.messages.some((m) => m.direction === "outbound" && m.delivery_status === "queued")) {
      queuedPolls.current = 0;
      return;
    }
    if (queuedPolls.current >= 8) return;
    const timer = setTimeout(() => {
      queuedPolls.current += 1;
      setNonce((n) => n + 1);
    }, 4000);
    return () => clearTimeout(timer);
  }, [detail]);

  // another agent or the customer changed this case: reload it (the composer keeps its text)
  useEffect(
    () =>
      onChanges((rows) => {
        const mine = rows.filter((r) => r.case_id.toLowerCase() === id.toLowerCase());
        const last = mine[mine.length - 1];
        if (last && last.version !== versionRef.current) setNonce((n) => n + 1);
      }),
    [id],
  );

  const goNext = () => {
    const next = nextCaseId(detail?.case.case_id ?? id);
    if (next) navigate(caseHref(next));
    else setNextMissing(true);
  };
  useShortcut("next", (e) => {
    e.preventDefault();
    goNext();
  });
  useShortcut("back", () => {
    navigate(lastInboxHash());
    return true;
  });

  const setCase = (c: Case) => {
    versionRef.current = c.version;
    countRef.current = c.message_count;
    setDetail((d) => (d ? { ...d, case: { ...d.case, ...c } } : d));
  };

  /** One action at a time: busy while it runs, the case it answers shown, success said politely, errors shown
   * (unless `handled` takes the error). True when it succeeded. */
  const act = async (call: () => Promise<CaseResult>, done: string, handled: (e: unknown) => boolean = () => false) => {
    setBusy(true);
    setActionError(null);
    setActionOk(null);
    try {
      setCase((await call()).case);
      setActionOk(done);
      return true;
    } catch (e) {
      if (!handled(e)) setActionError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const patch = async (p: CasePatch, base: Case) => {
    const call = () => api.patchCase(base.case_id, { ...p, ...(base.version !== null ? { version: base.version } : {}) });
    const ok = await act(call, t("case.saved"), (e) => {
      const body = isApiError(e) ? (e.body as ConflictBody | null) : null;
      if (!isApiError(e) || e.status !== 409 || !body?.case) return false;
      if (!USER_ERRORS.has(e.code)) {
        setConflict({ patch: p, seen: base, now: body.case }); // someone else's change: show both, offer to re-apply
        return true;
      }
      setCase(body.case); // not allowed now: show the case as it is, and the error
      return false;
    });
    if (ok) setConflict(null);
  };
  const claim = () => act(() => api.claim(id), t("case.claimed"));
  const link = (other: string, kind: "related" | "merge") => act(() => api.link(id, other, kind), t("case.linked"));

  if (loadError && !detail) {
    if (isApiError(loadError) && loadError.status === 404) {
      return (
        <section class="screen-error">
          <h1>{t("case.notFound", { id })}</h1>
          <p>
            <a class="btn" href={lastInboxHash()}>
              {t("app.back")}
            </a>
          </p>
        </section>
      );
    }
    return <ErrorMessage error={loadError} onRetry={() => setNonce((n) => n + 1)} />;
  }
  if (!detail) return <Loading label={t("case.loading")} />;

  const kase = detail.case;
  const customer = detail.customer;
  const title = displaySubject(kase.subject, detail.messages[0]?.body_text) || kase.case_id;
  return (
    <div class="case-layout">
      <section class="case-main" aria-labelledby="case-title">
        <div class="case-head">
          <p class="crumbs">
            <a href={lastInboxHash()}>← {t("app.back")}</a>
            <span class="muted"> · {t("case.title", { id: kase.case_id })}</span>
          </p>
          <div class="case-title-row">
            <h1 id="case-title" class="case-title">
              {title}
            </h1>
            <span class="spacer" />
            {!kase.assignee && me.agent_id ? (
              <button type="button" class="btn" onClick={() => void claim()} disabled={busy}>
                {t("case.claim")}
              </button>
            ) : null}
            <button type="button" class="btn btn-ghost" onClick={goNext} aria-keyshortcuts="n">
              {t("case.next")} →
            </button>
          </div>
          <p class="case-meta">
            <ChannelLabel channel={kase.channel} />
            <StatusLabel status={kase.status} />
            <PriorityLabel priority={kase.priority} />
            <span class="muted">{kase.queue}</span>
            <CaseCountdown service={kase.service} />
            {customer ? (
              <span class="meta-customer">
                {customer.display_name || kase.contact_address}
                <CustomerBadges customer={customer} />
              </span>
            ) : null}
            <span class="muted small">{t("case.created", { time: i18n.dateTime(kase.created_at) })}</span>
            {kase.csat !== null && kase.csat !== undefined ? <span class="csat">{t("case.csat", { score: kase.csat })}</span> : null}
          </p>
        </div>
        {nextMissing ? <Notice>{t("case.nextNone")}</Notice> : null}
        {loadError ? <ErrorMessage error={loadError} onRetry={() => setNonce((n) => n + 1)} /> : null}
        {conflict ? (
          <ConflictView
            conflict={conflict}
            busy={busy}
            onReapply={() => void patch(conflict.patch, conflict.now)}
            onDiscard={() => {
              setCase(conflict.now);
              setConflict(null);
            }}
          />
        ) : null}
        {actionError ? <ErrorMessage error={actionError} /> : null}
        {actionOk ? (
          <p class="sr-only" role="status">
            {actionOk}
          </p>
        ) : null}
        {kase.callback_survey ? <CallbackSurveyNote survey={kase.callback_survey} /> : null}
        <Thread caseId={kase.case_id} subject={kase.subject} messages={detail.messages} />
        <Composer
          kase={kase}
          agentId={me.agent_id}
          onSent={(r) => {
            setCase(r.case);
            setDetail((d) => (d ? { ...d, messages: [...d.messages.filter((m) => m.message_id !== r.message.message_id), r.message] } : d));
          }}
        />
        <CallLogger
          caseId={kase.case_id}
          agentId={me.agent_id}
          onLogged={(r) => {
            setCase(r.case);
            const note = r.note;
            if (note) setDetail((d) => (d ? { ...d, messages: [...d.messages.filter((m) => m.message_id !== note.message_id), note] } : d));
          }}
        />
      </section>
      <aside class="case-side" aria-label={t("case.properties")}>
        <CaseProperties kase={kase} busy={busy} onPatch={(p) => void patch(p, kase)} onLink={link} />
        <SlaPanel kase={kase} />
        {customer ? (
          <>
            <CustomerSummary
              customer={customer}
              linkToProfile
              onChanged={(c) => setDetail((d) => (d && d.customer ? { ...d, customer: { ...d.customer, ...c } } : d))}
            />
            <OtherCases open={customer.other_open_cases} past={customer.past_cases} />
          </>
        ) : (
          <section class="panel">
            <h2 class="panel-title">{t("customer.title")}</h2>
            <p class="muted small">{t("customer.none")}</p>
          </section>
        )}
        <section class="panel">
          <details onToggle={(e) => setAuditOpen((e.currentTarget as HTMLDetailsElement).open)}>
            <summary class="panel-title">{t("case.auditTrail")}</summary>
            {auditOpen ? <Timeline caseId={kase.case_id} version={kase.version} /> : null}
          </details>
        </section>
      </aside>
    </div>
  );
}
