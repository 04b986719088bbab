/**
 * The only module that calls fetch. Same-origin relative URLs, typed answers (docs/console.md), errors as ApiError.
 * A 401 refreshes the access token once and retries; a refused refresh, or no session at all, ends the session (the
 * app shows sign-in, drafts stay in localStorage); a refresh the network or server could not answer is a network
 * error (status 0), and the session is kept. A 429 waits Retry-After seconds (announced to the throttle listeners
 * for a countdown) and retries.
 */

import type {
  ApiErrorBody,
  AttachmentLink,
  Availability,
  CaseAndCall,
  CaseAndMessage,
  CaseDetail,
  CasePage,
  CasePatch,
  CaseResult,
  ChangesPage,
  Customer,
  CustomerPatch,
  EventList,
  InboxPage,
  InboxView,
  InterceptionReport,
  Me,
  OpenedCase,
  QueueBoard,
  RefreshedTokens,
  SearchResult,
  SessionTokens,
  SlaDaily,
  UploadSlot,
} from "./api-types.ts";
import type { AvailabilityBody } from "./availability.ts";
import type { LogCallBody } from "./call-log.ts";
import type { OpenCaseBody } from "./new-case.ts";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: unknown;

  constructor(status: number, code: string, message: string, body: unknown = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** What a refresh came to: a new token, the session is over, or the refresh could not be asked (kept, retried). */
export type RefreshResult = "refreshed" | "refused" | "unavailable";

/** How the authed requests get their token: wired by session.ts (api.ts does not import it). */
export interface AuthHooks {
  /** a valid access token (refreshed first when it is about to expire), or null when there is no session */
  token: () => Promise<string | null>;
  /** after a 401: try a refresh */
  refresh: () => Promise<RefreshResult>;
  /** the session is over (none stored, or the refresh was refused): back to sign-in */
  expired: () => void;
}

let hooks: AuthHooks = {
  token: async () => null,
  refresh: async () => "refused",
  expired: () => undefined,
};

export function configureAuth(next: AuthHooks): void {
  hooks = next;
}

// ---- throttling (429) -------------------------------------------------------------------------------------

export interface ThrottleState {
  /** epoch ms when the retry happens; null when nothing waits */
  until: number | null;
}

type ThrottleListener = (s: ThrottleState) => void;
const throttleListeners = new Set<ThrottleListener>();
let waiting = 0;

export function onThrottle(listener: ThrottleListener): () => void {
  throttleListeners.add(listener);
  return () => throttleListeners.delete(listener);
}

function announceThrottle(until: number | null): void {
  for (const l of throttleListeners) l({ until });
}

const MAX_THROTTLE_RETRIES = 3;
const DEFAULT_RETRY_AFTER_S = 5;
const MAX_RETRY_AFTER_S = 120;

export function retryAfterSeconds(header: string | null): number {
  if (!header) return DEFAULT_RETRY_AFTER_S;
  const n = Number(header);
  if (Number.isFinite(n) && n >= 0) return Math.min(Math.max(1, Math.ceil(n)), MAX_RETRY_AFTER_S);
  const at = Date.parse(header); // an HTTP date
  if (!Number.isNaN(at)) return Math.min(Math.max(1, Math.ceil((at - Date.now()) / 1000)), MAX_RETRY_AFTER_S);
  return DEFAULT_RETRY_AFTER_S;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new DOMException("aborted", "AbortError"));
    });
  });
}

// ---- requests -----------------------------------------------------------------------------------------------

type Query = Record<string, string | number | null | undefined>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** without the bearer token (sign-in, refresh) */
  anonymous?: boolean;
  /** an explicit bearer token (sign-out) */
  bearer?: string;
  /** more request headers (Idempotency-Key) */
  headers?: Record<string, string>;
}

function url(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function errorFrom(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const b = (body ?? {}) as Partial<ApiErrorBody> & { message?: string };
  const code = typeof b.Code === "string" ? b.Code : `HTTP${res.status}`;
  const message = typeof b.Message === "string" ? b.Message : typeof b.message === "string" ? b.message : res.statusText;
  return new ApiError(res.status, code, message || `HTTP ${res.status}`, body);
}

async function send(method: string, path: string, opts: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers, Accept: "application/json" };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  const bearer = opts.bearer ?? token;
  if (bearer) headers["Authorization"] = `Bearer ${bearer}`;
  try {
    return await fetch(url(path, opts.query), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
      credentials: "same-origin",
      cache: "no-store",
      redirect: "error",
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "network", e instanceof Error ? e.message : "network error");
  }
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let refreshed = false;
  for (let attempt = 0; ; attempt += 1) {
    let token: string | null = null;
    if (!opts.anonymous && !opts.bearer) {
      token = await hooks.token();
      if (!token) {
        hooks.expired();
        throw new ApiError(401, "session-expired", "session expired");
      }
    }
    const res = await send(method, path, opts, token);
    if (res.status === 401 && !opts.anonymous && !opts.bearer) {
      const outcome = refreshed ? "refused" : await hooks.refresh();
      if (outcome === "refreshed") {
        refreshed = true;
        continue;
      }
      if (outcome === "unavailable") throw new ApiError(0, "network", "the session could not be refreshed");
      hooks.expired();
      throw new ApiError(401, "session-expired", "session expired");
    }
    if (res.status === 429 && attempt < MAX_THROTTLE_RETRIES) {
      const seconds = retryAfterSeconds(res.headers.get("Retry-After"));
      waiting += 1;
      announceThrottle(Date.now() + seconds * 1000);
      try {
        await sleep(seconds * 1000, opts.signal);
      } finally {
        waiting -= 1;
        if (waiting === 0) announceThrottle(null);
      }
      continue;
    }
    if (!res.ok) throw await errorFrom(res);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

const enc = encodeURIComponent;

// ---- sessions (no bearer) -------------------------------------------------------------------------------------

export const auth = {
  signIn: (username: string, password: string) =>
    request<SessionTokens>("POST", "/auth/session", { body: { username, password }, anonymous: true }),
  refresh: (refresh_token: string) =>
    request<RefreshedTokens>("POST", "/auth/refresh", { body: { refresh_token }, anonymous: true }),
  signOut: (accessToken: string) => request<void>("POST", "/auth/sign-out", { bearer: accessToken }),
};

// ---- the console's routes -------------------------------------------------------------------------------------

export interface InboxQuery {
  view: InboxView;
  queue?: string | null;
  channel?: string;
  priority?: string;
  tag?: string;
  limit?: number;
  next?: string | null;
}

export const api = {
  me: (signal?: AbortSignal) => request<Me>("GET", "/me", { signal }),
  inbox: (q: InboxQuery, signal?: AbortSignal) =>
    request<InboxPage>("GET", "/inbox", { query: { ...q }, signal }),
  changes: (since: string | null, signal?: AbortSignal) =>
    request<ChangesPage>("GET", "/changes", { query: { since }, signal }),
  search: (q: string, signal?: AbortSignal) => request<SearchResult>("GET", "/search", { query: { q }, signal }),
  caseDetail: (id: string, signal?: AbortSignal) => request<CaseDetail>("GET", `/cases/${enc(id)}`, { signal }),
  events: (id: string, signal?: AbortSignal) => request<EventList>("GET", `/cases/${enc(id)}/events`, { signal }),
  patchCase: (id: string, patch: CasePatch) => request<CaseResult>("PATCH", `/cases/${enc(id)}`, { body: patch }),
  reply: (id: string, body: string, attachments: string[] = []) =>
    request<CaseAndMessage>("POST", `/cases/${enc(id)}/replies`, {
      body: attachments.length > 0 ? { body, attachments } : { body },
    }),
  offerUpload: (id: string, file: { filename: string; content_type: string; size: number }) =>
    request<UploadSlot>("POST", `/cases/${enc(id)}/uploads`, { body: file }),
  note: (id: string, body: string) => request<CaseAndMessage>("POST", `/cases/${enc(id)}/notes`, { body: { body } }),
  claim: (id: string) => request<CaseResult>("POST", `/cases/${enc(id)}/claim`),
  logCall: (id: string, call: LogCallBody) => request<CaseAndCall>("POST", `/cases/${enc(id)}/calls`, { body: call }),
  openCase: (body: OpenCaseBody, idempotencyKey: string) =>
    request<OpenedCase>("POST", "/cases", { body, headers: { "Idempotency-Key": idempotencyKey } }),
  setAvailability: (agentId: string, body: AvailabilityBody) =>
    request<Availability>("PUT", `/agents/${enc(agentId)}/availability`, { body }),
  link: (id: string, other: string, kind: "related" | "merge") =>
    request<CaseResult>("POST", `/cases/${enc(id)}/links`, { body: { case_id: other, kind } }),
  attachment: (caseId: string, attachmentId: string) =>
    request<AttachmentLink>("GET", `/cases/${enc(caseId)}/attachments/${enc(attachmentId)}`),
  casesOfCustomer: (customerId: string, signal?: AbortSignal) =>
    request<CasePage>("GET", "/cases", { query: { customer_id: customerId, limit: 50 }, signal }),
  customer: (id: string, signal?: AbortSignal) => request<Customer>("GET", `/customers/${enc(id)}`, { signal }),
  patchCustomer: (id: string, patch: CustomerPatch) =>
    request<Customer>("PATCH", `/customers/${enc(id)}`, { body: patch }),
  mergeCustomer: (id: string, source: string) =>
    request<Customer>("POST", `/customers/${enc(id)}/merge`, { body: { source_customer_id: source } }),
  queues: (signal?: AbortSignal) => request<QueueBoard>("GET", "/queues", { signal }),
  interceptions: (q: { from: string; to: string; agent?: string }, signal?: AbortSignal) =>
    request<InterceptionReport>("GET", "/quality/interceptions", { query: { ...q }, signal }),
  slaDaily: (q: { from: string; to: string }, signal?: AbortSignal) =>
    request<SlaDaily>("GET", "/reports/sla/daily", { query: { ...q }, signal }),
};

// ---- agents' files: posted straight to the bucket ---------------------------------------------------------------

/** Post a file to the presigned S3 POST of `slot` (the policy's fields first, the file last, as S3 requires). */
export async function uploadFile(slot: UploadSlot, file: Blob, signal?: AbortSignal): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(slot.fields)) form.append(name, value);
  form.append("file", file);
  let res: Response;
  try {
    // another origin (the mail bucket): no cookies, no token, no redirects
    res = await fetch(slot.url, { method: "POST", body: form, credentials: "omit", redirect: "error", signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "network", e instanceof Error ? e.message : "network error");
  }
  if (!res.ok) {
    const text = await res.text().catch(() => "");
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP${res.status}`; // S3 answers errors in XML
    throw new ApiError(res.status, code, `the upload was refused (${code})`, null);
  }
}
