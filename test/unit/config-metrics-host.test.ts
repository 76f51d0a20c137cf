import { expect } from 'chai';
import { configProblems as problems } from '../support/config-problems.js';
import { loadConfig } from '../../src/config.js';

describe('config: METRICS_HOST', () => {
  it("is the host of the metrics' own port; unset, the metrics code defaults to loopback", () => {
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).to.deep.equal({
      port: 9464,
      host: '0.0.0.0',
    });
    expect(loadConfig({ METRICS_PORT: '9464', HOST: '0.0.0.0' }).metrics).to.deep.equal({ port: 9464 });
  });

  it('is refused without METRICS_PORT: metrics on PORT are served on HOST', () => {
    expect(problems({ METRICS: 'true', METRICS_HOST: '127.0.0.1' })).to.deep.equal([
      "METRICS_HOST is only used with METRICS_PORT (metrics on PORT are served by the bot's server, on HOST): set METRICS_PORT, or unset METRICS_HOST",
    ]);
    expect(problems({ METRICS_HOST: '0.0.0.0' })[0]).to.match(/^METRICS_HOST is only used with METRICS_PORT/);
  });
});
