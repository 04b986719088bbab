/**
 * The inbox table: a real <table> (caption, column headers) whose subject links are the keyboard stops; j/k and
 * the arrow keys move between them (the screen does that), Enter opens. Renders at most `cap` rows at once.
 */

import type { Ref } from "preact";
import type { InboxRow } from "../api-types.ts";
import { useI18n } from "../i18n/index.ts";
import { useSession } from "../hooks.ts";
import { caseHref, navigate } from "../router.ts";
import { ChannelLabel, CustomerBadges, customerLabel, PriorityLabel, StatusLabel } from "./Labels.tsx";
import { CaseCountdown } from "./Sla.tsx";

interface Props {
  rows: readonly InboxRow[];
  caption: string;
  active: number;
  onFocusRow: (index: number) => void;
  cap?: number;
  onShowMore?: () => void;
  tableRef?: Ref<HTMLTableElement>;
  showQueue?: boolean;
}

export function CaseTable({ rows, caption, active, onFocusRow, cap = rows.length, onShowMore, tableRef, showQueue = true }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const { agentName } = useSession();
  const shown = rows.slice(0, cap);
  return (
    <>
      <table class="cases" ref={tableRef}>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" class="col-channel">{t("inbox.colChannel")}</th>
            <th scope="col" class="col-customer">{t("inbox.colCustomer")}</th>
            <th scope="col" class="col-subject">{t("inbox.colSubject")}</th>
            <th scope="col" class="col-priority">{t("inbox.colPriority")}</th>
            <th scope="col" class="col-status">{t("inbox.colStatus")}</th>
            {showQueue ? <th scope="col" class="col-queue">{t("inbox.colQueue")}</th> : null}
            <th scope="col" class="col-assignee">{t("inbox.colAssignee")}</th>
            <th scope="col" class="col-sla">{t("inbox.colSla")}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((row, i) => (
            <tr
              key={row.case_id}
              class={i === active ? "active" : undefined}
              onClick={(e) => {
                if (!(e.target instanceof Element) || !e.target.closest("a, button")) navigate(caseHref(row.case_id));
              }}
            >
              <td class="col-channel">
                <ChannelLabel channel={row.channel} />
              </td>
              <td class="col-customer">
                <span class="customer-name">{customerLabel(row) || t("inbox.unknownCustomer")}</span>
                {row.customer ? (
                  <span class="badges">
                    <CustomerBadges customer={row.customer} />
                  </span>
                ) : null}
              </td>
              <td class="col-subject">
                <a
                  href={caseHref(row.case_id)}
                  data-index={i}
                  tabIndex={i === active ? 0 : -1}
                  onFocus={() => onFocusRow(i)}
                  class="subject-link"
                >
                  {row.first_line || row.subject || row.case_id}
                </a>
                <span class="case-id">
                  {row.case_id}
                  {row.tags.length > 0 ? (
                    <span class="row-tags">
                      {row.tags.slice(0, 4).map((tag) => (
                        <span class="tag" key={tag}>
                          {tag}
                        </span>
                      ))}
                    </span>
                  ) : null}
                </span>
              </td>
              <td class="col-priority">
                <PriorityLabel priority={row.priority} />
              </td>
              <td class="col-status">
                <StatusLabel status={row.status} />
              </td>
              {showQueue ? <td class="col-queue">{row.queue}</td> : null}
              <td class="col-assignee">{row.assignee ? agentName(row.assignee) : <span class="muted">{t("inbox.unassigned")}</span>}</td>
              <td class="col-sla">
                <CaseCountdown service={row.service} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown.length && onShowMore ? (
        <p class="table-more">
          <button type="button" class="btn" onClick={onShowMore}>
            {t("inbox.showMore", { count: Math.min(200, rows.length - shown.length) })}
          </button>
        </p>
      ) : null}
    </>
  );
}
