import { expect } from 'chai';
import { configProblems as problems } from '../support/config-problems.js';
import { loadConfig } from '../../src/config.js';

describe('config: METRICS and METRICS_PORT', () => {
  it('is off by default, on the bot port with METRICS=true, on a port of its own with METRICS_PORT', () => {
    expect(loadConfig({}).metrics).to.equal(undefined);
    expect(loadConfig({ METRICS: 'false' }).metrics).to.equal(undefined);
    expect(loadConfig({ METRICS: 'true' }).metrics).to.deep.equal({});
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).to.deep.equal({ port: 9464 });
    expect(loadConfig({ METRICS: 'yes', METRICS_PORT: '9464' }).metrics).to.deep.equal({ port: 9464 });
  });

  it('names what is wrong', () => {
    expect(problems({ METRICS: 'maybe' })).to.deep.equal(['METRICS must be true or false, got "maybe"']);
    expect(problems({ METRICS_PORT: 'ninety' })[0]).to.match(/^METRICS_PORT must be an integer/);
    expect(problems({ PORT: '3000', METRICS_PORT: '3000' })[0]).to.match(/^METRICS_PORT must differ from PORT/);
    expect(problems({ METRICS: 'false', METRICS_PORT: '9464' })[0]).to.match(/contradicts METRICS_PORT/);
  });
});
