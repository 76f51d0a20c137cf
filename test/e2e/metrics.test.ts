/**
 * "/metrics": a scripted conversation with a real bot against the emulator — commands, a card,
 * an unknown command, a 429 and a hang from Webex, a redelivery, bad requests — then a scrape,
 * which must hold each counter the conversation should have moved, by its labels.
 */
import { expect } from 'chai';
import { startTestBot, type TestBot } from '../../src/testing/test-bot.js';
import { deliveryOf, postToBot, settled } from './support/settle.js';

/** One sample of a scrape: `name{labels} value`. */
interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

function parseScrape(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, types };
}

/** The sum of the samples of `name` whose labels include `labels`. */
function total(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('Metrics', function () {
  this.timeout(60_000);

  describe('on the bot port (METRICS=true), after a scripted conversation', () => {
    let t: TestBot;
    before(async () => {
      t = await startTestBot({
        config: { metrics: {} },
        replyTimeoutMs: 20_000,
        tuning: {
          governor: {
            // Long enough that only the hung call times out (the test counts timeouts), however slow the machine.
            callTimeoutMs: 2000,
            backoff: { initialMs: 10, maxMs: 50 },
            rateLimit: { defaultMs: 20, minMs: 10, maxMs: 100, jitter: 0 },
          },
        },
      });
    });
    after(() => t.stop());

    it('counts webhooks by resource and outcome, events by skill and outcome, Webex calls by route and status, and serves process metrics', async () => {
      const first = await t.direct.send('echo one');
      await settled(t);
      await t.group.say('help');
      const card = await t.direct.say('feedback the metrics');
      await t.direct.submit(card, { rating: 'great', comment: 'fine' });
      await t.direct.say('hepl');
      t.emulator.faults.add({ method: 'GET', path: '/v1/messages/{id}', status: 429, retryAfter: 0, count: 1 });
      await t.direct.say('echo rate limited');
      t.emulator.faults.add({ method: 'GET', path: '/v1/messages/{id}', hang: true, count: 1 });
      await t.direct.say('echo after a hang');
      // Webex delivering the first message again; then two bad requests.
      const delivery = t.emulator.deliveries().find((d) => d.dataId === first.id && d.targetUrl === t.bot.webhookUrl)!;
      await deliveryOf(t, first.id);
      await t.emulator.redeliver(delivery.id);
      expect((await postToBot(t, '{"id":"x"}', { signature: 'f'.repeat(40) })).status).to.equal(401);
      expect((await postToBot(t, 'not json')).status).to.equal(400);
      await settled(t);

      expect(t.bot.metricsUrl).to.equal(`http://127.0.0.1:${t.bot.port}/metrics`);
      const res = await fetch(t.bot.metricsUrl!);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
      const { samples, types } = parseScrape(await res.text());
      const count = (name: string, labels: Record<string, string> = {}) => total(samples, name, labels);

      // Webhooks: 5 messages from people (+ the bot's own replies echoed back), 1 card submission.
      const fromPeople = 5 + 1; // echo one, help, feedback, hepl, echo rate limited, echo after a hang
      const botReplies = t.emulator
        .transcript(t.direct.roomId)
        .concat(t.emulator.transcript(t.group.roomId))
        .filter((m) => m.personId === t.emulator.bot.id).length;
      expect(count('webex_bot_webhooks_received_total', { resource: 'messages', outcome: 'accepted' })).to.equal(
        fromPeople + botReplies,
      );
      expect(
        count('webex_bot_webhooks_received_total', { resource: 'attachmentActions', outcome: 'accepted' }),
      ).to.equal(1);
      expect(count('webex_bot_webhooks_received_total', { resource: 'messages', outcome: 'duplicate' })).to.equal(1);
      expect(count('webex_bot_dedupe_hits_total')).to.equal(1);
      expect(count('webex_bot_webhooks_received_total', { outcome: 'refused', reason: 'signature' })).to.equal(1);
      expect(count('webex_bot_webhooks_received_total', { outcome: 'refused', reason: 'json' })).to.equal(1);

      // Events, by the skill that ran and how it ended.
      expect(count('webex_bot_events_handled_total', { skill: 'echo', outcome: 'handled' })).to.equal(3);
      expect(count('webex_bot_events_handled_total', { skill: 'help', outcome: 'handled' })).to.equal(1);
      expect(count('webex_bot_events_handled_total', { skill: 'feedback', outcome: 'handled' })).to.equal(2);
      expect(count('webex_bot_events_handled_total', { skill: 'none', outcome: 'unknown_command' })).to.equal(1);
      expect(count('webex_bot_events_handled_total', { skill: 'none', outcome: 'own_message' })).to.equal(botReplies);
      expect(count('webex_bot_event_handler_duration_seconds_count', { skill: 'echo' })).to.equal(3);
      expect(count('webex_bot_event_handler_duration_seconds_bucket', { skill: 'echo', le: '+Inf' })).to.equal(3);

      // Webex calls by route template and status: the 429, the timeout, and the retries after them.
      const fetches = { method: 'GET', route: '/messages/{id}' };
      expect(count('webex_bot_webex_api_requests_total', { ...fetches, status: '429' })).to.equal(1);
      expect(count('webex_bot_webex_api_requests_total', { ...fetches, status: 'timeout' })).to.equal(1);
      expect(count('webex_bot_webex_api_requests_total', { ...fetches, status: '200' })).to.be.at.least(fromPeople);
      expect(count('webex_bot_webex_api_retries_total', { ...fetches, reason: 'rate_limited' })).to.equal(1);
      expect(count('webex_bot_webex_api_retries_total', { ...fetches, reason: 'transient' })).to.equal(1);
      expect(
        count('webex_bot_webex_api_requests_total', { method: 'POST', route: '/messages', status: '200' }),
      ).to.equal(botReplies);
      expect(
        count('webex_bot_webex_api_requests_total', { method: 'GET', route: '/people/me', status: '200' }),
      ).to.be.at.least(1);
      expect(
        samples.some(
          (s) => s.name === 'webex_bot_webex_api_requests_total' && /[A-Za-z0-9_-]{20,}/.test(s.labels['route'] ?? ''),
        ),
      ).to.equal(false);

      // Gauges, and the process metrics.
      expect(count('webex_bot_events_queued')).to.equal(0);
      expect(count('webex_bot_events_in_flight')).to.equal(0);
      expect(count('webex_bot_ready')).to.equal(1);
      expect(count('process_cpu_seconds_total')).to.be.greaterThan(0);
      expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).to.equal(true);

      // Prometheus conventions: counters end in _total, durations are in seconds.
      for (const [name, type] of types) {
        if (!name.startsWith('webex_bot_')) continue;
        expect(name).to.match(/^[a-z][a-z0-9_]*$/);
        if (type === 'counter') expect(name).to.match(/_total$/);
        if (type === 'histogram') expect(name).to.match(/_seconds$/);
      }
    });
  });

  it('on a port of its own (METRICS_PORT): served there, not on the webhook port', async () => {
    const t = await startTestBot({ config: { metrics: { port: 0 } } });
    try {
      const url = new URL(t.bot.metricsUrl!);
      expect(Number(url.port)).to.not.equal(t.bot.port);
      const scrape = await fetch(url);
      expect(scrape.status).to.equal(200);
      expect(await scrape.text()).to.include('webex_bot_webhooks_received_total');
      expect((await fetch(`http://127.0.0.1:${t.bot.port}/metrics`)).status).to.equal(404);
      expect((await fetch(new URL('/other', url))).status).to.equal(404);
    } finally {
      await t.stop();
    }
  });

  it('off by default: no /metrics', async () => {
    const t = await startTestBot();
    try {
      expect(t.bot.metricsUrl).to.equal(undefined);
      expect((await fetch(`http://127.0.0.1:${t.bot.port}/metrics`)).status).to.equal(404);
    } finally {
      await t.stop();
    }
  });
});
