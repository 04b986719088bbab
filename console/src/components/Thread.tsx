/**
 * The conversation in order across channels: inbound, outbound (with delivery status), internal notes (labelled),
 * automatic messages folded behind a toggle; email bodies with the quoted history collapsed.
 */

import { useMemo, useState } from "preact/hooks";
import { api, isApiError } from "../api.ts";
import type { Attachment, Message } from "../api-types.ts";
import { errorText } from "../errors.ts";
import { useI18n } from "../i18n/index.ts";
import { splitQuoted } from "../quote.ts";
import { useSession } from "../hooks.ts";
import { ChannelLabel } from "./Labels.tsx";
import { IconClip, IconDown, IconInbound, IconLock, IconOutbound } from "./Icons.tsx";

/** Messages a person wrote (customer or agent) or a note; everything else is folded. */
export function isFolded(m: Message): boolean {
  return m.direction !== "note" && m.kind !== "human" && m.kind !== "note";
}

type Item = { kind: "message"; message: Message } | { kind: "folded"; messages: Message[] };

export function groupThread(messages: readonly Message[]): Item[] {
  const items: Item[] = [];
  for (const m of messages) {
    if (isFolded(m)) {
      const last = items[items.length - 1];
      if (last && last.kind === "folded") last.messages.push(m);
      else items.push({ kind: "folded", messages: [m] });
    } else items.push({ kind: "message", message: m });
  }
  return items;
}

export function Thread({ caseId, subject, messages }: { caseId: string; subject: string; messages: readonly Message[] }) {
  const { t } = useI18n();
  const items = useMemo(() => groupThread(messages), [messages]);
  return (
    <ol class="thread" aria-label={t("case.thread")}>
      {items.map((item) =>
        item.kind === "message" ? (
          <li key={item.message.message_id}>
            <MessageItem caseId={caseId} caseSubject={subject} message={item.message} />
          </li>
        ) : (
          <li key={`f-${item.messages[0]?.message_id ?? ""}`}>
            <Folded caseId={caseId} subject={subject} messages={item.messages} />
          </li>
        ),
      )}
    </ol>
  );
}

function Folded({ caseId, subject, messages }: { caseId: string; subject: string; messages: Message[] }) {
  const { t, label } = useI18n();
  const [open, setOpen] = useState(false);
  const kinds = [...new Set(messages.map((m) => label("msg.kind", m.kind)))].join(", ");
  const id = `fold-${messages[0]?.message_id ?? ""}`;
  return (
    <div class="folded">
      <button type="button" class="fold-toggle" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        <span class="fold-caret" aria-hidden="true">
          {open ? "▾" : "▸"}
        </span>
        {t("msg.automatic", { count: messages.length, kinds })}
        <span class="fold-action">{open ? t("msg.hideAutomatic") : t("msg.showAutomatic")}</span>
      </button>
      <div id={id} hidden={!open}>
        {open ? messages.map((m) => <MessageItem key={m.message_id} caseId={caseId} caseSubject={subject} message={m} compact />) : null}
      </div>
    </div>
  );
}

const normalSubject = (s: string | undefined) => (s ?? "").replace(/^\s*((re|fwd?|aw|wg|回复|答复|转发)\s*[:：]\s*)+/i, "").replace(/\[#[^\]]+\]/g, "").trim().toLowerCase();

function MessageItem({ caseId, caseSubject, message: m, compact = false }: { caseId: string; caseSubject: string; message: Message; compact?: boolean }) {
  const i18n = useI18n();
  const { t, label } = i18n;
  const { agentName } = useSession();
  const who =
    m.direction === "inbound"
      ? m.sender_name || m.sender || t("msg.customer")
      : agentName(m.sender_name || m.sender) || t("app.unknown");
  const role = m.direction === "note" ? t("msg.note") : m.direction === "inbound" ? t("msg.customer") : t("msg.reply");
  const kindLabel = m.kind !== "human" && m.kind !== "note" ? label("msg.kind", m.kind) : null;
  return (
    <article class={`msg msg-${m.direction}${compact ? " msg-compact" : ""}`} aria-label={`${role}: ${who}`}>
      <header class="msg-head">
        <span class={`msg-role role-${m.direction}`}>
          {m.direction === "note" ? <IconLock /> : m.direction === "inbound" ? <IconInbound /> : <IconOutbound />}
          {role}
        </span>
        {kindLabel ? <span class="badge">{kindLabel}</span> : null}
        <span class="msg-who">{who}</span>
        {m.direction !== "note" ? (
          <span class="msg-channel">
            <ChannelLabel channel={m.channel} />
          </span>
        ) : null}
        <span class="spacer" />
        {m.direction === "outbound" && m.delivery_status ? (
          <span class={`delivery delivery-${m.delivery_status}`} title={m.delivery_detail ?? undefined}>
            {label("msg.delivery", m.delivery_status)}
            {m.delivery_detail ? <span class="delivery-detail">: {m.delivery_detail}</span> : null}
          </span>
        ) : null}
        <time class="msg-time" dateTime={m.created_at ?? undefined}>
          {i18n.time(m.created_at)}
        </time>
      </header>
      {m.direction === "outbound" && m.recipients && m.recipients.length > 0 ? (
        <p class="msg-to muted">{t("msg.to", { to: m.recipients.join(", ") })}</p>
      ) : null}
      {m.channel === "email" && m.subject && normalSubject(m.subject) !== normalSubject(caseSubject) ? <p class="msg-subject">{m.subject}</p> : null}
      <MessageBody message={m} />
      {m.attachments.length > 0 ? <Attachments caseId={caseId} attachments={m.attachments} /> : null}
      {m.problems && m.problems.length > 0 ? (
        <p class="msg-problems">{t("msg.problems", { list: m.problems.join(", ") })}</p>
      ) : null}
    </article>
  );
}

function MessageBody({ message: m }: { message: Message }) {
  const { t } = useI18n();
  const segments = useMemo(
    () => (m.channel === "email" ? splitQuoted(m.body_text) : [{ kind: "text" as const, text: m.body_text }]),
    [m.body_text, m.channel],
  );
  if (!m.body_text.trim()) return <p class="msg-body muted">{t("msg.empty")}</p>;
  return (
    <div class="msg-body">
      {segments.map((s, i) =>
        s.kind === "text" ? (
          <p class="msg-text" key={i}>
            {s.text}
          </p>
        ) : (
          <Quoted key={i} text={s.text} id={`${m.message_id}-q${i}`} />
        ),
      )}
    </div>
  );
}

function Quoted({ text, id }: { text: string; id: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const lines = text.split("\n").length;
  return (
    <div class="quoted">
      <button type="button" class="quote-toggle" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">···</span> {open ? t("msg.hideQuoted") : t("msg.showQuoted", { lines })}
      </button>
      <blockquote id={id} hidden={!open} class="msg-quote">
        {open ? text : null}
      </blockquote>
    </div>
  );
}

function Attachments({ caseId, attachments }: { caseId: string; attachments: Attachment[] }) {
  const { t } = useI18n();
  return (
    <div class="attachments">
      <ul aria-label={t("msg.attachments")}>
        {attachments.map((a, i) => (
          <AttachmentItem key={a.attachment_id ?? i} caseId={caseId} attachment={a} />
        ))}
      </ul>
    </div>
  );
}

function AttachmentItem({ caseId, attachment: a }: { caseId: string; attachment: Attachment }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    if (!a.attachment_id) return;
    setBusy(true);
    setError(null);
    try {
      const link = await api.attachment(caseId, a.attachment_id);
      if (link.expires_at && Date.parse(link.expires_at) < Date.now()) {
        setError(t("msg.attExpired"));
        return;
      }
      window.location.assign(link.url);
    } catch (e) {
      if (isApiError(e) && e.status === 410) setError(refusalText(e.body, t));
      else if (isApiError(e) && e.status === 404) setError(t("msg.attGone"));
      else setError(errorText(e, i18n));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="attachment">
      <IconClip />
      <span class="att-name">{a.filename}</span>
      <span class="att-meta muted">
        {a.content_type}
        {a.size > 0 ? ` · ${i18n.bytes(a.size)}` : null /* media a provider keeps: size unknown */}
      </span>
      <span class={`att-scan att-scan-${a.virus_verdict ?? "none"}`}>
        {t("msg.attScan", { verdict: verdictText(a.virus_verdict, t) })}
      </span>
      <button
        type="button"
        class="btn btn-small"
        onClick={() => void download()}
        disabled={busy || !a.attachment_id}
        aria-label={t("msg.download", { name: a.filename })}
      >
        <IconDown />
        {busy ? t("msg.downloading") : t("msg.downloadShort")}
      </button>
      {error ? (
        <span class="att-error" role="alert">
          {error}
        </span>
      ) : null}
    </li>
  );
}

type T = ReturnType<typeof useI18n>["t"];
const VERDICTS = ["PASS", "FAIL", "GRAY", "PROCESSING_FAILED"] as const;
const REFUSALS = ["infected", "quarantined", "removed"] as const;

/** SES's verdict on the mail a file came in with, in words; an agent's upload or fetched media was not scanned. */
function verdictText(verdict: string | null | undefined, t: T): string {
  const known = VERDICTS.find((v) => v === verdict);
  return known ? t(`msg.attScan.${known}`) : verdict ? verdict : t("msg.attScan.none");
}

/** Why a download is refused (410 `refusal`): infected, quarantined, or removed. */
function refusalText(body: unknown, t: T): string {
  const refusal = (body as { refusal?: unknown } | null)?.refusal;
  const known = REFUSALS.find((r) => r === refusal);
  return known ? t(`msg.attRefused.${known}`) : t("msg.attQuarantined");
}
