/** The case's properties and actions: claim, assign, status, priority, queue, tags, problem key, links. */

import { useEffect, useState } from "preact/hooks";
import { PRIORITIES, STATUSES, type Case, type CasePatch, type CaseStatus, type Priority } from "../api-types.ts";
import { submitted, useSession } from "../hooks.ts";
import { useI18n } from "../i18n/index.ts";
import { AgentOptions, LabelOptions } from "./Options.tsx";

interface Props {
  kase: Case;
  busy: boolean;
  onPatch: (patch: CasePatch) => void;
  onLink: (other: string, kind: "related" | "merge") => Promise<boolean>;
}

export function CaseProperties({ kase, busy, onPatch, onLink }: Props) {
  const { t } = useI18n();
  const { me, supervisor } = useSession();
  const id = kase.case_id;
  const [newTag, setNewTag] = useState("");
  const [problem, setProblem] = useState(kase.service.problem_key ?? "");
  const [linkId, setLinkId] = useState("");
  const [linkKind, setLinkKind] = useState<"related" | "merge">("related");
  const [confirmMerge, setConfirmMerge] = useState(false);

  useEffect(() => setProblem(kase.service.problem_key ?? ""), [kase.service.problem_key]);

  const queues = [...new Set([...me.queues.map((q) => q.name), kase.queue])];
  const addTag = () => {
    const tag = newTag.trim().toLowerCase();
    if (!tag || kase.tags.includes(tag)) {
      setNewTag("");
      return;
    }
    onPatch({ tags: [...kase.tags, tag] });
    setNewTag("");
  };
  const link = async () => {
    const other = linkId.trim();
    if (!other) return;
    if (linkKind === "merge" && !confirmMerge) {
      setConfirmMerge(true);
      return;
    }
    const ok = await onLink(other, linkKind);
    setConfirmMerge(false);
    if (ok) setLinkId("");
  };

  return (
    <section class="panel" aria-labelledby={`props-${id}`}>
      <h2 id={`props-${id}`} class="panel-title">
        {t("case.properties")}
      </h2>
      <div class="field">
        <label for={`assignee-${id}`}>{t("case.assignee")}</label>
        <div class="field-row">
          <select
            id={`assignee-${id}`}
            value={kase.assignee ?? ""}
            disabled={busy}
            onChange={(e) => onPatch({ assignee: e.currentTarget.value || null })}
          >
            <option value="">{t("case.unassigned")}</option>
            <AgentOptions agents={me.agents} current={kase.assignee} showAway />
          </select>
          {/* unassigned: the header's Claim takes it; someone else's: reassigned (a claim would be refused) */}
          {me.agent_id && kase.assignee && kase.assignee !== me.agent_id ? (
            <button type="button" class="btn btn-small" onClick={() => onPatch({ assignee: me.agent_id })} disabled={busy}>
              {t("case.assignMe")}
            </button>
          ) : null}
        </div>
      </div>
      <div class="field-grid">
        <div class="field">
          <label for={`status-${id}`}>{t("case.status")}</label>
          <select id={`status-${id}`} value={kase.status} disabled={busy} onChange={(e) => onPatch({ status: e.currentTarget.value as CaseStatus })}>
            <LabelOptions prefix="status" values={STATUSES} />
          </select>
        </div>
        <div class="field">
          <label for={`priority-${id}`}>{t("case.priority")}</label>
          <select id={`priority-${id}`} value={kase.priority} disabled={busy} onChange={(e) => onPatch({ priority: e.currentTarget.value as Priority })}>
            <LabelOptions prefix="priority" values={PRIORITIES} />
          </select>
        </div>
      </div>
      <div class="field">
        <label for={`queue-${id}`}>{t("case.queue")}</label>
        <select id={`queue-${id}`} value={kase.queue} disabled={busy} onChange={(e) => onPatch({ queue: e.currentTarget.value })}>
          {queues.map((q) => (
            <option value={q} key={q}>
              {q}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <span class="field-label" id={`tags-${id}`}>
          {t("case.tags")}
        </span>
        <ul class="tag-list" aria-labelledby={`tags-${id}`}>
          {kase.tags.length === 0 ? <li class="muted small">{t("case.noTags")}</li> : null}
          {kase.tags.map((tag) => (
            <li class="tag tag-removable" key={tag}>
              <span>{tag}</span>
              <button
                type="button"
                class="tag-remove"
                aria-label={t("case.removeTag", { tag })}
                disabled={busy}
                onClick={() => onPatch({ tags: kase.tags.filter((x) => x !== tag) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <form class="field-row" onSubmit={submitted(addTag)}>
          <label class="sr-only" for={`newtag-${id}`}>
            {t("case.newTag")}
          </label>
          <input id={`newtag-${id}`} type="text" value={newTag} placeholder={t("case.newTag")} onInput={(e) => setNewTag(e.currentTarget.value)} />
          <button type="submit" class="btn btn-small" disabled={busy || !newTag.trim()}>
            {t("case.addTag")}
          </button>
        </form>
      </div>
      <form class="field" onSubmit={submitted(() => onPatch({ problem_key: problem.trim() }))}>
        <label for={`problem-${id}`}>{t("case.problemKey")}</label>
        <div class="field-row">
          <input
            id={`problem-${id}`}
            type="text"
            value={problem}
            placeholder="BUG-1234"
            aria-describedby={`problem-hint-${id}`}
            onInput={(e) => setProblem(e.currentTarget.value)}
          />
          <button type="submit" class="btn btn-small" disabled={busy || problem.trim() === (kase.service.problem_key ?? "")}>
            {t("app.save")}
          </button>
        </div>
        <p id={`problem-hint-${id}`} class="hint">
          {t("case.problemKeyHint")}
        </p>
      </form>
      <form class="field" onSubmit={submitted(link)}>
        <fieldset>
          <legend>{t("case.link")}</legend>
          <div class="field-row">
            <label class="sr-only" for={`link-${id}`}>
              {t("case.linkCase")}
            </label>
            <input
              id={`link-${id}`}
              type="text"
              value={linkId}
              placeholder={t("case.linkCase")}
              onInput={(e) => {
                setLinkId(e.currentTarget.value);
                setConfirmMerge(false);
              }}
            />
            <label class="sr-only" for={`linkkind-${id}`}>
              {t("case.linkKind")}
            </label>
            <select
              id={`linkkind-${id}`}
              value={linkKind}
              onChange={(e) => {
                setLinkKind(e.currentTarget.value as "related" | "merge");
                setConfirmMerge(false);
              }}
            >
              <option value="related">{t("case.linkRelated")}</option>
              {supervisor ? <option value="merge">{t("case.linkMerge")}</option> : null}
            </select>
            {confirmMerge ? null : (
              <button type="submit" class="btn btn-small" disabled={busy || !linkId.trim()}>
                {t("case.linkButton")}
              </button>
            )}
          </div>
          {confirmMerge ? (
            <>
              <p class="notice notice-warning" role="status">
                {t("case.mergeConfirm", { id: linkId.trim() })}
              </p>
              <div class="field-row">
                <button type="submit" class="btn btn-small btn-danger" disabled={busy || !linkId.trim()}>
                  {t("case.mergeConfirmButton")}
                </button>
                <button type="button" class="btn btn-small btn-ghost" onClick={() => setConfirmMerge(false)}>
                  {t("app.cancel")}
                </button>
              </div>
            </>
          ) : null}
        </fieldset>
      </form>
    </section>
  );
}
