/**
 * Reply / internal note composer. The text is saved as a draft on every keystroke and only cleared after the
 * server accepted it: no error loses it. A blocked phrase (422) is marked in a copy of the draft.
 */

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, isApiError } from "../api.ts";
import type { BlockedPhraseBody, CaseAndMessage, CaseDetailCase } from "../api-types.ts";
import { clearDraft, loadDraft, saveDraft, type DraftMode } from "../drafts.ts";
import { codePointSpansToUtf16, findPhrase } from "../highlight.ts";
import { useI18n } from "../i18n/index.ts";
import { announce } from "../live.ts";
import { isTypingTarget, useShortcut } from "../shortcuts.ts";
import { countSms } from "../sms.ts";
import { AttachButton, FileList, useComposerFiles } from "./ComposerFiles.tsx";
import { ErrorMessage, Notice } from "./Feedback.tsx";
import { Highlighted } from "./Highlighted.tsx";

interface Blocked {
  body: string;
  phrase: string;
  spans: [number, number][];
}

interface Props {
  kase: CaseDetailCase;
  agentId: string | null;
  onSent: (result: CaseAndMessage) => void;
}

export function Composer({ kase, agentId, onSent }: Props) {
  const i18n = useI18n();
  const { t, label } = i18n;
  const caseId = kase.case_id;
  const [mode, setMode] = useState<DraftMode>("reply");
  const [text, setText] = useState("");
  const [restored, setRestored] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [blocked, setBlocked] = useState<Blocked | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const attached = useComposerFiles(caseId);

  useEffect(() => {
    const draft = loadDraft(agentId, caseId);
    setText(draft?.body ?? "");
    setMode(draft?.mode ?? "reply");
    setRestored(Boolean(draft));
    setBlocked(null);
    setError(null);
    setDone(null);
  }, [agentId, caseId]);

  const update = (body: string, nextMode: DraftMode = mode) => {
    setText(body);
    setDone(null);
    saveDraft(agentId, caseId, body, nextMode);
  };

  const send = async () => {
    if (sending) return;
    if (!text.trim()) {
      setError(new Error(t("composer.empty")));
      return;
    }
    const files = mode === "reply" ? attached.files : [];
    if (files.some((f) => f.state === "uploading")) {
      setError(new Error(t("composer.filesWait")));
      return;
    }
    const uploads = files.flatMap((f) => (f.state === "ready" && f.uploadId ? [f.uploadId] : []));
    setSending(true);
    setError(null);
    setDone(null);
    const body = text;
    try {
      const result = mode === "reply" ? await api.reply(caseId, body, uploads) : await api.note(caseId, body);
      clearDraft(agentId, caseId);
      setText("");
      if (mode === "reply") attached.clear();
      setBlocked(null);
      setRestored(false);
      const msg = mode === "reply" ? t("composer.sent") : t("composer.noted");
      setDone(msg);
      announce(msg);
      onSent(result);
    } catch (e) {
      if (isApiError(e) && e.status === 422 && e.code === "blocked-phrase") {
        const b = e.body as Partial<BlockedPhraseBody>;
        const spans = Array.isArray(b.spans) ? codePointSpansToUtf16(body, b.spans) : [];
        setBlocked({ body, phrase: typeof b.phrase === "string" ? b.phrase : "", spans });
        announce(t("composer.blocked", { phrase: typeof b.phrase === "string" ? b.phrase : "" }), true);
      } else {
        setError(e);
      }
    } finally {
      setSending(false);
    }
  };

  useShortcut("reply", (e) => {
    e.preventDefault();
    area.current?.focus();
  });
  useShortcut("send", (e) => {
    if (e.target !== area.current && isTypingTarget(e.target)) return false;
    if (!text.trim()) return false;
    e.preventDefault();
    void send();
    return true;
  });

  const highlightSpans = useMemo(() => {
    if (!blocked) return [];
    if (text === blocked.body && blocked.spans.length > 0) return blocked.spans;
    return findPhrase(text, blocked.phrase);
  }, [blocked, text]);

  const sms = kase.channel === "sms" && mode === "reply" ? countSms(text) : null;
  const replyWindow = kase.reply_window;
  const channelName = label("channel", kase.channel);
  const hintId = `composer-hint-${caseId}`;

  return (
    <section class={`composer composer-${mode}`} aria-label={t("composer.label")}>
      <div class="composer-top">
        <div class="segmented" role="group" aria-label={t("composer.mode")}>
          <button type="button" aria-pressed={mode === "reply"} onClick={() => { setMode("reply"); saveDraft(agentId, caseId, text, "reply"); }}>
            {t("composer.reply")}
          </button>
          <button type="button" aria-pressed={mode === "note"} onClick={() => { setMode("note"); saveDraft(agentId, caseId, text, "note"); }}>
            {t("composer.note")}
          </button>
        </div>
        <p class="composer-via" id={hintId}>
          {mode === "note"
            ? t("composer.noteInfo")
            : kase.contact_address
              ? t("composer.viaTo", { channel: channelName, to: kase.contact_address })
              : t("composer.via", { channel: channelName })}
        </p>
      </div>
      {mode === "reply" && kase.channel === "wechat" && replyWindow && !replyWindow.open ? (
        <Notice kind="warning">
          {t("composer.wechatClosed", {
            since: replyWindow.closes_at ? t("composer.wechatClosedSince", { time: i18n.dateTime(replyWindow.closes_at) }) : "",
          })}
        </Notice>
      ) : null}
      {mode === "reply" && kase.channel === "wechat" && replyWindow?.open && replyWindow.closes_at ? (
        <p class="muted small">{t("composer.wechatOpen", { time: i18n.dateTime(replyWindow.closes_at) })}</p>
      ) : null}
      {restored ? <p class="muted small">{t("composer.draftRestored")}</p> : null}
      <label class="sr-only" for={`composer-${caseId}`}>
        {mode === "reply" ? t("composer.replyText") : t("composer.noteText")}
      </label>
      <textarea
        id={`composer-${caseId}`}
        ref={area}
        class="composer-text"
        rows={5}
        value={text}
        readOnly={sending}
        aria-describedby={hintId}
        aria-invalid={blocked !== null && highlightSpans.length > 0}
        placeholder={mode === "reply" ? t("composer.replyText") : t("composer.noteText")}
        onInput={(e) => update(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void send();
          }
        }}
      />
      {blocked ? (
        <div class="blocked" role="alert">
          <p>{t("composer.blocked", { phrase: blocked.phrase })}</p>
          {highlightSpans.length > 0 ? (
            <>
              <p class="small muted">{t("composer.blockedPreview")}</p>
              <p class="blocked-preview">
                <Highlighted text={text} spans={highlightSpans} />
              </p>
            </>
          ) : null}
        </div>
      ) : null}
      {mode === "reply" ? (
        <FileList files={attached.files} onRemove={attached.remove} />
      ) : attached.files.length > 0 ? (
        <p class="muted small">{t("composer.filesReplyOnly")}</p>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      <div class="composer-bottom">
        {mode === "reply" ? <AttachButton onPick={attached.add} disabled={sending} /> : null}
        {sms ? (
          <span class={`sms-count${sms.segments > 1 ? " sms-multi" : ""}`} aria-live="polite">
            {t("composer.smsCount", {
              units: sms.units,
              capacity: Math.max(1, sms.segments) * sms.perSegment,
              encoding: sms.encoding,
              count: sms.segments,
            })}
            {sms.encoding === "UCS-2" ? <span class="sms-ucs2"> · {t("composer.smsUcs2", { chars: sms.nonGsm.join(" ") })}</span> : null}
          </span>
        ) : (
          <span class="muted small">{t("composer.hint")}</span>
        )}
        <span class="spacer" />
        {done ? (
          <span class="sent-ok" role="status">
            {done}
          </span>
        ) : null}
        <button type="button" class="btn btn-primary" onClick={() => void send()} disabled={sending}>
          {sending ? t("composer.sending") : mode === "reply" ? t("composer.send") : t("composer.addNote")}
        </button>
      </div>
    </section>
  );
}
