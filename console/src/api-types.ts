/** The API's shapes, as docs/console.md and /openapi.json describe them. Types only: no code. */

export type Channel = "email" | "sms" | "chat" | "wechat" | "phone";
export type CaseStatus = "new" | "open" | "pending" | "on_hold" | "solved" | "closed";
export type Priority = "low" | "normal" | "high" | "urgent";
export type Direction = "inbound" | "outbound" | "note";
export type DeliveryStatus = "queued" | "sent" | "delivered" | "undelivered" | "failed" | "bounced";
export type Role = "agent" | "supervisor" | "admin";

export const CHANNELS: readonly Channel[] = ["email", "sms", "chat", "wechat", "phone"];
export const STATUSES: readonly CaseStatus[] = ["new", "open", "pending", "on_hold", "solved", "closed"];
export const PRIORITIES: readonly Priority[] = ["low", "normal", "high", "urgent"];

export interface ApiErrorBody {
  Code: string;
  Message: string;
}

export interface SessionTokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export interface RefreshedTokens {
  access_token: string;
  expires_in: number;
}

export interface QueueInfo {
  name: string;
  description?: string | null;
  supervisor?: string | null;
}

export interface AgentInfo {
  agent_id: string;
  name: string;
  role: Role | string;
  queues: string[];
  available: boolean;
  /** when a state set through the API ends (ISO 8601); null when it holds until changed */
  until?: string | null;
}

export interface Me {
  tenant_id: string;
  tenant_name: string;
  agent_id: string | null;
  name: string | null;
  role: Role | string;
  time_zone: string | null;
  my_queues: string[];
  queues: QueueInfo[];
  agents: AgentInfo[];
}

export interface Deadline {
  clock: string;
  started_at: string | null;
  due_at: string | null;
  stopped_at: string | null;
  breached: boolean;
}

export interface Service {
  routed_by: string | null;
  tier: string | null;
  key_account: boolean | null;
  deadlines: Deadline[];
  paused: boolean;
  breached: string[];
  escalation_level: number;
  escalated_at?: string | null;
  first_response_at?: string | null;
  next_deadline?: string | null;
  closes_at?: string | null;
  dedicated_until?: string | null;
  links?: string[];
  merged_into?: string | null;
  problem_key?: string | null;
}

export interface Case {
  case_id: string;
  status: CaseStatus;
  channel: Channel;
  subject: string;
  customer_id: string | null;
  contact_address?: string | null;
  priority: Priority;
  queue: string;
  assignee: string | null;
  created_at: string | null;
  updated_at: string | null;
  message_count: number;
  follow_up_of?: string | null;
  tags: string[];
  service: Service;
  version: number | null;
}

export interface ReplyWindow {
  open: boolean;
  closes_at: string | null;
}

/** What the customer answered in the survey of the case a callback case calls back about. */
export interface CallbackSurvey {
  case_id: string;
  score: number;
  comment: string;
  answered_at: string;
}

export interface CaseDetailCase extends Case {
  csat?: number | null;
  reply_window?: ReplyWindow | null;
  callback_survey?: CallbackSurvey | null;
}

export interface CustomerBadge {
  customer_id: string;
  display_name: string | null;
  tier: string | null;
  key_account: string | null;
  dedicated_agent: string | null;
}

export interface InboxRow extends Case {
  customer: CustomerBadge | null;
  first_line: string;
}

export type InboxView = "mine" | "unassigned" | "queue" | "breached" | "at_risk" | "pending" | "solved";

export interface InboxPage {
  view: InboxView;
  cases: InboxRow[];
  next: string | null;
  total_open?: number;
}

export interface ChangesPage {
  cases: InboxRow[];
  cursor: string;
}

export interface Customer {
  customer_id: string;
  display_name: string | null;
  identities: string[];
  merged_into: string | null;
  tier: string | null;
  tags: string[];
  key_account: string | null;
  dedicated_agent: string | null;
}

export interface SearchResult {
  cases: InboxRow[];
  customers: Customer[];
}

export interface Attachment {
  attachment_id?: string;
  filename: string;
  content_type: string;
  size: number;
  url?: string;
  /** SES's scan of the mail it came in (PASS, FAIL, GRAY, PROCESSING_FAILED); null: not scanned */
  virus_verdict?: string | null;
  /** false: only at the provider's url */
  stored?: boolean;
}

/** POST /cases/{id}/uploads: a presigned S3 POST for one file */
export interface UploadSlot {
  upload_id: string;
  url: string;
  fields: Record<string, string>;
  max_bytes: number;
  expires_at: string;
}

export interface Message {
  message_id: string;
  direction: Direction;
  channel: Channel;
  kind: string;
  subject?: string;
  body_text: string;
  preview?: string;
  sender?: string | null;
  sender_name?: string | null;
  recipients?: string[];
  created_at: string | null;
  attachments: Attachment[];
  delivery_status?: DeliveryStatus | null;
  delivery_detail?: string | null;
  problems?: string[];
}

export interface CaseSummary {
  case_id: string;
  status: CaseStatus;
  subject: string;
  channel: Channel;
  priority: Priority;
  queue: string;
  assignee: string | null;
  updated_at: string | null;
}

export interface PastCase {
  case_id: string;
  subject: string;
  channel: Channel;
  status: CaseStatus;
  solved_at: string | null;
  csat: number | null;
}

export interface CaseCustomer extends Customer {
  other_open_cases: CaseSummary[];
  past_cases?: PastCase[];
}

export interface CaseDetail {
  case: CaseDetailCase;
  messages: Message[];
  customer: CaseCustomer | null;
}

export interface CaseResult {
  case: Case;
}

export interface CaseAndMessage {
  case: Case;
  message: Message;
}

export interface CaseEvent {
  event_id: string;
  at: string | null;
  kind: string;
  actor: string;
  reason?: string | null;
  detail?: Record<string, unknown> | null;
}

export interface EventList {
  events: CaseEvent[];
}

export interface CasePage {
  cases: Case[];
  next: string | null;
}

export interface CasePatch {
  status?: CaseStatus;
  priority?: Priority;
  queue?: string;
  assignee?: string | null;
  tags?: string[];
  problem_key?: string;
  reason?: string;
  version?: number;
}

export interface CustomerPatch {
  display_name?: string | null;
  tier?: string | null;
  tags?: string[];
  key_account?: string | null;
  dedicated_agent?: string | null;
}

export interface AttachmentLink {
  url: string;
  /** null for a provider-hosted file */
  expires_at: string | null;
  filename: string;
  content_type: string;
  size: number;
}

export interface QueueBoardAgent {
  agent_id: string;
  name: string | null;
  open: number;
}

export interface QueueBoardRow {
  name: string;
  description?: string | null;
  supervisor?: string | null;
  open: number;
  unassigned: number;
  at_risk: number;
  breached: number;
  agents: QueueBoardAgent[];
}

export interface QueueBoard {
  queues: QueueBoardRow[];
}

export interface Interception {
  at: string;
  case_id: string;
  agent_id: string | null;
  channel: Channel;
  phrase: string;
  text: string;
  spans: [number, number][];
}

export interface InterceptionReport {
  from?: string;
  to?: string;
  time_zone?: string;
  interceptions: Interception[];
  by_agent: Record<string, number>;
  by_day: Record<string, number>;
}

export interface RatePoint {
  met: number;
  total: number;
  rate: number | null;
}

export interface CsatPoint {
  satisfied: number;
  answers: number;
  rate: number | null;
  distribution: Record<"1" | "2" | "3" | "4" | "5", number>;
}

export interface SlaDay {
  date: string;
  cases?: number;
  chat_answer_rate: RatePoint;
  ticket_response_rate: RatePoint;
  callback_rate: RatePoint;
  key_complaint_callback_rate: RatePoint; // the callback cases of solved key complaints (重点客诉)
  low_score_callback_rate: RatePoint; // those of low survey scores
  csat: CsatPoint;
  breaches_by_queue: Record<string, number>;
  escalations_by_queue: Record<string, number>;
}

export interface SlaDaily {
  from: string;
  to: string;
  time_zone?: string;
  days: SlaDay[];
}

/** PUT /agents/{id}/availability's answer: the state stored and the cases going away handed back. */
export interface Availability {
  agent_id: string;
  available: boolean;
  until: string | null;
  changed_by: string;
  changed_at: string | null;
  handed_back: { count: number; case_ids: string[] };
}

/** POST /cases's answer (201 new, 200 for a repeated Idempotency-Key). */
export interface OpenedCase {
  case: Case;
  messages: Message[];
}

/** POST /cases/{id}/calls's answer: the case, the call's events, and its note when one was written. */
export interface CaseAndCall {
  case: Case;
  events: CaseEvent[];
  note?: Message;
}

/** The 422 a reply gets from the quality check. */
export interface BlockedPhraseBody extends ApiErrorBody {
  Code: "blocked-phrase";
  phrase: string;
  spans: [number, number][];
}

/** The 409 of a PATCH whose `version` is stale. */
export interface ConflictBody extends ApiErrorBody {
  case?: Case;
}
