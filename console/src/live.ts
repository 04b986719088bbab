/**
 * Live updates: `GET /changes?since=` every 3 s while signed in; each batch of changed rows goes to the screens
 * that listen (the inbox merges them, the case view reloads its case). Also the polite announcements.
 */

import { api, isApiError } from "./api.ts";
import type { InboxRow } from "./api-types.ts";

export const POLL_MS = 3000;
const HIDDEN_POLL_MS = 15000;

type ChangeListener = (rows: InboxRow[]) => void;
type StatusListener = (error: string | null) => void;

const changeListeners = new Set<ChangeListener>();
const statusListeners = new Set<StatusListener>();
let cursor: string | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let running = false;
let controller: AbortController | null = null;

export function onChanges(listener: ChangeListener): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

export function onLiveStatus(listener: StatusListener): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

async function poll(): Promise<void> {
  if (!running) return;
  controller = new AbortController();
  let failed = false;
  try {
    const page = await api.changes(cursor, controller.signal);
    const first = cursor === null;
    cursor = page.cursor;
    if (!first && page.cases.length > 0) for (const l of changeListeners) l(page.cases);
    for (const l of statusListeners) l(null);
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") return;
    failed = true;
    if (isApiError(e) && e.status === 400) cursor = null; // a stale cursor: start again from now
    if (isApiError(e) && e.status === 401) return; // the session ended: the app stops polling
    for (const l of statusListeners) l(isApiError(e) ? e.message : String(e));
  }
  if (!running) return;
  const delay = document.hidden ? HIDDEN_POLL_MS : failed ? POLL_MS * 3 : POLL_MS;
  timer = setTimeout(() => void poll(), delay);
}

export function startLive(): void {
  if (running) return;
  running = true;
  cursor = null;
  void poll();
}

export function stopLive(): void {
  running = false;
  clearTimeout(timer);
  controller?.abort();
  controller = null;
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
