/** A customer's page: profile (edit, merge for supervisors) and their cases (GET /cases?customer_id=). */

import { api } from "../api.ts";
import { isApiError } from "../api.ts";
import { CustomerSummary } from "../components/Customer.tsx";
import { ErrorMessage, Loading } from "../components/Feedback.tsx";
import { ChannelLabel, PriorityLabel, StatusLabel } from "../components/Labels.tsx";
import { useLoad, useSession } from "../hooks.ts";
import { useI18n } from "../i18n/index.ts";
import { lastInboxHash } from "../nav-list.ts";
import { caseHref } from "../router.ts";

export function CustomerView({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { agentName } = useSession();
  const customer = useLoad((signal) => api.customer(id, signal), [id]);
  const cases = useLoad((signal) => api.casesOfCustomer(id, signal), [id]);
  if (customer.error) {
    if (isApiError(customer.error) && customer.error.status === 404) return <h1 class="screen-title">{t("customer.notFound", { id })}</h1>;
    return <ErrorMessage error={customer.error} onRetry={customer.reload} />;
  }
  if (!customer.data) return <Loading />;
  return (
    <>
      <p class="crumbs">
        <a href={lastInboxHash()}>← {t("app.back")}</a>
      </p>
      <div class="customer-page">
        <CustomerSummary
          customer={customer.data}
          headingLevel={1}
          onChanged={(c) => {
            customer.setData(c);
            cases.reload();
          }}
        />
        <section class="panel" aria-labelledby="customer-cases">
          <h2 id="customer-cases" class="panel-title">
            {t("customer.cases")}
          </h2>
          {cases.error ? <ErrorMessage error={cases.error} onRetry={cases.reload} /> : null}
          {!cases.data && !cases.error ? <Loading /> : null}
          {cases.data && cases.data.cases.length === 0 ? <p class="muted">{t("customer.noCases")}</p> : null}
          {cases.data && cases.data.cases.length > 0 ? (
            <table class="cases compact">
              <caption class="sr-only">{t("customer.cases")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("inbox.colChannel")}</th>
                  <th scope="col">{t("inbox.colSubject")}</th>
                  <th scope="col">{t("inbox.colStatus")}</th>
                  <th scope="col">{t("inbox.colPriority")}</th>
                  <th scope="col">{t("inbox.colAssignee")}</th>
                  <th scope="col">{t("inbox.sortUpdated")}</th>
                </tr>
              </thead>
              <tbody>
                {cases.data.cases.map((c) => (
                  <tr key={c.case_id}>
                    <td>
                      <ChannelLabel channel={c.channel} />
                    </td>
                    <td>
                      <a href={caseHref(c.case_id)}>{c.subject || c.case_id}</a>
                      <span class="case-id">{c.case_id}</span>
                    </td>
                    <td>
                      <StatusLabel status={c.status} />
                    </td>
                    <td>
                      <PriorityLabel priority={c.priority} />
                    </td>
                    <td>{c.assignee ? agentName(c.assignee) : <span class="muted">{t("inbox.unassigned")}</span>}</td>
                    <td>{i18n.time(c.updated_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      </div>
    </>
  );
}
