/**
 * Available / away: the signed-in agent's own control in the header, and the form a supervisor uses per agent on
 * the queue board (PUT /agents/{id}/availability). Going away answers how many waiting cases went back to queues.
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { api, isApiError } from "../api.ts";
import type { Availability } from "../api-types.ts";
import { availabilityBody } from "../availability.ts";
import { useSession } from "../hooks.ts";
import { useI18n } from "../i18n/index.ts";
import { announce } from "../live.ts";
import { toLocalInput } from "../zoned-time.ts";
import { ErrorMessage, Notice } from "./Feedback.tsx";
import { described, FieldError } from "./FieldError.tsx";

interface FormProps {
  /** the path's agent: "me", or an agent id (supervisors) */
  target: string;
  /** who it is, for labels ("Availability of Zhang Wei"); null: oneself */
  name: string | null;
  available: boolean;
  idPrefix: string;
  onSaved: (result: Availability) => void;
}

export function AvailabilityForm({ target, name, available, idPrefix, onSaved }: FormProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [away, setAway] = useState(!available);
  const [until, setUntil] = useState("");
  const [untilError, setUntilError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setAway(!available), [available]);

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setUntilError(null);
    const built = availabilityBody(!away, until, i18n.timeZone, new Date());
    if ("error" in built) {
      setUntilError(t(built.error));
      document.getElementById(`${idPrefix}-until`)?.focus();
      return;
    }
    setBusy(true);
    try {
      onSaved(await api.setAvailability(target, built.body));
      setUntil("");
    } catch (err) {
      if (isApiError(err) && err.status === 400 && /^until/.test(err.message)) setUntilError(err.message);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const legend = name ? t("board.setStateFor", { name }) : t("presence.label");
  const hintId = `${idPrefix}-until-hint`;
  const errorId = `${idPrefix}-until-error`;
  return (
    <form class="availability-form" onSubmit={save}>
      <fieldset class="segmented-radio">
        <legend class="sr-only">{legend}</legend>
        {([false, true] as const).map((isAway) => (
          <label key={String(isAway)} class={away === isAway ? "checked" : undefined}>
            <input type="radio" name={`${idPrefix}-state`} checked={away === isAway} onChange={() => setAway(isAway)} />
            {isAway ? t("presence.away") : t("presence.available")}
          </label>
        ))}
      </fieldset>
      {away ? (
        <div class="field until-field">
          <label for={`${idPrefix}-until`} class={name ? "sr-only" : undefined}>
            {name ? t("board.untilFor", { name }) : t("presence.until")}
          </label>
          <input
            id={`${idPrefix}-until`}
            type="datetime-local"
            value={until}
            min={toLocalInput(new Date(), i18n.timeZone)}
            onInput={(e) => setUntil(e.currentTarget.value)}
            {...described(errorId, untilError, name ? undefined : hintId)}
          />
          {name ? null : (
            <p class="hint" id={hintId}>
              {i18n.timeZone ? t("presence.untilHint", { zone: i18n.timeZone }) : t("presence.untilHintLocal")}
            </p>
          )}
          <FieldError id={errorId} text={untilError} />
        </div>
      ) : null}
      <button type="submit" class="btn btn-small btn-primary" disabled={busy || (away === !available && until === "")}>
        {busy ? t("app.saving") : name ? t("board.setState") : t("presence.save")}
      </button>
      {error ? <ErrorMessage error={error} /> : null}
    </form>
  );
}

/** What a saved change did, in a sentence: who is now what, and the cases handed back. */
export function savedText(result: Availability, who: string | null, t: ReturnType<typeof useI18n>["t"]): string {
  const count = result.handed_back.count;
  if (who) {
    if (!result.available) return t("presence.agentHandedBack", { name: who, count });
    return t("presence.agentSaved", { name: who, state: t("presence.available") });
  }
  if (result.available) return t("presence.savedAvailable");
  return `${t("presence.savedAway")} ${count > 0 ? t("presence.handedBack", { count }) : t("presence.handedBackNone")}`;
}

/** The header's control: the agent's state as a button that opens the form (Esc or a click outside closes it). */
export function PresenceControl() {
  const i18n = useI18n();
  const { t } = i18n;
  const { me, setAgentAvailable } = useSession();
  const self = me.agents.find((a) => a.agent_id === me.agent_id);
  const available = self?.available ?? true;
  const [open, setOpen] = useState(false);
  const [until, setUntil] = useState<string | null>(self?.until ?? null);
  const [saved, setSaved] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent) => {
      if (box.current && e.target instanceof Node && !box.current.contains(e.target)) setOpen(false);
    };
    document.addEventListener("mousedown", outside);
    return () => document.removeEventListener("mousedown", outside);
  }, [open]);

  if (!me.agent_id) return null;
  const state = available ? t("presence.available") : until ? t("presence.awayUntil", { time: i18n.time(until) }) : t("presence.away");
  return (
    // Esc closes the panel here, before the app's own Esc (back to the inbox) hears it
    <div
      class="presence"
      ref={box}
      onKeyDown={(e) => {
        if (e.key !== "Escape" || !open) return;
        e.stopPropagation();
        setOpen(false);
        toggle.current?.focus();
      }}
    >
      <button
        type="button"
        ref={toggle}
        class={`btn btn-ghost btn-small presence-toggle ${available ? "is-available" : "is-away"}`}
        aria-expanded={open}
        aria-controls="presence-panel"
        onClick={() => {
          setOpen(!open);
          setSaved(null);
        }}
      >
        <span class="presence-dot" aria-hidden="true" />
        <span class="sr-only">{t("presence.label")}: </span>
        {state}
      </button>
      {open ? (
        <div class="presence-panel" id="presence-panel">
          <AvailabilityForm
            target="me"
            name={null}
            available={available}
            idPrefix="presence"
            onSaved={(r) => {
              setAgentAvailable(r.agent_id, r.available);
              setUntil(r.until);
              const text = savedText(r, null, t);
              setSaved(text);
              announce(text);
            }}
          />
          {saved ? <Notice kind="success">{saved}</Notice> : null}
        </div>
      ) : null}
    </div>
  );
}
