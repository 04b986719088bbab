/**
 * The signed-in session: tokens in sessionStorage only (never in a URL, never logged), the access token refreshed
 * a minute before it expires, and the end of a session (expired or signed out) told to the app. A session that
 * went missing (storage wiped by another script or a devtools user) or became unreadable ends like an expired
 * one: the next call that needs a token finds none and the app shows the sign-in page (drafts stay).
 */

import { ApiError, auth, configureAuth, type RefreshResult } from "./api.ts";

const KEY = "omnicase.session";
const REFRESH_EARLY_MS = 60_000;
const MIN_DELAY_MS = 5_000;

interface Stored {
  access_token: string;
  refresh_token: string;
  /** epoch ms */
  expires_at: number;
}

export type SessionStatus = "signed-in" | "signed-out" | "expired";
type Listener = (s: SessionStatus) => void;

const listeners = new Set<Listener>();
let timer: ReturnType<typeof setTimeout> | undefined;
let inflight: Promise<RefreshResult> | null = null;
/** the app was told "signed-in" (by a sign-in, or a stored session at page load) and not yet told it ended */
let active = false;
/** set when sessionStorage refused a write (storage disabled): the session then lives in memory, for this page */
let memory: { stored: Stored | null } | null = null;

function read(): Stored | null {
  if (memory) return memory.stored;
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<Stored>;
    if (typeof s.access_token !== "string" || typeof s.refresh_token !== "string" || typeof s.expires_at !== "number")
      return null;
    return s as Stored;
  } catch {
    return null;
  }
}

function write(s: Stored | null): void {
  if (memory) {
    memory.stored = s;
    return;
  }
  try {
    if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
    else sessionStorage.removeItem(KEY);
  } catch {
    memory = { stored: s }; // storage unavailable: the session lives as long as this page
  }
}

function emit(status: SessionStatus): void {
  for (const l of listeners) l(status);
}

function schedule(): void {
  clearTimeout(timer);
  const s = read();
  if (!s) return;
  const delay = Math.max(MIN_DELAY_MS, s.expires_at - Date.now() - REFRESH_EARLY_MS);
  timer = setTimeout(() => void refresh(), delay);
}

/**
 * Forgets the tokens and tells the app once: an expiry is told only while the app thinks it is signed in (several
 * calls may find the session gone at the same moment), a sign-out always (it may come from the sign-in page's
 * own state after an expiry).
 */
function end(status: "signed-out" | "expired"): void {
  clearTimeout(timer);
  write(null);
  const wasActive = active;
  active = false;
  if (wasActive || status === "signed-out") emit(status);
}

/**
 * A new access token from the refresh token; one at a time. "refused": the session is over (and ended);
 * "unavailable": the network or the server failed, the session is kept and the refresh tried again soon.
 */
export function refresh(): Promise<RefreshResult> {
  if (inflight) return inflight;
  const s = read();
  if (!s) {
    end("expired");
    return Promise.resolve("refused");
  }
  inflight = (async (): Promise<RefreshResult> => {
    try {
      const next = await auth.refresh(s.refresh_token);
      if (!read()) return "refused"; // wiped while the refresh was under way: stays ended
      write({ ...s, access_token: next.access_token, expires_at: Date.now() + next.expires_in * 1000 });
      schedule();
      return "refreshed";
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 400 || e.status === 403)) {
        end("expired");
        return "refused";
      }
      // the network or the server failed: keep the session, try again soon
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), MIN_DELAY_MS * 2);
      return "unavailable";
    } finally {
      inflight = null;
    }
  })();
  return inflight;
}

async function token(): Promise<string | null> {
  const s = read();
  if (!s) return null;
  if (s.expires_at - Date.now() < 10_000) {
    await refresh();
    return read()?.access_token ?? null;
  }
  return s.access_token;
}

configureAuth({ token, refresh, expired: () => end("expired") });

/** Whether a session is stored (at page load: the app starts signed in and resumes it). */
export function isSignedIn(): boolean {
  return read() !== null;
}

export function onSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function signIn(username: string, password: string): Promise<void> {
  const t = await auth.signIn(username, password);
  write({ access_token: t.access_token, refresh_token: t.refresh_token, expires_at: Date.now() + t.expires_in * 1000 });
  schedule();
  active = true;
  emit("signed-in");
}

/** Revokes the refresh token (best effort) and forgets the tokens; drafts stay, keyed by agent. */
export async function signOut(): Promise<void> {
  const s = read();
  if (s) {
    try {
      await auth.signOut(s.access_token);
    } catch {
      // already invalid or unreachable: the tokens are forgotten anyway
    }
  }
  end("signed-out");
}

/** On page load: resume a stored session's refresh timer (the app starts signed in when there is one). */
export function resume(): void {
  if (!read()) return;
  active = true;
  schedule();
}
