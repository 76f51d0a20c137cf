import { expect } from 'chai';
import { createPrometheusMetrics } from '../../../src/metrics/prometheus.js';
import { NO_METRICS } from '../../../src/metrics/types.js';

describe('assistant: metrics', () => {
  it('counts requests by outcome with their latency, tool calls and errors', async () => {
    const metrics = createPrometheusMetrics();
    metrics.assistantRequest('answered', 1.2);
    metrics.assistantRequest('answered', 3);
    metrics.assistantRequest('timeout', 30);
    metrics.assistantToolCall('ticket_open', 'ran');
    metrics.assistantToolCall('unknown', 'unknown_tool');
    metrics.assistantError('ASSISTANT_TIMEOUT');
    const text = await metrics.render();
    expect(text).to.include('webex_bot_assistant_requests_total{outcome="answered"} 2');
    expect(text).to.include('webex_bot_assistant_requests_total{outcome="timeout"} 1');
    expect(text).to.include('webex_bot_assistant_request_duration_seconds_count 3');
    expect(text).to.include('webex_bot_assistant_request_duration_seconds_bucket{le="2.5"} 1');
    expect(text).to.include('webex_bot_assistant_tool_calls_total{tool="ticket_open",outcome="ran"} 1');
    expect(text).to.include('webex_bot_assistant_tool_calls_total{tool="unknown",outcome="unknown_tool"} 1');
    expect(text).to.include('webex_bot_assistant_errors_total{code="ASSISTANT_TIMEOUT"} 1');
  });

  it('does nothing with metrics off', () => {
    expect(() => {
      NO_METRICS.assistantRequest('failed', 1);
      NO_METRICS.assistantToolCall('x', 'ran');
      NO_METRICS.assistantError('ASSISTANT_FAILED');
    }).to.not.throw();
  });
});
