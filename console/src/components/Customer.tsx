/** A customer: identities across channels, tier, tags, key account, dedicated agent; supervisors edit and merge. */

import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api } from "../api.ts";
import type { CaseSummary, Channel, Customer, PastCase } from "../api-types.ts";
import { submitted, useAction, useSession } from "../hooks.ts";
import { useI18n } from "../i18n/index.ts";
import { caseHref, customerHref } from "../router.ts";
import { ErrorMessage, Notice } from "./Feedback.tsx";
import { ChannelLabel, CustomerBadges, StatusLabel } from "./Labels.tsx";
import { AgentOptions } from "./Options.tsx";

const CHANNEL_NAMES = new Set(["email", "sms", "chat", "wechat", "phone"]);

function identityParts(identity: string): { channel: string; address: string } {
  const i = identity.indexOf(":");
  return i < 0 ? { channel: "", address: identity } : { channel: identity.slice(0, i), address: identity.slice(i + 1) };
}

export function CustomerSummary({ customer, headingLevel = 2, onChanged, linkToProfile = false }: {
  customer: Customer;
  headingLevel?: 1 | 2;
  onChanged: (c: Customer) => void;
  linkToProfile?: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { supervisor, agentName } = useSession();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const H = headingLevel === 1 ? "h1" : "h2";
  const headId = `cust-${customer.customer_id}`;
  // no name given: the first address they wrote from (a phone number, an email address) names them
  const first = customer.identities[0];
  const name = customer.display_name || (first ? identityParts(first).address : "") || t("inbox.unknownCustomer");
  return (
    <section class="panel customer" aria-labelledby={headId}>
      <H id={headId} class={headingLevel === 1 ? "screen-title" : "panel-title"}>
        {headingLevel === 1 ? name : t("customer.title")}
      </H>
      {headingLevel === 2 ? (
        <p class="customer-name-big">
          {linkToProfile ? <a href={customerHref(customer.customer_id)}>{name}</a> : name}
        </p>
      ) : null}
      {customer.tier || customer.key_account || customer.dedicated_agent ? (
        <p class="badges">
          <CustomerBadges customer={customer} />
        </p>
      ) : null}
      {customer.merged_into ? (
        <Notice kind="warning">
          {t("sla.mergedInto")}: <a href={customerHref(customer.merged_into)}>{customer.merged_into}</a>
        </Notice>
      ) : null}
      <dl class="facts">
        <dt>{t("customer.identities")}</dt>
        <dd>
          <ul class="plain identities">
            {customer.identities.map((id) => {
              const { channel, address } = identityParts(id);
              return (
                <li key={id}>
                  {CHANNEL_NAMES.has(channel) ? <ChannelLabel channel={channel as Channel} iconOnly /> : <span class="muted">{channel}</span>}{" "}
                  <span class="identity">{address}</span>
                </li>
              );
            })}
          </ul>
        </dd>
        <dt>{t("customer.tier")}</dt>
        <dd>{customer.tier || t("app.none")}</dd>
        <dt>{t("customer.keyAccount")}</dt>
        <dd>{customer.key_account || t("app.none")}</dd>
        <dt>{t("customer.dedicated")}</dt>
        <dd>{customer.dedicated_agent ? agentName(customer.dedicated_agent) : t("app.none")}</dd>
        <dt>{t("customer.tags")}</dt>
        <dd>
          {customer.tags.length === 0
            ? t("app.none")
            : customer.tags.map((tag) => (
                <span class="tag" key={tag}>
                  {tag}
                </span>
              ))}
        </dd>
      </dl>
      {linkToProfile && headingLevel === 2 ? (
        <p class="small">
          <a href={customerHref(customer.customer_id)}>{t("customer.open")}</a>
        </p>
      ) : null}
      {saved ? <Notice kind="success">{saved}</Notice> : null}
      {supervisor ? (
        editing ? (
          <CustomerEditor
            customer={customer}
            onCancel={() => setEditing(false)}
            onSaved={(c) => {
              setEditing(false);
              setSaved(t("customer.saved"));
              onChanged(c);
            }}
          />
        ) : (
          <p>
            <button type="button" class="btn btn-small" onClick={() => { setSaved(null); setEditing(true); }}>
              {t("customer.edit")}
            </button>
          </p>
        )
      ) : null}
      {supervisor ? (
        <CustomerMerge
          customer={customer}
          onMerged={(c) => {
            setSaved(t("customer.merged"));
            onChanged(c);
          }}
        />
      ) : null}
    </section>
  );
}

function CustomerEditor({ customer, onCancel, onSaved }: { customer: Customer; onCancel: () => void; onSaved: (c: Customer) => void }) {
  const { t } = useI18n();
  const { me } = useSession();
  const [name, setName] = useState(customer.display_name ?? "");
  const [tier, setTier] = useState(customer.tier ?? "");
  const [tags, setTags] = useState(customer.tags.join(", "));
  const [keyAccount, setKeyAccount] = useState(customer.key_account ?? "");
  const [dedicated, setDedicated] = useState(customer.dedicated_agent ?? "");
  const { busy, error, run } = useAction();
  const id = customer.customer_id;
  const save = () =>
    run(async () => {
      const c = await api.patchCustomer(id, {
        display_name: name.trim() || null,
        tier: tier.trim() || null,
        tags: tags.split(/[,，]/).map((s) => s.trim()).filter(Boolean),
        key_account: keyAccount.trim() || null,
        dedicated_agent: dedicated || null,
      });
      onSaved(c);
    });
  return (
    <form class="editor" onSubmit={submitted(save)}>
      <fieldset>
        <legend>{t("customer.edit")}</legend>
        <div class="field">
          <label for={`cname-${id}`}>{t("customer.name")}</label>
          <input id={`cname-${id}`} type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for={`ctier-${id}`}>{t("customer.tier")}</label>
          <input id={`ctier-${id}`} type="text" value={tier} onInput={(e) => setTier(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for={`ctags-${id}`}>{t("customer.tags")}</label>
          <input id={`ctags-${id}`} type="text" value={tags} aria-describedby={`ctags-hint-${id}`} onInput={(e) => setTags(e.currentTarget.value)} />
          <p class="hint" id={`ctags-hint-${id}`}>
            {t("customer.tagsHint")}
          </p>
        </div>
        <div class="field">
          <label for={`ckey-${id}`}>{t("customer.keyAccount")}</label>
          <input id={`ckey-${id}`} type="text" value={keyAccount} onInput={(e) => setKeyAccount(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for={`cded-${id}`}>{t("customer.dedicated")}</label>
          <select id={`cded-${id}`} value={dedicated} onChange={(e) => setDedicated(e.currentTarget.value)}>
            <option value="">{t("customer.noDedicated")}</option>
            <AgentOptions agents={me.agents} current={dedicated} />
          </select>
        </div>
        {error ? <ErrorMessage error={error} /> : null}
        <p class="actions">
          <button type="submit" class="btn btn-primary btn-small" disabled={busy}>
            {busy ? t("app.saving") : t("app.save")}
          </button>
          <button type="button" class="btn btn-ghost btn-small" onClick={onCancel}>
            {t("app.cancel")}
          </button>
        </p>
      </fieldset>
    </form>
  );
}

function CustomerMerge({ customer, onMerged }: { customer: Customer; onMerged: (c: Customer) => void }) {
  const { t } = useI18n();
  const [source, setSource] = useState("");
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const id = customer.customer_id;
  useEffect(() => setConfirming(false), [source]);
  const merge = () => {
    if (!confirming) {
      setConfirming(true);
      return;
    }
    return run(async () => {
      const c = await api.mergeCustomer(id, source.trim());
      setSource("");
      setConfirming(false);
      onMerged(c);
    });
  };
  return (
    <details class="merge">
      <summary>{t("customer.merge")}</summary>
      <form onSubmit={submitted(merge)}>
        <div class="field">
          <label for={`msrc-${id}`}>{t("customer.mergeSource")}</label>
          <input id={`msrc-${id}`} type="text" value={source} placeholder="CU…" onInput={(e) => setSource(e.currentTarget.value)} />
        </div>
        {confirming ? <p class="notice notice-warning">{t("customer.mergeConfirm", { id: source.trim() })}</p> : null}
        {error ? <ErrorMessage error={error} /> : null}
        <p class="actions">
          <button type="submit" class={`btn btn-small${confirming ? " btn-danger" : ""}`} disabled={busy || !source.trim() || source.trim() === id}>
            {confirming ? t("customer.mergeConfirmButton") : t("customer.mergeButton")}
          </button>
          {confirming ? (
            <button type="button" class="btn btn-ghost btn-small" onClick={() => setConfirming(false)}>
              {t("app.cancel")}
            </button>
          ) : null}
        </p>
      </form>
    </details>
  );
}

/** One line of the customer's other cases: subject link, channel icon, status, when, and anything after. */
function MiniCase({ kase: c, at, children }: { kase: CaseSummary | PastCase; at: string | null | undefined; children?: ComponentChildren }) {
  const i18n = useI18n();
  return (
    <li>
      <a href={caseHref(c.case_id)}>{c.subject || c.case_id}</a>
      <span class="mini-meta">
        <ChannelLabel channel={c.channel} iconOnly /> <StatusLabel status={c.status} /> <span class="muted small">{i18n.time(at)}</span>
        {children ? <> {children}</> : null}
      </span>
    </li>
  );
}

export function OtherCases({ open, past }: { open: CaseSummary[]; past: PastCase[] | undefined }) {
  const { t } = useI18n();
  return (
    <section class="panel" aria-labelledby="other-cases">
      <h2 id="other-cases" class="panel-title">
        {t("customer.cases")}
      </h2>
      <h3 class="sub-title">{t("customer.otherOpen")}</h3>
      {open.length === 0 ? <p class="muted small">{t("customer.noCases")}</p> : null}
      <ul class="mini-cases">
        {open.map((c) => (
          <MiniCase key={c.case_id} kase={c} at={c.updated_at} />
        ))}
      </ul>
      <h3 class="sub-title">{t("customer.past")}</h3>
      {!past || past.length === 0 ? <p class="muted small">{t("customer.noCases")}</p> : null}
      <ul class="mini-cases">
        {(past ?? []).map((c) => (
          <MiniCase key={c.case_id} kase={c} at={c.solved_at}>
            {c.csat !== null && c.csat !== undefined ? (
              <span class={`csat csat-${c.csat}`}>{t("customer.csat", { score: c.csat })}</span>
            ) : (
              <span class="muted small">{t("customer.noCsat")}</span>
            )}
          </MiniCase>
        ))}
      </ul>
    </section>
  );
}
