/**
 * The bot's reports ({@link BotMetrics}) as Prometheus metrics, with `prom-client`.
 *
 * Names follow Prometheus conventions: a `webex_bot_` prefix, snake case, base units in the
 * name (`_seconds`), `_total` on counters, bounded label values (resources, outcomes, skill
 * names, route templates — never ids or user text). Process and Node.js metrics are prom-client's
 * defaults (`process_*`, `nodejs_*`). Each bot has a registry of its own, so several bots in one
 * process (tests) do not mix their numbers.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BotMetrics, PipelineGauges } from './types.js';

/** Latency buckets for event handling, in seconds (a chat reply is expected within a few). */
const EVENT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Latency buckets for one Webex API attempt, in seconds. */
const CALL_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Latency buckets for one request to the assistant, in seconds (a language model takes seconds). */
const ASSISTANT_BUCKETS = [0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];

/** Metrics kept in a Prometheus registry; {@link PrometheusMetrics.render} gives the text exposition. */
export interface PrometheusMetrics extends BotMetrics {
  readonly registry: Registry;
  /** The content type of {@link render}'s text. */
  readonly contentType: string;
  /** All metrics in the Prometheus text format. */
  render(): Promise<string>;
}

/** The counters and histograms of what the bot does, in `registers`. */
function activityMetrics(registers: Registry[]) {
  return {
    webhooks: new Counter({
      name: 'webex_bot_webhooks_received_total',
      help: 'POSTs to the webhook path, by resource and outcome (refused ones by reason: signature, size, json)',
      labelNames: ['resource', 'outcome', 'reason'] as const,
      registers,
    }),
    dedupe: new Counter({
      name: 'webex_bot_dedupe_hits_total',
      help: 'Deliveries of an event already taken (Webex redeliveries)',
      registers,
    }),
    events: new Counter({
      name: 'webex_bot_events_handled_total',
      help: 'Events handled to the end, by the skill that ran (none when no skill did) and how it ended',
      labelNames: ['skill', 'outcome'] as const,
      registers,
    }),
    eventSeconds: new Histogram({
      name: 'webex_bot_event_handler_duration_seconds',
      help: 'Time from the start of handling an event (after its turn in the space queue) to its end, by skill',
      labelNames: ['skill'] as const,
      buckets: EVENT_BUCKETS,
      registers,
    }),
    calls: new Counter({
      name: 'webex_bot_webex_api_requests_total',
      help: 'Attempts of Webex API calls, by method, route template and status (HTTP status, timeout, or socket error code)',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    callSeconds: new Histogram({
      name: 'webex_bot_webex_api_request_duration_seconds',
      help: 'Time of one Webex API attempt, by method and route template',
      labelNames: ['method', 'route'] as const,
      buckets: CALL_BUCKETS,
      registers,
    }),
    jobRuns: new Counter({
      name: 'webex_bot_job_runs_total',
      help: 'Ticks of scheduled jobs, by skill, job and outcome (ok, failed, missed: skipped while the bot was down, overlap: still running)',
      labelNames: ['skill', 'job', 'outcome'] as const,
      registers,
    }),
    jobSeconds: new Histogram({
      name: 'webex_bot_job_duration_seconds',
      help: 'Time of one run of a scheduled job, by skill and job',
      labelNames: ['skill', 'job'] as const,
      buckets: EVENT_BUCKETS,
      registers,
    }),
    retries: new Counter({
      name: 'webex_bot_webex_api_retries_total',
      help: 'Webex API calls tried again by the governor, by method, route template and reason (rate_limited, transient, not_sent)',
      labelNames: ['method', 'route', 'reason'] as const,
      registers,
    }),
  };
}

/** The counters and histogram of the assistant, in `registers`. */
function assistantMetrics(registers: Registry[]) {
  return {
    requests: new Counter({
      name: 'webex_bot_assistant_requests_total',
      help: 'Requests to the assistant (messages that matched no command), by how they ended: answered, listed, usage, rate_limited, cut, timeout, failed, refused',
      labelNames: ['outcome'] as const,
      registers,
    }),
    requestSeconds: new Histogram({
      name: 'webex_bot_assistant_request_duration_seconds',
      help: 'Time from a request to the assistant to the last of its answer',
      buckets: ASSISTANT_BUCKETS,
      registers,
    }),
    toolCalls: new Counter({
      name: 'webex_bot_assistant_tool_calls_total',
      help: "The model's tool calls, by tool (unknown for a name it was not offered) and outcome: ran, invalid, unknown_tool, listed",
      labelNames: ['tool', 'outcome'] as const,
      registers,
    }),
    errors: new Counter({
      name: 'webex_bot_assistant_errors_total',
      help: 'Requests to the language model that failed, by code (ASSISTANT_TIMEOUT, ASSISTANT_FAILED...)',
      labelNames: ['code'] as const,
      registers,
    }),
  };
}

/** What the gauges read at each scrape (set once the pipeline and readiness exist). */
interface Watched {
  pipeline: PipelineGauges | undefined;
  ready: (() => boolean) | undefined;
}

/** The gauges of the moment, in `registers`, read from `watched` at each scrape. */
function stateGauges(registers: Registry[], watched: Watched): void {
  new Gauge({
    name: 'webex_bot_events_queued',
    help: 'Events accepted and waiting for their turn in their space queue',
    registers,
    collect() {
      this.set(watched.pipeline?.queued ?? 0);
    },
  });
  new Gauge({
    name: 'webex_bot_events_in_flight',
    help: 'Events being handled now',
    registers,
    collect() {
      this.set(watched.pipeline?.handling ?? 0);
    },
  });
  new Gauge({
    name: 'webex_bot_ready',
    help: '1 when the bot takes events (as /readyz says), else 0',
    registers,
    collect() {
      this.set(watched.ready?.() ? 1 : 0);
    },
  });
}

/** Creates a registry with the bot's metrics and the process metrics. */
export function createPrometheusMetrics(): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const { webhooks, dedupe, events, eventSeconds, calls, callSeconds, retries, jobRuns, jobSeconds } =
    activityMetrics(registers);
  const assistant = assistantMetrics(registers);
  const watched: Watched = { pipeline: undefined, ready: undefined };
  stateGauges(registers, watched);

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    webhookReceived(resource, outcome, refusal) {
      webhooks.inc(refusal ? { resource, outcome, reason: refusal } : { resource, outcome });
    },
    dedupeHit() {
      dedupe.inc();
    },
    eventHandled(skill, outcome, seconds) {
      events.inc({ skill, outcome });
      eventSeconds.observe({ skill }, seconds);
    },
    webexCall(method, route, status, seconds) {
      calls.inc({ method, route, status });
      callSeconds.observe({ method, route }, seconds);
    },
    webexRetry(method, route, reason) {
      retries.inc({ method, route, reason });
    },
    watchPipeline(source) {
      watched.pipeline = source;
    },
    watchReadiness(fn) {
      watched.ready = fn;
    },
    assistantRequest(outcome, seconds) {
      assistant.requests.inc({ outcome });
      assistant.requestSeconds.observe(seconds);
    },
    assistantToolCall(tool, outcome) {
      assistant.toolCalls.inc({ tool, outcome });
    },
    assistantError(code) {
      assistant.errors.inc({ code });
    },
    jobRun(skill, job, outcome, seconds) {
      jobRuns.inc({ skill, job, outcome });
      if (outcome === 'ok' || outcome === 'failed') jobSeconds.observe({ skill, job }, seconds);
    },
  };
}
