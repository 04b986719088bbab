/**
 * "New case" (POST /cases) in a modal dialog: channel, customer (found through GET /search, or an address), subject,
 * the customer's words or a note. One Idempotency-Key per form (kept with its draft), so a double submit opens one
 * case; the draft outlives errors, a closed dialog and an expired session, and is cleared once the case exists. A
 * changed form under a key that already opened a case (its first answer lost) is refused by the API; the dialog then
 * links that case and offers to open another with the changed details under a new key.
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { api, isApiError } from "../api.ts";
import type { Customer } from "../api-types.ts";
import { clearForm, loadForm, saveForm } from "../drafts.ts";
import { refusedField } from "../field-errors.ts";
import { useSession } from "../hooks.ts";
import { useI18n } from "../i18n/index.ts";
import { announce } from "../live.ts";
import {
  addressFieldOf,
  caseOpenedEarlier,
  emptyNewCase,
  MAX_SUBJECT,
  MAX_TEXT,
  NEW_CASE_CHANNELS,
  NEW_CASE_RULES,
  newCaseBody,
  newIdempotencyKey,
  type NewCaseField,
  type NewCaseForm,
} from "../new-case.ts";
import { caseHref, navigate } from "../router.ts";
import { ErrorMessage, Notice } from "./Feedback.tsx";
import { described, FieldError } from "./FieldError.tsx";
import { LabelOptions } from "./Options.tsx";

const DRAFT = "new-case";

interface Draft extends NewCaseForm {
  key: string;
  customerName: string;
}

type Errors = Partial<Record<NewCaseField, string>>;

function fresh(): Draft {
  return { ...emptyNewCase(), key: newIdempotencyKey(), customerName: "" };
}

export function NewCaseDialog({ onClose }: { onClose: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { me } = useSession();
  const ref = useRef<HTMLDialogElement>(null);
  const [restored] = useState(() => loadForm(me.agent_id, DRAFT, { ...emptyNewCase(), key: "", customerName: "" }));
  const [form, setForm] = useState<Draft>(() => (restored?.key ? restored : fresh()));
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [earlier, setEarlier] = useState<string | null>(null); // the case this form's key opened before the changes
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<Customer[] | null>(null);
  const [searching, setSearching] = useState(false);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  const update = (patch: Partial<Draft>) => {
    const next = { ...form, ...patch };
    setForm(next);
    saveForm(me.agent_id, DRAFT, next);
  };
  const focusField = (field: NewCaseField) => {
    const id = field === "customer" ? (form.who === "existing" ? "nc-find" : "nc-who-existing") : `nc-${field}`;
    document.getElementById(id)?.focus();
  };
  const showErrors = (shown: Errors) => {
    setErrors(shown);
    const first = (["channel", "customer", "address", "subject", "text"] as const).find((f) => shown[f]);
    if (first) focusField(first);
  };

  const search = async () => {
    const q = query.trim();
    if (!q || searching) return;
    setSearching(true);
    try {
      setFound((await api.search(q)).customers);
    } catch (e) {
      setError(e);
    } finally {
      setSearching(false);
    }
  };

  const submit = async (e: Event, key = form.key) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setEarlier(null);
    const built = newCaseBody(form);
    if ("errors" in built) {
      const shown: Errors = {};
      for (const [field, key] of Object.entries(built.errors)) if (key) shown[field as NewCaseField] = t(key);
      showErrors(shown);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const opened = await api.openCase(built.body, key);
      clearForm(me.agent_id, DRAFT);
      const text = t("newCase.opened", { id: opened.case.case_id });
      announce(text);
      ref.current?.close();
      navigate(caseHref(opened.case.case_id));
    } catch (err) {
      const opened = isApiError(err) ? caseOpenedEarlier(err) : null;
      if (opened) {
        setEarlier(opened);
        announce(t("newCase.existed", { id: opened }));
        return;
      }
      const field = isApiError(err) ? refusedField(err, NEW_CASE_RULES, form.who === "existing" ? "customer" : undefined) : null;
      if (field && isApiError(err)) showErrors({ [field]: err.message });
      else setError(err); // 409 / 422 / network / 5xx: said above the buttons; the draft and its key stay
    } finally {
      setBusy(false);
    }
  };

  const openAnother = (e: Event) => {
    const key = newIdempotencyKey();
    update({ key });
    void submit(e, key);
  };

  const addressField = addressFieldOf(form.channel);
  const err = (f: NewCaseField) => errors[f];
  return (
    <dialog ref={ref} class="dialog dialog-wide" aria-labelledby="nc-title" onClose={onClose}>
      <h2 id="nc-title">{t("newCase.title")}</h2>
      <p class="muted small">{t("newCase.intro")}</p>
      {restored?.key ? <p class="muted small">{t("newCase.draftRestored")}</p> : null}
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="nc-channel">{t("newCase.channel")}</label>
          <select
            id="nc-channel"
            value={form.channel}
            autoFocus
            onChange={(e) => {
              const channel = e.currentTarget.value as Draft["channel"];
              update({ channel, ...(addressFieldOf(channel) === null ? { who: "existing" as const } : {}) });
            }}
            {...described("nc-channel-error", err("channel"))}
          >
            <LabelOptions prefix="channel" values={NEW_CASE_CHANNELS} />
          </select>
          <FieldError id="nc-channel-error" text={err("channel")} />
        </div>
        <fieldset class="field">
          <legend>{t("newCase.customer")}</legend>
          <div class="segmented-radio">
            {(["address", "existing"] as const).map((who) => (
              <label key={who} class={form.who === who ? "checked" : undefined}>
                <input type="radio" id={`nc-who-${who}`} name="nc-who" checked={form.who === who} onChange={() => update({ who })} />
                {t(who === "address" ? "newCase.byAddress" : "newCase.byExisting")}
              </label>
            ))}
          </div>
          {form.who === "address" ? (
            addressField ? (
              <div class="field nested">
                <label for="nc-address">{t(`newCase.${addressField}`)}</label>
                <input
                  id="nc-address"
                  type="text"
                  inputMode={addressField === "email" ? "email" : addressField === "phone" ? "tel" : "text"}
                  autoComplete="off"
                  maxLength={addressField === "email" ? 320 : addressField === "phone" ? 64 : 128}
                  value={form.address}
                  onInput={(e) => update({ address: e.currentTarget.value })}
                  {...described("nc-address-error", err("address"))}
                />
                <FieldError id="nc-address-error" text={err("address")} />
              </div>
            ) : (
              <Notice kind="warning">{t("newCase.chatOnlyExisting")}</Notice>
            )
          ) : (
            <div class="field nested">
              <label for="nc-find">{t("newCase.find")}</label>
              <div class="field-row">
                <input
                  id="nc-find"
                  type="search"
                  maxLength={200}
                  value={query}
                  placeholder={t("newCase.findHint")}
                  onInput={(e) => setQuery(e.currentTarget.value)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") {
                      e.preventDefault(); // this search, not the form's submit
                      void search();
                    }
                  }}
                  {...described("nc-customer-error", err("customer"))}
                />
                <button type="button" class="btn btn-small" onClick={() => void search()} disabled={searching}>
                  {t("newCase.findButton")}
                </button>
              </div>
              {found !== null && found.length === 0 ? <p class="muted small">{t("newCase.noneFound")}</p> : null}
              {found && found.length > 0 ? (
                <fieldset class="customer-pick">
                  <legend class="sr-only">{t("newCase.results")}</legend>
                  {found.map((c) => (
                    <label class="choice" key={c.customer_id}>
                      <input
                        type="radio"
                        name="nc-customer"
                        checked={form.customerId === c.customer_id}
                        onChange={() => update({ customerId: c.customer_id, customerName: c.display_name || c.identities[0] || c.customer_id })}
                      />
                      <span>
                        {c.display_name || c.customer_id}
                        <span class="muted small"> · {c.identities.join(", ") || c.customer_id}</span>
                      </span>
                    </label>
                  ))}
                </fieldset>
              ) : null}
              {form.customerId && !found?.some((c) => c.customer_id === form.customerId) ? (
                <p class="small">
                  {form.customerName || form.customerId} <span class="muted">({form.customerId})</span>
                </p>
              ) : null}
              <FieldError id="nc-customer-error" text={err("customer")} />
            </div>
          )}
        </fieldset>
        <div class="field">
          <label for="nc-subject">{t("newCase.subject")}</label>
          <input
            id="nc-subject"
            type="text"
            maxLength={MAX_SUBJECT}
            value={form.subject}
            onInput={(e) => update({ subject: e.currentTarget.value })}
            {...described("nc-subject-error", err("subject"))}
          />
          <FieldError id="nc-subject-error" text={err("subject")} />
        </div>
        <fieldset class="field">
          <legend>{t("newCase.textKind")}</legend>
          <div class="segmented-radio">
            {(["message", "note"] as const).map((kind) => (
              <label key={kind} class={form.textKind === kind ? "checked" : undefined}>
                <input type="radio" name="nc-kind" checked={form.textKind === kind} onChange={() => update({ textKind: kind })} />
                {t(kind === "message" ? "newCase.message" : "newCase.note")}
              </label>
            ))}
          </div>
          <label for="nc-text" class="sr-only">
            {t(form.textKind === "message" ? "newCase.messageText" : "newCase.noteText")}
          </label>
          <textarea
            id="nc-text"
            class={form.textKind === "note" ? "is-note" : undefined}
            rows={5}
            maxLength={MAX_TEXT}
            value={form.text}
            placeholder={t(form.textKind === "message" ? "newCase.messageText" : "newCase.noteText")}
            onInput={(e) => update({ text: e.currentTarget.value })}
            {...described("nc-text-error", err("text"))}
          />
          <FieldError id="nc-text-error" text={err("text")} />
        </fieldset>
        {error ? <ErrorMessage error={error} /> : null}
        {earlier ? (
          // Said once through the live region (announce); the notice itself is no second live region.
          <div class="notice notice-warning">
            <span>{t("newCase.existed", { id: earlier })} </span>
            <a href={caseHref(earlier)} onClick={() => ref.current?.close()}>
              {t("newCase.openEarlier", { id: earlier })}
            </a>{" "}
            <button type="button" class="btn btn-small" onClick={openAnother} disabled={busy}>
              {t("newCase.openAnother")}
            </button>
          </div>
        ) : null}
        <p class="actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t("newCase.submitting") : t("newCase.submit")}
          </button>
          <button type="button" class="btn btn-ghost" onClick={() => ref.current?.close()}>
            {t("app.cancel")}
          </button>
          <span class="spacer" />
          <button
            type="button"
            class="btn btn-ghost"
            onClick={() => {
              clearForm(me.agent_id, DRAFT);
              ref.current?.close();
            }}
          >
            {t("newCase.discard")}
          </button>
        </p>
      </form>
    </dialog>
  );
}
