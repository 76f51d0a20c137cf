/**
 * Where the metrics' own server (METRICS_PORT) listens, from the environment to the bound socket:
 * on loopback by default even when the bot's HOST is 0.0.0.0, on every interface only when
 * METRICS_HOST says so. Checked by scraping over real connections to this machine's other
 * addresses (a second loopback address on Linux, and its network interfaces' addresses), which
 * reach a server bound to 0.0.0.0 and are refused by one bound to 127.0.0.1.
 */
import { expect } from 'chai';
import { get } from 'node:http';
import { networkInterfaces } from 'node:os';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import { type BotMetricsSetup, setUpMetrics } from '../../src/metrics/setup.js';

const SECRET = 'a-long-enough-secret-0123';

/** A bot with a token taking webhooks on every interface (HOST=0.0.0.0), metrics on a free port of their own. */
const WEBHOOK_BOT = {
  WEBEX_BOT_TOKEN: 'token_0123',
  WEBHOOK_URL: 'https://bot.example.com/webhook',
  WEBHOOK_SECRET: SECRET,
  HOST: '0.0.0.0',
  METRICS_PORT: '0',
};

/** Addresses of this machine other than 127.0.0.1: what a server bound to 127.0.0.1 must not answer on. */
function otherAddresses(): string[] {
  const external = Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && i.family === 'IPv4' && !i.internal)
    .map((i) => i!.address);
  // All of 127.0.0.0/8 is this machine on Linux; elsewhere only 127.0.0.1 may be configured.
  return process.platform === 'linux' ? ['127.0.0.2', ...external] : external;
}

/** The status of `GET /metrics` at `address:port`, or `refused` when nothing listens there. */
function scrape(address: string, port: number): Promise<number | 'refused'> {
  return new Promise((resolve, reject) => {
    const req = get({ host: address, port, path: '/metrics', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNREFUSED' ? resolve('refused') : reject(err)));
  });
}

describe('Metrics on a port of their own: the address they listen on', function () {
  this.timeout(30_000);
  let measuring: BotMetricsSetup | undefined;
  afterEach(async () => measuring?.close());

  /** Starts the metrics the way the bot does (with its HOST and port), from `env`; returns their port. */
  async function serve(env: Record<string, string>): Promise<number> {
    const config = loadConfig(env);
    measuring = setUpMetrics(config.metrics);
    const url = await measuring.start(config.host, config.port, silentLogger);
    return Number(new URL(url!).port);
  }

  it('with METRICS_PORT and HOST=0.0.0.0, listens on 127.0.0.1 only', async function () {
    const others = otherAddresses();
    if (others.length === 0) this.skip();
    expect(loadConfig(WEBHOOK_BOT).host).to.equal('0.0.0.0');
    const port = await serve(WEBHOOK_BOT);
    expect(await scrape('127.0.0.1', port)).to.equal(200);
    for (const address of others) expect(await scrape(address, port), address).to.equal('refused');
  });

  it('with METRICS_HOST=0.0.0.0, listens on every interface', async function () {
    const others = otherAddresses();
    if (others.length === 0) this.skip();
    const port = await serve({ ...WEBHOOK_BOT, METRICS_HOST: '0.0.0.0' });
    expect(await scrape('127.0.0.1', port)).to.equal(200);
    for (const address of others) expect(await scrape(address, port), address).to.equal(200);
  });

  it("reports the metrics' own address, not the bot's", async () => {
    measuring = setUpMetrics(loadConfig({ ...WEBHOOK_BOT, HOST: 'localhost' }).metrics);
    const url = new URL((await measuring.start('localhost', 3000, silentLogger))!);
    expect(url.hostname).to.equal('127.0.0.1');
    expect(url.port).to.not.equal('3000');
    expect(await scrape('127.0.0.1', Number(url.port))).to.equal(200);
  });

  it('serves an IPv6 METRICS_HOST at a bracketed URL', async function () {
    const hasIpv6Loopback = Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address === '::1'));
    if (!hasIpv6Loopback) this.skip();
    measuring = setUpMetrics(loadConfig({ ...WEBHOOK_BOT, METRICS_HOST: '::1' }).metrics);
    const url = new URL((await measuring.start('0.0.0.0', 3000, silentLogger))!);
    expect(url.hostname).to.equal('[::1]');
    expect(await scrape('::1', Number(url.port))).to.equal(200);
    expect(await scrape('127.0.0.1', Number(url.port))).to.equal('refused');
  });
});
