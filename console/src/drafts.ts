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
