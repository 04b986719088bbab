/** Drafts per agent and case in localStorage (`omnicase.draft.<agent_id>.<case_id>`), written as the agent types. */

export type DraftMode = "reply" | "note";

export interface Draft {
  body: string;
  mode: DraftMode;
  saved_at: number;
}

const PREFIX = "omnicase.draft.";

function key(agentId: string | null, caseId: string): string {
  return `${PREFIX}${agentId ?? "_tenant"}.${caseId}`;
}

export function loadDraft(agentId: string | null, caseId: string): Draft | null {
  try {
    const raw = localStorage.getItem(key(agentId, caseId));
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<Draft>;
    if (typeof d.body !== "string") return null;
    return { body: d.body, mode: d.mode === "note" ? "note" : "reply", saved_at: Number(d.saved_at) || 0 };
  } catch {
    return null;
  }
}

export function saveDraft(agentId: string | null, caseId: string, body: string, mode: DraftMode): void {
  try {
    if (body.trim() === "") localStorage.removeItem(key(agentId, caseId));
    else localStorage.setItem(key(agentId, caseId), JSON.stringify({ body, mode, saved_at: Date.now() }));
  } catch {
    // quota or private mode: the text stays in the page
  }
}

export function clearDraft(agentId: string | null, caseId: string): void {
  try {
    localStorage.removeItem(key(agentId, caseId));
  } catch {
    // nothing to do
  }
}

// ---- form drafts (new case, a call being logged): the whole form, per agent, until the server accepted it ----

const FORM_PREFIX = "omnicase.form.";

function formKey(agentId: string | null, name: string): string {
  return `${FORM_PREFIX}${agentId ?? "_tenant"}.${name}`;
}

/** A form's saved values merged over `empty` (unknown keys and wrongly typed values are dropped). */
export function loadForm<T extends object>(agentId: string | null, name: string, empty: T): T | null {
  try {
    const raw = localStorage.getItem(formKey(agentId, name));
    if (!raw) return null;
    const saved = JSON.parse(raw) as Record<string, unknown>;
    const out: Record<string, unknown> = { ...(empty as Record<string, unknown>) };
    for (const [k, v] of Object.entries(out)) if (typeof saved[k] === typeof v) out[k] = saved[k];
    return out as T;
  } catch {
    return null;
  }
}

export function saveForm(agentId: string | null, name: string, values: object): void {
  try {
    localStorage.setItem(formKey(agentId, name), JSON.stringify(values));
  } catch {
    // quota or private mode: the values stay in the page
  }
}

export function clearForm(agentId: string | null, name: string): void {
  try {
    localStorage.removeItem(formKey(agentId, name));
  } catch {
    // nothing to do
  }
}
