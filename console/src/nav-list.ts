/** The inbox list the agent came from: for "next case" (n) and for Esc back to the same view. */

let ids: string[] = [];
let inboxHash = "#/inbox/mine";
let lastOpened: string | null = null;

/** The case last opened (the inbox selects its row again on the way back). */
export function rememberOpened(caseId: string): void {
  lastOpened = caseId;
}

export function lastOpenedCase(): string | null {
  return lastOpened;
}

export function rememberList(caseIds: string[], hash: string): void {
  ids = caseIds;
  inboxHash = hash;
}

export function lastInboxHash(): string {
  return inboxHash;
}

/** The case after `current` in the remembered list (the first one when `current` is not in it). */
export function nextCaseId(current: string | null): string | null {
  if (ids.length === 0) return null;
  if (current === null) return ids[0] ?? null;
  const i = ids.findIndex((id) => id.toLowerCase() === current.toLowerCase());
  if (i < 0) return ids[0] ?? null;
  return ids[i + 1] ?? null;
}
