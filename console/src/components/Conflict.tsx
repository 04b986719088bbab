/** A 409 on a change: what changed since the agent looked, their change, and a way to re-apply it. */

import type { Case, CasePatch } from "../api-types.ts";
import { useSession } from "../hooks.ts";
import { useI18n, type I18n } from "../i18n/index.ts";

export interface ConflictState {
  patch: CasePatch;
  seen: Case;
  now: Case;
}

type Field = { key: string; label: string; value: (c: Case) => string };

function fields(i18n: I18n, agentName: (id: string | null) => string): Field[] {
  const { t, label } = i18n;
  return [
    { key: "status", label: t("case.status"), value: (c) => label("status", c.status) },
    { key: "priority", label: t("case.priority"), value: (c) => label("priority", c.priority) },
    { key: "queue", label: t("case.queue"), value: (c) => c.queue },
    { key: "assignee", label: t("case.assignee"), value: (c) => (c.assignee ? agentName(c.assignee) : t("case.unassigned")) },
    { key: "tags", label: t("case.tags"), value: (c) => c.tags.join(", ") || t("app.none") },
    { key: "problem_key", label: t("case.problemKey"), value: (c) => c.service.problem_key || t("app.none") },
    { key: "messages", label: t("case.thread"), value: (c) => t("case.messages", { count: c.message_count }) },
  ];
}

export function describePatch(patch: CasePatch, i18n: I18n, agentName: (id: string | null) => string): string {
  const { t, label } = i18n;
  const parts: string[] = [];
  if (patch.status) parts.push(`${t("case.status")} → ${label("status", patch.status)}`);
  if (patch.priority) parts.push(`${t("case.priority")} → ${label("priority", patch.priority)}`);
  if (patch.queue) parts.push(`${t("case.queue")} → ${patch.queue}`);
  if (patch.assignee !== undefined) parts.push(`${t("case.assignee")} → ${patch.assignee ? agentName(patch.assignee) : t("case.unassigned")}`);
  if (patch.tags) parts.push(`${t("case.tags")} → ${patch.tags.join(", ") || t("app.none")}`);
  if (patch.problem_key !== undefined) parts.push(`${t("case.problemKey")} → ${patch.problem_key || t("app.none")}`);
  return parts.join("; ");
}

export function changedFields(seen: Case, now: Case, i18n: I18n, agentName: (id: string | null) => string) {
  return fields(i18n, agentName)
    .map((f) => ({ ...f, before: f.value(seen), after: f.value(now) }))
    .filter((f) => f.before !== f.after);
}

export function ConflictView({ conflict, onReapply, onDiscard, busy }: { conflict: ConflictState; onReapply: () => void; onDiscard: () => void; busy: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { agentName } = useSession();
  const name = (id: string | null) => agentName(id);
  const diff = changedFields(conflict.seen, conflict.now, i18n, name);
  return (
    <section class="conflict" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title">{t("conflict.title")}</h2>
      <p>{t("conflict.intro")}</p>
      {diff.length > 0 ? (
        <table class="conflict-table">
          <thead>
            <tr>
              <th scope="col">{t("conflict.field")}</th>
              <th scope="col">{t("conflict.saw")}</th>
              <th scope="col">{t("conflict.now")}</th>
            </tr>
          </thead>
          <tbody>
            {diff.map((f) => (
              <tr key={f.key}>
                <th scope="row">{f.label}</th>
                <td>
                  <del>{f.before}</del>
                </td>
                <td>
                  <ins>{f.after}</ins>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">{t("conflict.noDiff")}</p>
      )}
      <p>
        <strong>{t("conflict.yours")}:</strong> {describePatch(conflict.patch, i18n, name)}
      </p>
      <p class="actions">
        <button type="button" class="btn btn-primary" onClick={onReapply} disabled={busy}>
          {t("conflict.reapply")}
        </button>
        <button type="button" class="btn btn-ghost" onClick={onDiscard} disabled={busy}>
          {t("conflict.discard")}
        </button>
      </p>
    </section>
  );
}
