/**
 * The signed-in session: tokens in sessionStorage only (never in a URL, never logged), the access token refreshed
 * a minute before it expires, and the end of a session (expired or signed out) told to the app.
 */

import { ApiError, auth, configureAuth } from "./api.ts";

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
let inflight: Promise<boolean> | null = null;

function read(): Stored | null {
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
  try {
    if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage unavailable: the session lives as long as this page
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

function end(status: "signed-out" | "expired"): void {
  clearTimeout(timer);
  const had = read() !== null;
  write(null);
  if (had || status === "signed-out") emit(status);
}

/** A new access token from the refresh token; one at a time. False (and the session ends) when refused. */
export function refresh(): Promise<boolean> {
  if (inflight) return inflight;
  const s = read();
  if (!s) return Promise.resolve(false);
  inflight = (async () => {
    try {
      const next = await auth.refresh(s.refresh_token);
      write({ ...s, access_token: next.access_token, expires_at: Date.now() + next.expires_in * 1000 });
      schedule();
      return true;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 400 || e.status === 403)) {
        end("expired");
        return false;
      }
      // the network or the server failed: keep the session, try again soon
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), MIN_DELAY_MS * 2);
      return false;
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

/** On page load: resume a stored session's refresh timer. */
export function resume(): void {
  if (read()) schedule();
}
