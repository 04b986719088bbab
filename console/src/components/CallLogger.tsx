/**
 * "Log a call" on a case: direction, outcome, start (now by default, in the tenant's zone), duration, a note.
 * The form is kept as a draft per agent and case until the server accepted it; a 400 shows its reason at the field.
 */

import { useRef, useState } from "preact/hooks";
import { api, isApiError } from "../api.ts";
import type { CaseAndCall } from "../api-types.ts";
import { CALL_DIRECTIONS, CALL_OUTCOMES, CALL_RULES, callBody, MAX_NOTE, type CallField, type CallForm } from "../call-log.ts";
import { clearForm, loadForm, saveForm } from "../drafts.ts";
import { refusedField } from "../field-errors.ts";
import { useI18n } from "../i18n/index.ts";
import { announce } from "../live.ts";
import { toLocalInput } from "../zoned-time.ts";
import { ErrorMessage } from "./Feedback.tsx";
import { described, FieldError } from "./FieldError.tsx";

type Errors = Partial<Record<CallField, string>>;

function freshCall(timeZone: string | undefined): CallForm {
  return { direction: "outbound", outcome: "reached", startedAt: toLocalInput(new Date(), timeZone), minutes: "", seconds: "", note: "" };
}

export function CallLogger({ caseId, agentId, onLogged }: { caseId: string; agentId: string | null; onLogged: (r: CaseAndCall) => void }) {
  const i18n = useI18n();
  const { t, label } = i18n;
  const draftName = `call.${caseId}`;
  const [form, setForm] = useState<CallForm | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const idp = `call-${caseId}`;

  const openForm = () => {
    setForm(loadForm(agentId, draftName, freshCall(i18n.timeZone)) ?? freshCall(i18n.timeZone));
    setErrors({});
    setError(null);
    setDone(null);
  };
  const update = (patch: Partial<CallForm>) => {
    if (!form) return;
    const next = { ...form, ...patch };
    setForm(next);
    saveForm(agentId, draftName, next);
  };
  const focusField = (field: CallField) => {
    const id = field === "direction" ? `${idp}-direction-outbound` : field === "duration" ? `${idp}-minutes` : `${idp}-${field}`;
    document.getElementById(id)?.focus();
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!form || busy) return;
    setError(null);
    const built = callBody(form, i18n.timeZone, new Date());
    if ("errors" in built) {
      const shown: Errors = {};
      for (const [field, key] of Object.entries(built.errors)) if (key) shown[field as CallField] = t(key);
      setErrors(shown);
      const first = Object.keys(shown)[0] as CallField | undefined;
      if (first) focusField(first);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const result = await api.logCall(caseId, built.body);
      clearForm(agentId, draftName);
      setForm(null);
      setDone(t("call.logged"));
      announce(t("call.logged"));
      onLogged(result);
      toggle.current?.focus();
    } catch (err) {
      const field = isApiError(err) ? refusedField(err, CALL_RULES) : null;
      if (field && isApiError(err)) {
        setErrors({ [field]: err.message });
        focusField(field);
      } else {
        setError(err); // 409 / 422 / network: shown above the buttons; the form stays as typed
      }
    } finally {
      setBusy(false);
    }
  };

  const err = (f: CallField) => errors[f];
  return (
    <section class="call-logger" aria-labelledby={`${idp}-title`}>
      <div class="call-logger-head">
        <h2 class="sr-only" id={`${idp}-title`}>
          {t("call.title")}
        </h2>
        <button type="button" ref={toggle} class="btn btn-small" aria-expanded={form !== null} aria-controls={`${idp}-form`} onClick={() => (form ? setForm(null) : openForm())}>
          {t("call.log")}
        </button>
        {done && !form ? (
          <span class="sent-ok" role="status">
            {done}
          </span>
        ) : null}
      </div>
      {form ? (
        <form class="call-form panel" id={`${idp}-form`} onSubmit={submit} noValidate>
          <div class="field-grid">
            <fieldset class="field">
              <legend>{t("call.direction")}</legend>
              {CALL_DIRECTIONS.map((d) => (
                <label class="choice" key={d}>
                  <input
                    type="radio"
                    id={`${idp}-direction-${d}`}
                    name={`${idp}-direction`}
                    checked={form.direction === d}
                    onChange={() => update({ direction: d })}
                  />
                  {t(d === "outbound" ? "call.outboundLong" : "call.inboundLong")}
                </label>
              ))}
              <FieldError id={`${idp}-direction-error`} text={err("direction")} />
            </fieldset>
            <div class="field">
              <label for={`${idp}-outcome`}>{t("call.outcome")}</label>
              <select id={`${idp}-outcome`} value={form.outcome} onChange={(e) => update({ outcome: e.currentTarget.value as CallForm["outcome"] })} {...described(`${idp}-outcome-error`, err("outcome"))}>
                {CALL_OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {label("call.outcome", o)}
                  </option>
                ))}
              </select>
              <FieldError id={`${idp}-outcome-error`} text={err("outcome")} />
            </div>
          </div>
          <div class="field-grid">
            <div class="field">
              <label for={`${idp}-started_at`}>{t("call.startedAt")}</label>
              <input
                id={`${idp}-started_at`}
                type="datetime-local"
                value={form.startedAt}
                max={toLocalInput(new Date(), i18n.timeZone)}
                onInput={(e) => update({ startedAt: e.currentTarget.value })}
                {...described(`${idp}-started_at-error`, err("started_at"), i18n.timeZone ? `${idp}-zone` : undefined)}
              />
              {i18n.timeZone ? (
                <p class="hint" id={`${idp}-zone`}>
                  {t("call.zone", { zone: i18n.timeZone })}
                </p>
              ) : null}
              <FieldError id={`${idp}-started_at-error`} text={err("started_at")} />
            </div>
            <fieldset class="field">
              <legend>{t("call.duration")}</legend>
              <div class="field-row duration">
                <input
                  id={`${idp}-minutes`}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={1440}
                  value={form.minutes}
                  aria-label={t("call.minutesLabel")}
                  onInput={(e) => update({ minutes: e.currentTarget.value })}
                  {...described(`${idp}-duration-error`, err("duration"))}
                />
                <span aria-hidden="true">{t("call.minutes")}</span>
                <input
                  id={`${idp}-seconds`}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={59}
                  value={form.seconds}
                  aria-label={t("call.secondsLabel")}
                  onInput={(e) => update({ seconds: e.currentTarget.value })}
                  {...described(`${idp}-duration-error`, err("duration"))}
                />
                <span aria-hidden="true">{t("call.seconds")}</span>
              </div>
              <FieldError id={`${idp}-duration-error`} text={err("duration")} />
            </fieldset>
          </div>
          <div class="field">
            <label for={`${idp}-note`}>{t("call.note")}</label>
            <textarea
              id={`${idp}-note`}
              rows={3}
              maxLength={MAX_NOTE}
              value={form.note}
              onInput={(e) => update({ note: e.currentTarget.value })}
              {...described(`${idp}-note-error`, err("note"))}
            />
            <FieldError id={`${idp}-note-error`} text={err("note")} />
          </div>
          {error ? <ErrorMessage error={error} /> : null}
          <p class="actions">
            <button type="submit" class="btn btn-primary" disabled={busy}>
              {busy ? t("call.saving") : t("call.submit")}
            </button>
            <button type="button" class="btn btn-ghost" onClick={() => setForm(null)}>
              {t("app.cancel")}
            </button>
          </p>
        </form>
      ) : null}
    </section>
  );
}
