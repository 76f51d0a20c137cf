/**
 * Unit tests of the emulator's small pure parts: ids and tokens, markdown and mentions,
 * webhook filters and fault rules.
 */
import { expect } from 'chai';
import { filterMatches, parseFilter } from '../../src/emulator/delivery/filter.js';
import type { WebexEvent } from '../../src/emulator/events.js';
import { FaultBook, normalizeFaultPath } from '../../src/emulator/faults.js';
import { decodeId, isIdOf, isRealFormatToken, mintId, mintToken } from '../../src/emulator/ids.js';
import { markdownToHtml, renderMarkdown, type ResolveMention } from '../../src/emulator/messages/markdown.js';

describe('emulator units', () => {
  describe('ids and tokens', () => {
    it('mints base64url ids of ciscospark://us/<TYPE>/<uuid>, without padding', () => {
      const id = mintId('ROOM', 'bbceb1ad-43f1-3b58-9147-f14bb0c4d154');
      expect(id).to.equal(
        Buffer.from('ciscospark://us/ROOM/bbceb1ad-43f1-3b58-9147-f14bb0c4d154').toString('base64url'),
      );
      expect(id).to.match(/^[A-Za-z0-9_-]+$/);
      expect(decodeId(id)).to.deep.equal({ type: 'ROOM', uuid: 'bbceb1ad-43f1-3b58-9147-f14bb0c4d154' });
      expect(isIdOf(mintId('PEOPLE'), 'PEOPLE')).to.equal(true);
      expect(isIdOf(mintId('PEOPLE'), 'ROOM')).to.equal(false);
    });

    it('decodes padded base64 ids as Webex also writes them, and rejects other strings', () => {
      const padded = Buffer.from('ciscospark://us/MESSAGE/1234').toString('base64');
      expect(decodeId(padded)).to.deep.equal({ type: 'MESSAGE', uuid: '1234' });
      expect(decodeId('not an id')).to.equal(undefined);
      expect(decodeId(Buffer.from('https://example.com/x').toString('base64url'))).to.equal(undefined);
    });

    it("mints tokens in Webex's three-part format ending with the org uuid", () => {
      const org = '1eb65fdf-9643-417f-9974-ad72cae0e10f';
      const token = mintToken(org);
      const parts = token.split('_');
      expect(parts).to.have.length(3);
      expect(parts[2]).to.equal(org);
      expect(isRealFormatToken(token)).to.equal(true);
      expect(mintToken(org)).to.not.equal(token);
      expect(isRealFormatToken('abc')).to.equal(false);
      expect(isRealFormatToken('a_b_c')).to.equal(false);
    });
  });

  describe('markdown and mentions', () => {
    const people: Record<string, { id: string; displayName: string }> = {
      BOT: { id: 'BOT', displayName: 'Skill Bot' },
      'bob@example.com': { id: 'BOB', displayName: 'Bob Example' },
    };
    const resolve: ResolveMention = (_kind, value) => people[value];

    it('uses the label in text, a spark-mention in html, and lists each person once', () => {
      const r = renderMarkdown(
        '<@personId:BOT|Bot> and <@personEmail:bob@example.com|Bobby> and <@personId:BOT|again>',
        resolve,
      );
      expect(r.text).to.equal('Bot and Bobby and again');
      expect(r.mentionedPeople).to.deep.equal(['BOT', 'BOB']);
      expect(r.html).to.equal(
        '<p><spark-mention data-object-type="person" data-object-id="BOT">Bot</spark-mention> and ' +
          '<spark-mention data-object-type="person" data-object-id="BOB">Bobby</spark-mention> and ' +
          '<spark-mention data-object-type="person" data-object-id="BOT">again</spark-mention></p>',
      );
    });

    it('uses the display name when the label is left out, and leaves unknown people as plain text', () => {
      expect(renderMarkdown('<@personId:BOT> hi', resolve).text).to.equal('Skill Bot hi');
      const unknown = renderMarkdown('<@personId:NOBODY|Ghost> hi', resolve);
      expect(unknown).to.deep.equal({
        text: 'Ghost hi',
        html: '<p>Ghost hi</p>',
        mentionedPeople: [],
        mentionedGroups: [],
      });
    });

    it('supports <@all> as a group mention', () => {
      const r = renderMarkdown('<@all> standup', resolve);
      expect(r.text).to.equal('All standup');
      expect(r.mentionedGroups).to.deep.equal(['all']);
      expect(r.html).to.contain('data-object-type="groupMention"');
    });

    it('keeps text as written apart from mentions (pasted JSON survives)', () => {
      const json = '{ "type": "AdaptiveCard", "body": [ { "id": "input_text", "text": "*not italic*" } ] }';
      expect(renderMarkdown(json, resolve).text).to.equal(json);
    });

    it('escapes HTML and renders a small markdown subset', () => {
      expect(markdownToHtml('a <b> & **bold** *it* `x<y>` [site](https://example.com)')).to.equal(
        '<p>a &lt;b&gt; &amp; <strong>bold</strong> <em>it</em> <code>x&lt;y&gt;</code> <a href="https://example.com">site</a></p>',
      );
      expect(markdownToHtml('one\ntwo\n\nthree')).to.equal('<p>one<br/>two</p><p>three</p>');
      expect(markdownToHtml('before\n```json\n{"a": "**b**"}\n```\nafter')).to.equal(
        '<p>before</p><pre><code>{&quot;a&quot;: &quot;**b**&quot;}</code></pre><p>after</p>',
      );
    });

    it('cannot be tricked into raw HTML through a mention label', () => {
      const r = renderMarkdown('<@personId:BOT|<img src=x>> hi', resolve);
      expect(r.html).to.not.contain('<img');
    });
  });

  describe('webhook filters', () => {
    const event = (over: Partial<WebexEvent> = {}): WebexEvent => ({
      resource: 'messages',
      event: 'created',
      actorId: 'ALICE',
      data: { id: 'M1', roomId: 'R1', roomType: 'group', personId: 'ALICE', personEmail: 'alice@example.com' },
      audience: ['ALICE', 'BOT'],
      roomType: 'group',
      mentionedPeople: ['BOT'],
      ...over,
    });

    it('matches every pair, URL-decoding values', () => {
      expect(filterMatches(parseFilter('roomId=R1&personEmail=ALICE%40example.com'), event(), 'BOT')).to.equal(true);
      expect(filterMatches(parseFilter('roomId=R1&personId=BOB'), event(), 'BOT')).to.equal(false);
      expect(filterMatches(parseFilter('roomType=direct'), event(), 'BOT')).to.equal(false);
    });

    it('reads mentionedPeople=me as the webhook owner', () => {
      expect(filterMatches(parseFilter('mentionedPeople=me'), event(), 'BOT')).to.equal(true);
      expect(filterMatches(parseFilter('mentionedPeople=me'), event(), 'ALICE')).to.equal(false);
    });

    it('compares room filters with the room itself for rooms events', () => {
      const room = event({ resource: 'rooms', data: { id: 'R9', type: 'group' } });
      expect(filterMatches(parseFilter('roomId=R9&roomType=group'), room, 'BOT')).to.equal(true);
    });

    it('rejects malformed filters and unknown keys', () => {
      expect(() => parseFilter('roomId')).to.throw(/key=value/);
      expect(() => parseFilter('roomId=')).to.throw(/key=value/);
      expect(() => parseFilter('colour=red')).to.throw(/Unsupported filter key/);
      expect(() => parseFilter('roomId=%E0%A4%A')).to.throw(/URL-encoded/);
    });
  });

  describe('fault rules', () => {
    it('normalizes paths and uses each rule count times, first match first', () => {
      expect(normalizeFaultPath('messages/{id}/')).to.equal('/v1/messages/{id}');
      const book = new FaultBook();
      book.add({ method: 'get', path: '/messages/{id}', status: 500, count: 2 });
      book.add({ method: '*', path: '/v1/messages/{id}', status: 429 });
      expect(book.take('POST', '/v1/messages', '/v1/messages')).to.equal(undefined);
      expect(book.take('GET', '/v1/messages/abc', '/v1/messages/{id}')?.status).to.equal(500);
      expect(book.take('GET', '/v1/messages/def', '/v1/messages/{id}')?.status).to.equal(500);
      const third = book.take('GET', '/v1/messages/ghi', '/v1/messages/{id}');
      expect(third).to.include({ status: 429, retryAfter: 1 });
      expect(book.take('GET', '/v1/messages/jkl', '/v1/messages/{id}')).to.equal(undefined);
    });
  });
});
