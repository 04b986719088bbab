// A dev-only server for the console: serves dist/ at /console/ with the production security headers and either
// a small in-memory mock of the console API (default) or a proxy to a real local stack (--proxy URL).
// Not part of the build. Usage:
//   node dev/mock-server.mjs [--port 4173] [--proxy http://127.0.0.1:3100] [--cases 1000]
// Mock users: li.na / any password (agent), wang.fang / any password (supervisor); password "wrong" is refused.
// Blocked phrases: "guarantee", "保证". Case CA0000BIG has 200 messages; CA0000EMAIL has quoted mail + attachments.

import { createServer, request as httpRequest } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const PORT = Number(args.port ?? 4173);
const PROXY = args.proxy ?? null;
const N = Number(args.cases ?? 1000);
const DIST = join(fileURLToPath(import.meta.url), "..", "..", "dist");
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const SECURITY = {
  "Content-Security-Policy": CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
};
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

// ---- data ----------------------------------------------------------------------------------------------------

const now = () => Date.now();
const iso = (ms) => new Date(ms).toISOString();
const MIN = 60_000;
let rand = 42;
const rnd = () => ((rand = (rand * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (a) => a[Math.floor(rnd() * a.length)];

const agents = [
  { agent_id: "li.na", name: "Li Na", role: "agent", queues: ["general", "billing"], available: true },
  { agent_id: "wang.fang", name: "Wang Fang", role: "supervisor", queues: ["general", "billing", "vip"], available: true },
  { agent_id: "sam.lee", name: "Sam Lee", role: "agent", queues: ["general"], available: false },
  { agent_id: "zhao.lei", name: "Zhao Lei", role: "agent", queues: ["vip", "billing"], available: true },
];
const queues = [
  { name: "general", description: "Everything else", supervisor: "wang.fang" },
  { name: "billing", description: "Invoices, refunds", supervisor: "wang.fang" },
  { name: "vip", description: "Gold tier and key accounts", supervisor: "wang.fang" },
];
const names = ["Ann Smith", "张伟", "王芳", "Carlos Ruiz", "李娜", "Emma Müller", "刘洋", "Yuki Tanaka", "陈静", "O'Brien <script>alert(1)</script>"];
const subjects = [
  "My order never arrived",
  "退款什么时候到账？",
  "Invoice 2026-114 is wrong",
  "无法登录账户",
  "Change delivery address",
  "<b>Urgent</b> & broken <img src=x onerror=alert(1)>",
  "商品破损，要求换货",
  "Where is my refund?",
  "Password reset link expired",
  "发票抬头需要修改",
];
const channels = ["email", "sms", "chat", "wechat"];
const customers = new Map();
for (let i = 0; i < 60; i++) {
  const id = `CU${String(i).padStart(4, "0")}`;
  customers.set(id, {
    customer_id: id,
    display_name: names[i % names.length],
    identities: [`email:user${i}@example.com`, `sms:+86138001380${String(i).padStart(2, "0")}`, ...(i % 3 === 0 ? [`wechat:oAbC${i}xyz`] : [])],
    merged_into: null,
    tier: i % 7 === 0 ? "gold" : i % 5 === 0 ? "silver" : null,
    tags: i % 4 === 0 ? ["returning"] : [],
    key_account: i % 11 === 0 ? "acme-corp" : null,
    dedicated_agent: i % 13 === 0 ? "zhao.lei" : null,
  });
}
const cases = new Map();
const threads = new Map();
let seq = 0;
function makeCase(over = {}) {
  seq += 1;
  const id = over.case_id ?? `CA${String(seq).padStart(6, "0")}`;
  const channel = over.channel ?? pick(channels);
  const cust = [...customers.values()][seq % customers.size];
  const due = now() + Math.round((rnd() * 300 - 30) * MIN);
  const status = over.status ?? pick(["new", "open", "open", "open", "pending", "on_hold"]);
  const breached = due < now() ? ["first_response"] : [];
  const c = {
    case_id: id,
    status,
    channel,
    subject: pick(subjects),
    customer_id: cust.customer_id,
    contact_address: channel === "email" ? cust.identities[0].slice(6) : channel === "sms" ? cust.identities[1].slice(4) : `user-${seq}`,
    priority: pick(["low", "normal", "normal", "normal", "high", "urgent"]),
    queue: pick(["general", "general", "billing", "vip"]),
    assignee: pick(["li.na", "li.na", null, "sam.lee", "zhao.lei", "wang.fang"]),
    created_at: iso(now() - Math.round(rnd() * 3 * 86400_000)),
    updated_at: iso(now() - Math.round(rnd() * 3600_000)),
    message_count: 1,
    follow_up_of: null,
    tags: rnd() < 0.3 ? [pick(["refund", "vip", "complaint", "delivery"])] : [],
    service: {
      routed_by: "default",
      tier: cust.tier,
      key_account: Boolean(cust.key_account),
      deadlines: [
        { clock: "first_response", started_at: iso(now() - 3600_000), due_at: iso(due), stopped_at: null, breached: breached.length > 0 },
        { clock: "resolution", started_at: iso(now() - 3600_000), due_at: iso(due + 86400_000), stopped_at: null, breached: false },
      ],
      paused: status === "pending" || status === "on_hold",
      breached,
      escalation_level: breached.length ? 1 : 0,
      escalated_at: breached.length ? iso(due + 5 * MIN) : null,
      first_response_at: null,
      next_deadline: status === "pending" || status === "on_hold" ? null : iso(due),
      dedicated_until: null,
      links: [],
      merged_into: null,
      problem_key: null,
    },
    version: 1,
    csat: null,
    reply_window: channel === "wechat" ? { open: seq % 2 === 0, closes_at: iso(now() + (seq % 2 === 0 ? 5 : -2) * 3600_000) } : null,
    ...over,
  };
  cases.set(id, c);
  threads.set(id, [
    msg(c, "inbound", `Hello,\n\n${c.subject}. Order 100-${seq}.\n\nThanks`, { created_at: c.created_at }),
  ]);
  return c;
}
function msg(c, direction, body, over = {}) {
  return {
    message_id: `M${c.case_id}-${Math.floor(rnd() * 1e9)}`,
    direction,
    channel: c.channel,
    kind: "human",
    subject: c.subject,
    body_text: body,
    preview: body.slice(0, 200),
    sender: direction === "inbound" ? c.contact_address : "li.na",
    sender_name: direction === "inbound" ? customers.get(c.customer_id)?.display_name : "Li Na",
    recipients: direction === "outbound" ? [c.contact_address] : [],
    created_at: iso(now()),
    attachments: [],
    delivery_status: direction === "outbound" ? "sent" : null,
    delivery_detail: null,
    problems: [],
    ...over,
  };
}
for (let i = 0; i < N; i++) makeCase();
for (let i = 0; i < 40; i++) {
  const c = makeCase({ status: "solved" });
  c.service.next_deadline = null;
  c.service.paused = false;
}
// a rich email case
{
  const c = makeCase({ case_id: "CA0000EMAIL", channel: "email", subject: "Re: My order never arrived", assignee: "li.na", status: "open", priority: "high", customer_id: "CU0000", contact_address: "user0@example.com" });
  const t0 = now() - 26 * 3600_000;
  threads.set(c.case_id, [
    msg(c, "inbound", "Hi, my order 100-5561 never arrived. Can you check?\n\nAnn", { created_at: iso(t0) }),
    msg(c, "outbound", "Thank you for contacting Acme Support. Your case number is CA0000EMAIL.", { kind: "acknowledgement", sender_name: "Acme Support", created_at: iso(t0 + 1000) }),
    msg(c, "note", "Carrier says the parcel is stuck in Shanghai hub. Waiting on their answer.", { direction: "note", kind: "note", created_at: iso(t0 + 3600_000) }),
    msg(c, "outbound", "Hi Ann,\n\nthe parcel is stuck at the carrier's hub; we have asked them to release it.\n\nLi Na", { created_at: iso(t0 + 2 * 3600_000), delivery_status: "sent" }),
    msg(c, "inbound", "Still nothing arrived. It's been two weeks!\n\nOn Tue, 3 Dec 2026 at 10:00, Acme Support <support@acme.example> wrote:\n> Hi Ann,\n>\n> the parcel is stuck at the carrier's hub; we have asked them to release it.\n>\n> Li Na\n", {
      created_at: iso(t0 + 20 * 3600_000),
      attachments: [
        { attachment_id: "A1-0", filename: "photo of label.jpg", content_type: "image/jpeg", size: 245_812 },
        { attachment_id: "A1-1", filename: "invoice <2026>.pdf", content_type: "application/pdf", size: 88_004 },
        { attachment_id: "A1-2", filename: "virus.exe", content_type: "application/octet-stream", size: 4_096 },
      ],
    }),
    msg(c, "outbound", "We are sorry for the delay.", { created_at: iso(t0 + 21 * 3600_000), delivery_status: "failed", delivery_detail: "mailbox full" }),
    msg(c, "inbound", "还没有收到货。\n\n在 2026年12月3日 10:00，Acme Support <support@acme.example> 写道：\n> 我们正在处理。", { created_at: iso(t0 + 25 * 3600_000) }),
  ]);
  c.message_count = threads.get(c.case_id).length;
  c.service.links = ["related:CA000002"];
}
// a case with 200 messages
{
  const c = makeCase({ case_id: "CA0000BIG", channel: "chat", subject: "Long chat", assignee: "li.na", status: "open" });
  const list = [];
  for (let i = 0; i < 200; i++) {
    list.push(msg(c, i % 2 ? "outbound" : "inbound", `Message ${i}: ${pick(subjects)}\nsecond line of message ${i}`, { created_at: iso(now() - (200 - i) * MIN) }));
  }
  threads.set(c.case_id, list);
  c.message_count = 200;
}
makeCase({ case_id: "CA0000SMS", channel: "sms", subject: "SMS: 快递到哪了", assignee: "li.na", status: "open" });
makeCase({ case_id: "CA0000WX", channel: "wechat", subject: "微信咨询", assignee: "li.na", status: "open", reply_window: { open: false, closes_at: iso(now() - 3600_000) } });

// ---- API -----------------------------------------------------------------------------------------------------

const tokens = new Map(); // access token -> {user, exp}
const refreshTokens = new Map();
const row = (c) => {
  const cust = c.customer_id ? customers.get(c.customer_id) : null;
  const { csat, reply_window, ...rest } = c;
  return {
    ...rest,
    customer: cust ? { customer_id: cust.customer_id, display_name: cust.display_name, tier: cust.tier, key_account: cust.key_account, dedicated_agent: cust.dedicated_agent } : null,
    first_line: c.subject || (threads.get(c.case_id)?.[0]?.body_text.split("\n")[0] ?? "").slice(0, 140),
  };
};
const open = (c) => !["solved", "closed"].includes(c.status);
const byDeadline = (a, b) => {
  const da = a.service.next_deadline ? Date.parse(a.service.next_deadline) : Infinity;
  const db = b.service.next_deadline ? Date.parse(b.service.next_deadline) : Infinity;
  return da - db || a.case_id.localeCompare(b.case_id);
};
function touch(c) {
  c.version += 1;
  c.updated_at = iso(now());
}
function err(res, status, Code, Message, extra = {}, headers = {}) {
  send(res, status, { Code, Message, ...extra }, headers);
}
function send(res, status, body, headers = {}) {
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store", ...SECURITY, ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
}
async function readBody(req) {
  const chunks = [];
  for await (const ch of req) chunks.push(ch);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : {};
}
const me = (user) => {
  const a = agents.find((x) => x.agent_id === user) ?? agents[0];
  return { tenant_id: "acme", tenant_name: "Acme Support", agent_id: a.agent_id, name: a.name, role: a.role, time_zone: "Asia/Shanghai", my_queues: a.queues, queues, agents };
};
let throttleNext = 0; // set by GET /_mock/throttle?n=1 to answer the next n calls with 429

// new cases arrive every 20 s, and existing ones change
setInterval(() => {
  const c = makeCase({ status: "new", assignee: rnd() < 0.5 ? "li.na" : null, queue: "general" });
  c.updated_at = iso(now());
  const other = [...cases.values()][Math.floor(rnd() * 50)];
  if (other) {
    touch(other);
    other.priority = pick(["low", "normal", "high", "urgent"]);
  }
}, 20_000);

async function api(req, res, url) {
  const path = url.pathname;
  const q = url.searchParams;
  if (path === "/_mock/throttle") {
    throttleNext = Number(q.get("n") ?? 1);
    return send(res, 200, { ok: true });
  }
  if (path === "/auth/session" && req.method === "POST") {
    const b = await readBody(req);
    if (!b.username || !b.password || b.password === "wrong") return err(res, 401, "UnauthorizedError", "wrong username or password");
    const access = `at-${Math.random().toString(36).slice(2)}`;
    const refresh = `rt-${Math.random().toString(36).slice(2)}`;
    const ttl = Number(args.ttl ?? 3600);
    tokens.set(access, { user: b.username, exp: now() + ttl * 1000 });
    refreshTokens.set(refresh, b.username);
    return send(res, 200, { access_token: access, refresh_token: refresh, expires_in: ttl });
  }
  if (path === "/auth/refresh" && req.method === "POST") {
    const b = await readBody(req);
    const user = refreshTokens.get(b.refresh_token);
    if (!user) return err(res, 401, "UnauthorizedError", "refresh token invalid");
    const access = `at-${Math.random().toString(36).slice(2)}`;
    const ttl = Number(args.ttl ?? 3600);
    tokens.set(access, { user, exp: now() + ttl * 1000 });
    return send(res, 200, { access_token: access, expires_in: ttl });
  }
  const auth = (req.headers.authorization ?? "").replace(/^Bearer /, "");
  const session = tokens.get(auth);
  if (!session || session.exp < now()) return err(res, 401, "UnauthorizedError", "token expired");
  if (throttleNext > 0 && !path.startsWith("/changes")) {
    throttleNext -= 1;
    return err(res, 429, "TooManyRequests", "slow down", {}, { "Retry-After": "3" });
  }
  const user = session.user;
  const m = me(user);
  if (path === "/auth/sign-out") {
    tokens.delete(auth);
    for (const [k, v] of refreshTokens) if (v === user) refreshTokens.delete(k);
    res.writeHead(204, SECURITY);
    return res.end();
  }
  if (path === "/me") return send(res, 200, m);
  if (path === "/inbox") {
    const view = q.get("view") ?? "mine";
    const lead = 15 * MIN;
    let list = [...cases.values()].filter((c) => {
      if (q.get("channel") && c.channel !== q.get("channel")) return false;
      if (q.get("priority") && c.priority !== q.get("priority")) return false;
      if (q.get("tag") && !c.tags.includes(q.get("tag"))) return false;
      switch (view) {
        case "mine": return open(c) && c.assignee === user;
        case "unassigned": return open(c) && !c.assignee && m.my_queues.includes(c.queue);
        case "queue": return open(c) && c.queue === q.get("queue");
        case "breached": return open(c) && c.service.breached.length > 0;
        case "at_risk": {
          const d = c.service.next_deadline ? Date.parse(c.service.next_deadline) : null;
          return open(c) && !c.service.paused && !c.service.breached.length && d && d > now() && d <= now() + lead;
        }
        case "pending": return c.status === "pending";
        case "solved": return c.status === "solved";
        default: return false;
      }
    });
    list = view === "solved" ? list.sort((a, b) => b.updated_at.localeCompare(a.updated_at)) : list.sort(byDeadline);
    const limit = Math.min(200, Number(q.get("limit") ?? 100));
    const offset = Number(q.get("next") ?? 0);
    const page = list.slice(offset, offset + limit);
    return send(res, 200, { view, cases: page.map(row), next: offset + limit < list.length ? String(offset + limit) : null, total_open: [...cases.values()].filter(open).length });
  }
  if (path === "/changes") {
    const since = q.get("since");
    const cursor = iso(now() - 1000);
    if (!since) return send(res, 200, { cases: [], cursor });
    if (Number.isNaN(Date.parse(since))) return err(res, 400, "BadRequestError", "invalid cursor");
    const changed = [...cases.values()].filter((c) => c.updated_at > since && c.updated_at <= cursor).sort((a, b) => a.updated_at.localeCompare(b.updated_at));
    return send(res, 200, { cases: changed.slice(0, 200).map(row), cursor });
  }
  if (path === "/search") {
    const text = (q.get("q") ?? "").trim().toLowerCase();
    if (!text) return err(res, 400, "BadRequestError", "q must be 1 to 200 characters");
    const custs = [...customers.values()].filter((c) => c.identities.some((i) => i.split(":")[1].toLowerCase() === text) || c.customer_id.toLowerCase() === text);
    const found = [...cases.values()].filter((c) => c.case_id.toLowerCase() === text || c.subject.toLowerCase().includes(text) || custs.some((x) => x.customer_id === c.customer_id)).slice(0, 50);
    return send(res, 200, { cases: found.map(row), customers: custs });
  }
  if (path === "/queues") {
    if (m.role === "agent") return err(res, 403, "ForbiddenError", "supervisors only");
    return send(res, 200, {
      queues: queues.map((qq) => {
        const inQ = [...cases.values()].filter((c) => open(c) && c.queue === qq.name);
        return {
          ...qq,
          open: inQ.length,
          unassigned: inQ.filter((c) => !c.assignee).length,
          at_risk: inQ.filter((c) => c.service.next_deadline && Date.parse(c.service.next_deadline) - now() < 15 * MIN && Date.parse(c.service.next_deadline) > now()).length,
          breached: inQ.filter((c) => c.service.breached.length).length,
          agents: agents.filter((a) => a.queues.includes(qq.name)).map((a) => ({ agent_id: a.agent_id, name: a.name, open: inQ.filter((c) => c.assignee === a.agent_id).length })),
        };
      }),
    });
  }
  if (path === "/quality/interceptions") {
    const text = "您好，我们保证三天内退款。We guarantee a refund 😀 — guarantee!";
    const cp = [...text];
    const find = (needle) => {
      const spans = [];
      for (let i = 0; i + [...needle].length <= cp.length; i++) if (cp.slice(i, i + [...needle].length).join("").toLowerCase() === needle) spans.push([i, i + [...needle].length]);
      return spans;
    };
    return send(res, 200, {
      interceptions: [
        { at: iso(now() - 3600_000), case_id: "CA0000EMAIL", agent_id: "li.na", channel: "email", phrase: "guarantee", text, spans: find("guarantee") },
        { at: iso(now() - 7200_000), case_id: "CA000003", agent_id: "sam.lee", channel: "wechat", phrase: "保证", text, spans: find("保证") },
      ],
      by_agent: { "li.na": 1, "sam.lee": 1 },
      by_day: { [iso(now()).slice(0, 10)]: 2 },
    });
  }
  if (path === "/reports/sla/daily") {
    const from = q.get("from");
    const to = q.get("to");
    const days = [];
    for (let d = new Date(`${from}T00:00:00Z`); d < new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
      const total = Math.floor(rnd() * 8);
      const met = Math.floor(rnd() * (total + 1));
      const tt = 5 + Math.floor(rnd() * 20);
      const tm = Math.floor(tt * (0.6 + rnd() * 0.4));
      const dist = { 1: Math.floor(rnd() * 2), 2: Math.floor(rnd() * 2), 3: Math.floor(rnd() * 3), 4: Math.floor(rnd() * 4), 5: Math.floor(rnd() * 6) };
      const answers = Object.values(dist).reduce((a, b) => a + b, 0);
      const sat = dist[4] + dist[5];
      const callback = { met: 0, total: rnd() < 0.3 ? 1 : 0, rate: null };
      days.push({
        date: d.toISOString().slice(0, 10),
        chat_answer_rate: { met, total, rate: total ? met / total : null },
        ticket_response_rate: { met: tm, total: tt, rate: tm / tt },
        callback_rate: callback,
        key_complaint_callback_rate: { met: 0, total: 0, rate: null },
        low_score_callback_rate: callback,
        csat: { satisfied: sat, answers, rate: answers ? sat / answers : null, distribution: dist },
        breaches_by_queue: rnd() < 0.5 ? { general: Math.floor(rnd() * 3), billing: Math.floor(rnd() * 2) } : {},
        escalations_by_queue: rnd() < 0.3 ? { vip: 1 } : {},
      });
    }
    return send(res, 200, { from, to, days });
  }
  if (path === "/cases" && req.method === "GET") {
    const cid = q.get("customer_id");
    const list = [...cases.values()].filter((c) => !cid || c.customer_id === cid).slice(0, 50);
    return send(res, 200, { cases: list.map(({ csat, reply_window, ...c }) => c), next: null });
  }
  let mm = path.match(/^\/customers\/([^/]+)(\/merge)?$/);
  if (mm) {
    const cust = customers.get(decodeURIComponent(mm[1]));
    if (!cust) return err(res, 404, "NotFoundError", "customer not found");
    if (req.method === "GET") return send(res, 200, cust);
    if (m.role === "agent") return err(res, 403, "ForbiddenError", "supervisors only");
    const b = await readBody(req);
    if (mm[2]) {
      const src = customers.get(b.source_customer_id);
      if (!src) return err(res, 404, "NotFoundError", "source customer not found");
      cust.identities.push(...src.identities);
      src.merged_into = cust.customer_id;
      return send(res, 200, cust);
    }
    Object.assign(cust, b);
    return send(res, 200, cust);
  }
  mm = path.match(/^\/cases\/([^/]+)(?:\/([a-z]+)(?:\/([^/]+))?)?$/);
  if (mm) {
    const c = cases.get(decodeURIComponent(mm[1]).toUpperCase());
    if (!c) return err(res, 404, "NotFoundError", `case ${mm[1]} not found`);
    const sub = mm[2];
    const { csat, reply_window, ...plain } = c;
    if (!sub && req.method === "GET") {
      const cust = customers.get(c.customer_id);
      const others = [...cases.values()].filter((x) => x.customer_id === c.customer_id && x.case_id !== c.case_id);
      return send(res, 200, {
        case: c,
        messages: threads.get(c.case_id) ?? [],
        customer: cust
          ? {
              ...cust,
              other_open_cases: others.filter(open).slice(0, 10).map((x) => ({ case_id: x.case_id, status: x.status, subject: x.subject, channel: x.channel, priority: x.priority, queue: x.queue, assignee: x.assignee, updated_at: x.updated_at })),
              past_cases: others.filter((x) => !open(x)).slice(0, 10).map((x, i) => ({ case_id: x.case_id, subject: x.subject, channel: x.channel, status: x.status, solved_at: x.updated_at, csat: i % 3 === 0 ? null : 1 + (i % 5) })),
            }
          : null,
      });
    }
    if (!sub && req.method === "PATCH") {
      const b = await readBody(req);
      if (b.version !== undefined && b.version !== c.version) return err(res, 409, "Conflict", "the case changed since", { case: plain });
      if (b.status === "closed" && c.status === "new") return err(res, 409, "invalid-transition", "a new case cannot be closed");
      const { version, reason, ...fields } = b;
      for (const [k, v] of Object.entries(fields)) {
        if (k === "problem_key") c.service.problem_key = v || null;
        else c[k] = v;
      }
      touch(c);
      const { csat: _a, reply_window: _b, ...after } = c;
      return send(res, 200, { case: after });
    }
    if (sub === "events") {
      return send(res, 200, {
        events: [
          { event_id: "E1", at: c.created_at, kind: "routed", actor: "system", reason: "rule default", detail: { queue: c.queue } },
          { event_id: "E2", at: c.created_at, kind: "deadline_set", actor: "system", reason: null, detail: { clock: "first_response", due_at: c.service.next_deadline } },
          { event_id: "E3", at: iso(now() - 600_000), kind: "assigned", actor: "wang.fang", reason: "<b>not html</b>", detail: { assignee: c.assignee } },
          ...(c.service.breached.length ? [{ event_id: "E4", at: iso(now() - 300_000), kind: "sla_breached", actor: "system", reason: "first_response", detail: null }] : []),
        ],
      });
    }
    if (sub === "claim") {
      if (c.assignee && c.assignee !== user) return err(res, 409, "already-assigned", `held by ${c.assignee}`);
      c.assignee = user;
      touch(c);
      return send(res, 200, { case: plain });
    }
    if (sub === "links") {
      const b = await readBody(req);
      if (!cases.has(String(b.case_id).toUpperCase())) return err(res, 404, "NotFoundError", `case ${b.case_id} not found`);
      c.service.links.push(`${b.kind === "merge" ? "merged-from" : "related"}:${b.case_id}`);
      touch(c);
      return send(res, 200, { case: plain });
    }
    if (sub === "attachments") {
      const att = mm[3];
      if (att === "A1-2") return err(res, 410, "Gone", "quarantined");
      if (att !== "A1-0" && att !== "A1-1") return err(res, 404, "NotFoundError", "attachment not found");
      return send(res, 200, { url: "/console/favicon.svg", expires_at: iso(now() + 300_000), filename: "x", content_type: "image/svg+xml", size: 10 });
    }
    if (sub === "replies" || sub === "notes") {
      const b = await readBody(req);
      if (!b.body) return err(res, 400, "BadRequestError", "body required");
      if (sub === "replies") {
        const cp = [...b.body];
        for (const phrase of ["guarantee", "保证"]) {
          const n = [...phrase].length;
          const spans = [];
          for (let i = 0; i + n <= cp.length; i++) if (cp.slice(i, i + n).join("").toLowerCase() === phrase) spans.push([i, i + n]);
          if (spans.length) return err(res, 422, "blocked-phrase", `the reply contains a blocked phrase: ${phrase}`, { phrase, spans });
        }
      }
      const message = msg(c, sub === "replies" ? "outbound" : "note", b.body, {
        kind: sub === "replies" ? "human" : "note",
        delivery_status: sub === "replies" ? "queued" : null,
        sender: user,
        sender_name: me(user).name,
      });
      threads.get(c.case_id).push(message);
      c.message_count += 1;
      touch(c);
      const { csat: _a, reply_window: _b, ...after } = c;
      return send(res, 201, { case: after, message });
    }
  }
  return err(res, 404, "NotFoundError", `no route ${req.method} ${path}`);
}

// ---- static + proxy --------------------------------------------------------------------------------------------

async function serveStatic(res, pathname) {
  let rel = pathname.replace(/^\/console\/?/, "") || "index.html";
  let file = normalize(join(DIST, rel));
  if (!file.startsWith(DIST)) file = join(DIST, "index.html");
  try {
    if (!(await stat(file)).isFile()) file = join(DIST, "index.html");
  } catch {
    file = join(DIST, "index.html");
  }
  const body = await readFile(file);
  res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", ...SECURITY });
  res.end(body);
}

function proxy(req, res) {
  const target = new URL(req.url, PROXY);
  const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on("error", (e) => err(res, 502, "BadGateway", String(e)));
  req.pipe(upstream);
}

createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  try {
    if (url.pathname === "/console") {
      res.writeHead(301, { Location: "/console/" });
      return res.end();
    }
    if (url.pathname.startsWith("/console/")) return await serveStatic(res, url.pathname);
    if (PROXY) return proxy(req, res);
    return await api(req, res, url);
  } catch (e) {
    console.error(e);
    err(res, 500, "InternalError", "mock failure");
  }
}).listen(PORT, "127.0.0.1", () => console.log(`console at http://127.0.0.1:${PORT}/console/ (${PROXY ? `proxy → ${PROXY}` : "mock API"})`));
