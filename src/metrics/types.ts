/**
 * What the bot measures, as a small interface: the webhook route, the event pipeline and the
 * Webex call governor report to it, and never depend on a metrics library. `NO_METRICS` (the
 * default) does nothing; `src/metrics/prometheus.ts` turns the reports into Prometheus metrics.
 *
 * Every method is called on the hot path: implementations must be cheap and never throw.
 */

/** What became of one POST to the webhook path. */
export type WebhookOutcome =
  /** A new event, claimed and queued. */
  | 'accepted'
  /** Another delivery of an event already taken. */
  | 'duplicate'
  /** Well-formed and signed, but not an event the bot acts on (answered 200). */
  | 'ignored'
  /** Not taken now (draining, token rejected): answered 503 so that Webex delivers it again. */
  | 'unavailable'
  /** A doctor's self-test, answered without acting. */
  | 'self_test'
  /** Refused; the reason says why. */
  | 'refused';

/** Why a webhook POST was refused. */
export type WebhookRefusal = 'signature' | 'size' | 'json';

/** What one attempt of a Webex call got: an HTTP status (`200`, `429`...), `timeout`, or a socket error code. */
export type WebexCallStatus = string;

/** Why the governor tries a call again. */
export type WebexRetryReason = 'rate_limited' | 'transient' | 'not_sent';

/** A source of the pipeline's current numbers, read when metrics are collected (not per event). */
export interface PipelineGauges {
  /** Events accepted and waiting for their turn in their space's queue. */
  readonly queued: number;
  /** Events being handled right now. */
  readonly handling: number;
}

/** How one request to the assistant ended. */
export type AssistantOutcome =
  /** It answered in words (maybe after running commands). */
  | 'answered'
  /** It showed what the person can do. */
  | 'listed'
  /** The model could not make a command of the request twice: the person got its usage. */
  | 'usage'
  /** The person was over their rate: asked to wait, the model not asked. */
  | 'rate_limited'
  /** The answer was cut at the token cap. */
  | 'cut'
  /** The model did not answer in time: an apology (or the answer so far, finished). */
  | 'timeout'
  /** The model failed: an apology. */
  | 'failed'
  /** The model called a command the person may not run: they got the policy's refusal, nothing ran. */
  | 'refused';

/** What became of one tool call of the model. */
export type AssistantToolOutcome =
  /** The command ran (through the same path as a typed one). */
  | 'ran'
  /** Its arguments failed the schema, or did not make the command. */
  | 'invalid'
  /** The model named no tool it was offered. */
  | 'unknown_tool'
  /** The model named a command the person may not run (not offered): refused, not run. */
  | 'refused'
  /** The built-in list of what the person can do. */
  | 'listed';

/** The reports of the assistant. */
export interface AssistantMetrics {
  /** One request to the assistant ended (`seconds` from the message to the last of the answer). */
  assistantRequest(outcome: AssistantOutcome, seconds: number): void;
  /** A tool call of the model; `tool` is the tool's name, or `unknown` for a name it was not offered. */
  assistantToolCall(tool: string, outcome: AssistantToolOutcome): void;
  /** A request to the model failed with this code (`ASSISTANT_TIMEOUT`...). */
  assistantError(code: string): void;
}

/** The reports the bot makes. */
export interface BotMetrics extends AssistantMetrics {
  /** A POST to the webhook path was answered. `resource` is `unknown` when the body was not read (refusals). */
  webhookReceived(resource: string, outcome: WebhookOutcome, refusal?: WebhookRefusal): void;
  /** A delivery was recognised as a duplicate by the dedupe claim. */
  dedupeHit(): void;
  /** One event was handled to the end (`outcome` is how it ended; `skill` is `none` when no skill ran). */
  eventHandled(skill: string, outcome: string, seconds: number): void;
  /** One attempt of a Webex call ended. `route` is a template such as `/messages/{id}`. */
  webexCall(method: string, route: string, status: WebexCallStatus, seconds: number): void;
  /** The governor is about to try a Webex call again. */
  webexRetry(method: string, route: string, reason: WebexRetryReason): void;
  /** Where the queue and in-flight numbers are read from. */
  watchPipeline(source: PipelineGauges): void;
  /** Where readiness is read from. */
  watchReadiness(ready: () => boolean): void;
  /** A scheduled job's tick ended: `ok`, `failed`, `missed` (skipped while down) or `overlap` (still running). */
  jobRun(skill: string, job: string, outcome: JobOutcome, seconds: number): void;
}

/** How a job's tick ended. */
export type JobOutcome = 'ok' | 'failed' | 'missed' | 'overlap';

/** Metrics off: every report is dropped. */
export const NO_METRICS: BotMetrics = {
  webhookReceived() {},
  dedupeHit() {},
  eventHandled() {},
  webexCall() {},
  webexRetry() {},
  watchPipeline() {},
  watchReadiness() {},
  assistantRequest() {},
  assistantToolCall() {},
  assistantError() {},
  jobRun() {},
};
