/**
 * WebexApi: the REST calls the bot makes. A 2xx whose JSON is not what the call returns (`{}`, no
 * id) is a failure with a code, never a message treated as empty or a reply counted as posted.
 */
import { expect } from 'chai';
import { classifyFailure } from '../../../src/calls/failure.js';
import { webexApi } from '../../../src/webex/api.js';

type Fake = Parameters<typeof webexApi>[0];
const sdkAnswering = (answer: unknown): Fake =>
  ({
    messages: { get: async () => answer, create: async () => answer, list: async () => answer },
    attachmentActions: { get: async () => answer },
    people: { get: async () => answer },
  }) as unknown as Fake;

describe('WebexApi', () => {
  it('passes well-formed answers through', async () => {
    const message = { id: 'M', roomId: 'R', personId: 'P', text: 'hi' };
    expect(await webexApi(sdkAnswering(message)).getMessage('M')).to.deep.equal(message);
    expect(await webexApi(sdkAnswering({ items: [message] })).listMessages('R', 10)).to.deep.equal([message]);
  });

  it('refuses a 2xx of the wrong shape, naming the call and what is missing, as a failure the outbox treats as "maybe posted"', async () => {
    const api = webexApi(sdkAnswering({}));
    const calls: Array<[string, () => Promise<unknown>, RegExp]> = [
      ['getMessage', () => api.getMessage('M'), /GET \/messages\/\{id\} answered 2xx with no id, roomId, personId/],
      ['postMessage', () => api.postMessage({ roomId: 'R', text: 'x' }), /POST \/messages answered 2xx with no id/],
      ['getAttachmentAction', () => api.getAttachmentAction('A'), /no id, messageId, roomId, personId/],
      ['listMessages', () => api.listMessages('R', 5), /GET \/messages answered 2xx with no items/],
      ['getMe', () => api.getMe(), /GET \/people\/me answered 2xx with no id/],
    ];
    for (const [name, call, message] of calls) {
      const err = (await call().catch((e: unknown) => e)) as Error & { code?: string };
      expect(err.message, name).to.match(message);
      expect(err.code, name).to.equal('WEBEX_BAD_ANSWER');
      expect(classifyFailure(err), name).to.deep.equal({ kind: 'transient', reason: 'EBADANSWER' });
    }
  });
});
