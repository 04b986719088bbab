/**
 * Live updates: `GET /changes?since=` every 2 s while signed in; each batch of changed rows goes to the screens
 * that listen (the inbox merges them, the case view reloads its case). Also the polite announcements.
 *
 * The poller says what it is doing (`onLiveStatus`): connecting, live, reconnecting (the network or the server
 * failed: it tries again with a growing pause, up to 30 s), paused (the API refused the poll; tried again the same
 * way). It stops only when the app stops it (signed out, session over). A poll that hangs is given up after 15 s.
 */

import { api, ApiError, isApiError } from "./api.ts";
import type { InboxRow } from "./api-types.ts";

export const POLL_MS = 2000;
const HIDDEN_POLL_MS = 15_000;
const MAX_BACKOFF_MS = 30_000;
const POLL_TIMEOUT_MS = 15_000;

export type LiveStatus =
  | { state: "connecting" | "live" | "stopped" }
  /** `retryAt`: epoch ms of the next try; `error`: what failed (an ApiError, status 0 for the network) */
  | { state: "reconnecting" | "paused"; error: unknown; retryAt: number };

type ChangeListener = (rows: InboxRow[]) => void;
type StatusListener = (status: LiveStatus) => void;

const changeListeners = new Set<ChangeListener>();
const statusListeners = new Set<StatusListener>();
let cursor: string | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let running = false;
let controller: AbortController | null = null;
let failures = 0;
let status: LiveStatus = { state: "stopped" };

export function onChanges(listener: ChangeListener): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

/** Calls `listener` with the current status at once, then on every change. */
export function onLiveStatus(listener: StatusListener): () => void {
  statusListeners.add(listener);
  listener(status);
  return () => statusListeners.delete(listener);
}

function setStatus(next: LiveStatus): void {
  status = next;
  for (const l of statusListeners) l(next);
}

/** The pause before the next try after `n` failures in a row: 4 s, 8 s, 16 s, then 30 s, ±20 % so tabs spread out. */
export function backoffMs(n: number, random: number = Math.random()): number {
  const base = Math.min(MAX_BACKOFF_MS, POLL_MS * 2 ** Math.max(1, n));
  return Math.round(base * (0.8 + 0.4 * random));
}

function schedule(delay: number): void {
  clearTimeout(timer);
  if (running) timer = setTimeout(() => void poll(), delay);
}

async function poll(): Promise<void> {
  if (!running) return;
  clearTimeout(timer);
  controller?.abort();
  const mine = new AbortController();
  controller = mine;
  let timedOut = false;
  const watchdog = setTimeout(() => {
    timedOut = true;
    mine.abort();
  }, POLL_TIMEOUT_MS);
  try {
    const page = await api.changes(cursor, mine.signal);
    if (!running || controller !== mine) return;
    const first = cursor === null;
    cursor = page.cursor;
    failures = 0;
    if (!first && page.cases.length > 0) for (const l of changeListeners) l(page.cases);
    setStatus({ state: "live" });
    schedule(document.hidden ? HIDDEN_POLL_MS : POLL_MS);
  } catch (e) {
    if (!running || controller !== mine) return; // stopped, or a newer poll took over
    if (!timedOut && e instanceof DOMException && e.name === "AbortError") return;
    if (isApiError(e) && e.status === 400) {
      cursor = null; // a stale cursor: start again from now
      schedule(POLL_MS);
      return;
    }
    failures += 1;
    const delay = backoffMs(failures);
    const refused = isApiError(e) && e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429;
    const error = timedOut ? new ApiError(0, "timeout", "no answer in time") : e;
    setStatus({ state: refused ? "paused" : "reconnecting", error, retryAt: Date.now() + delay });
    schedule(delay);
  } finally {
    clearTimeout(watchdog);
    if (controller === mine) controller = null;
  }
}

/** Poll now (the agent asked, the browser is back online, the tab is visible again). */
export function retryLive(): void {
  if (running && !controller) void poll();
}

function onVisible(): void {
  if (!document.hidden) retryLive();
}

export function startLive(): void {
  if (running) return;
  running = true;
  cursor = null;
  failures = 0;
  setStatus({ state: "connecting" });
  document.addEventListener("visibilitychange", onVisible);
  window.addEventListener("online", retryLive);
  void poll();
}

export function stopLive(): void {
  if (!running) return;
  running = false;
  clearTimeout(timer);
  controller?.abort();
  controller = null;
  document.removeEventListener("visibilitychange", onVisible);
  window.removeEventListener("online", retryLive);
  setStatus({ state: "stopped" });
}

// ---- announcements (the app renders them in its aria-live regions) ------------------------------------------------

type Announcer = (text: string, urgent: boolean) => void;
const announcers = new Set<Announcer>();

export function onAnnounce(listener: Announcer): () => void {
  announcers.add(listener);
  return () => announcers.delete(listener);
}

/** Polite by default (new cases, new messages); `urgent` for errors. */
export function announce(text: string, urgent = false): void {
  for (const a of announcers) a(text, urgent);
}
