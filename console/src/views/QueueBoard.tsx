/** Supervisor queue board: open / unassigned / at risk / breached per queue, who works what; reassign from here. */

import { useEffect, useRef, useState } from "preact/hooks";
import { api, isApiError } from "../api.ts";
import type { InboxRow } from "../api-types.ts";
import { AvailabilityForm, savedText } from "../components/Availability.tsx";
import { ErrorMessage, Loading, Notice } from "../components/Feedback.tsx";
import { ChannelLabel, customerLabel, PriorityLabel } from "../components/Labels.tsx";
import { AgentOptions } from "../components/Options.tsx";
import { Toolbar } from "../components/Screen.tsx";
import { CaseCountdown } from "../components/Sla.tsx";
import { submitted, useLoad, useSession } from "../hooks.ts";
import { useI18n } from "../i18n/index.ts";
import { announce } from "../live.ts";
import { caseHref, href } from "../router.ts";
import { errorText } from "../errors.ts";

export function QueueBoard({ queue }: { queue: string | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { agentName } = useSession();
  const board = useLoad((signal) => api.queues(signal), []);
  return (
    <section aria-labelledby="board-title" class="board">
      <Toolbar id="board-title" title={t("board.title")}>
        <button type="button" class="btn btn-ghost btn-small" onClick={board.reload}>
          {t("inbox.refresh")}
        </button>
      </Toolbar>
      {board.error ? <ErrorMessage error={board.error} onRetry={board.reload} /> : null}
      {!board.data && !board.error ? <Loading /> : null}
      {board.data ? (
        <div class="table-wrap">
          <table class="cases board-table">
            <caption class="sr-only">{t("board.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("case.queue")}</th>
                <th scope="col" class="num">{t("board.open")}</th>
                <th scope="col" class="num">{t("board.unassigned")}</th>
                <th scope="col" class="num">{t("board.atRisk")}</th>
                <th scope="col" class="num">{t("board.breached")}</th>
                <th scope="col">{t("board.agents")}</th>
                <th scope="col">
                  <span class="sr-only">{t("board.openCases")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {board.data.queues.map((q) => (
                <tr key={q.name} class={queue === q.name ? "active" : undefined}>
                  <th scope="row">
                    <span class="queue-name">{q.name}</span>
                    {q.description ? <span class="muted small block">{q.description}</span> : null}
                    {q.supervisor ? <span class="muted small block">{t("board.supervisor", { name: agentName(q.supervisor) })}</span> : null}
                  </th>
                  <td class="num">{q.open}</td>
                  <td class="num">{q.unassigned > 0 ? <strong>{q.unassigned}</strong> : q.unassigned}</td>
                  <td class="num">{q.at_risk > 0 ? <span class="sla sla-warning">{q.at_risk}</span> : q.at_risk}</td>
                  <td class="num">{q.breached > 0 ? <span class="sla sla-breached">{q.breached}</span> : q.breached}</td>
                  <td>
                    {q.agents.length === 0 ? (
                      <span class="muted small">{t("board.noAgents")}</span>
                    ) : (
                      <ul class="agent-load">
                        {q.agents.map((a) => (
                          <li key={a.agent_id}>{t("board.agentOpen", { name: a.name || a.agent_id, count: a.open })}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    <a class="btn btn-small" href={href({ name: "queues", queue: q.name })} aria-current={queue === q.name ? "true" : undefined}>
                      {t("board.openCases")}
                      <span class="sr-only"> {q.name}</span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <AgentsAvailability onChanged={board.reload} />
      {queue ? <QueueCases queue={queue} onChanged={board.reload} /> : null}
    </section>
  );
}

/** Every agent of the tenant, available or away; a supervisor sets either (going away hands waiting cases back). */
function AgentsAvailability({ onChanged }: { onChanged: () => void }) {
  const { t } = useI18n();
  const { me, setAgentAvailable } = useSession();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <section class="panel agents-availability" aria-labelledby="agents-availability-title">
      <h2 id="agents-availability-title" class="panel-title">
        {t("board.people")}
      </h2>
      {message ? <Notice kind="success">{message}</Notice> : null}
      <table class="cases compact">
        <caption class="sr-only">{t("board.people")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("board.agent")}</th>
            <th scope="col">{t("board.agentQueues")}</th>
            <th scope="col">{t("board.state")}</th>
            <th scope="col">{t("board.setState")}</th>
          </tr>
        </thead>
        <tbody>
          {me.agents.map((a) => (
            <tr key={a.agent_id}>
              <th scope="row">{a.name || a.agent_id}</th>
              <td class="muted small">{a.queues.join(", ") || t("app.none")}</td>
              <td>
                <span class={`presence-state ${a.available ? "is-available" : "is-away"}`}>
                  <span class="presence-dot" aria-hidden="true" />
                  {a.available ? t("presence.available") : t("presence.away")}
                </span>
              </td>
              <td>
                <AvailabilityForm
                  target={a.agent_id}
                  name={a.name || a.agent_id}
                  available={a.available}
                  idPrefix={`avail-${a.agent_id.replace(/[^\w-]/g, "_")}`}
                  onSaved={(r) => {
                    setAgentAvailable(r.agent_id, r.available);
                    const text = savedText(r, a.name || a.agent_id, t);
                    setMessage(text);
                    announce(text);
                    onChanged();
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function QueueCases({ queue, onChanged }: { queue: string; onChanged: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const cases = useLoad((signal) => api.inbox({ view: "queue", queue, limit: 200 }, signal), [queue]);
  const [message, setMessage] = useState<{ kind: "success" | "error"; text: string } | null>(null);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => panel.current?.scrollIntoView({ block: "start" }), [queue]); // below the board: bring it into view
  return (
    <section class="panel queue-cases" aria-labelledby="queue-cases-title" ref={panel}>
      <h2 id="queue-cases-title" class="panel-title">
        {t("board.cases", { queue })}
      </h2>
      {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
      {cases.error ? <ErrorMessage error={cases.error} onRetry={cases.reload} /> : null}
      {!cases.data && !cases.error ? <Loading /> : null}
      {cases.data && cases.data.cases.length === 0 ? <p class="muted">{t("inbox.empty")}</p> : null}
      {cases.data && cases.data.cases.length > 0 ? (
        <table class="cases compact">
          <caption class="sr-only">{t("board.cases", { queue })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("inbox.colChannel")}</th>
              <th scope="col">{t("inbox.colSubject")}</th>
              <th scope="col">{t("inbox.colPriority")}</th>
              <th scope="col">{t("inbox.colSla")}</th>
              <th scope="col">{t("board.reassign")}</th>
            </tr>
          </thead>
          <tbody>
            {cases.data.cases.map((row) => (
              <ReassignRow
                key={row.case_id}
                row={row}
                onDone={(updated, text) => {
                  cases.setData((d) => (d ? { ...d, cases: d.cases.map((c) => (c.case_id === updated.case_id ? { ...c, ...updated } : c)) } : d));
                  setMessage({ kind: "success", text });
                  onChanged();
                }}
                onError={(e) => {
                  setMessage({ kind: "error", text: errorText(e, i18n) });
                  if (isApiError(e) && e.status === 409) cases.reload();
                }}
              />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function ReassignRow({ row, onDone, onError }: { row: InboxRow; onDone: (r: InboxRow, text: string) => void; onError: (e: unknown) => void }) {
  const { t } = useI18n();
  const { me, agentName } = useSession();
  const [agent, setAgent] = useState(row.assignee ?? "");
  const [busy, setBusy] = useState(false);
  const selectId = `reassign-${row.case_id}`;
  const who = customerLabel(row);
  const save = async () => {
    setBusy(true);
    try {
      const r = await api.patchCase(row.case_id, { assignee: agent || null, ...(row.version !== null ? { version: row.version } : {}) });
      onDone({ ...row, ...r.case }, t("board.reassigned", { id: row.case_id, agent: agent ? agentName(agent) : t("case.unassigned") }));
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr>
      <td>
        <ChannelLabel channel={row.channel} />
      </td>
      <td>
        <a href={caseHref(row.case_id)}>{row.first_line || row.subject || row.case_id}</a>
        <span class="case-id">
          {row.case_id}
          {who ? <span class="case-who"> · {who}</span> : null}
        </span>
      </td>
      <td>
        <PriorityLabel priority={row.priority} />
      </td>
      <td>
        <CaseCountdown service={row.service} />
      </td>
      <td>
        <form class="field-row" onSubmit={submitted(save)}>
          <label class="sr-only" for={selectId}>
            {t("board.reassignTo", { id: row.case_id })}
          </label>
          <select id={selectId} value={agent} onChange={(e) => setAgent(e.currentTarget.value)}>
            <option value="">{t("case.unassigned")}</option>
            <AgentOptions agents={me.agents} current={row.assignee} showAway />
          </select>
          <button type="submit" class="btn btn-small" disabled={busy || agent === (row.assignee ?? "")}>
            {t("board.reassign")}
          </button>
        </form>
      </td>
    </tr>
  );
}
