import { expect } from 'chai';
import sinon from 'sinon';
import { StreamWriter } from '../../../src/assistant/stream-writer.js';
import { FakePoster } from './fake-poster.js';

const fenceLines = (markdown: string) => markdown.split('\n').filter((l) => /^(`{3,}|~{3,})/.test(l)).length;

describe('assistant: the stream writer', () => {
  let clock: sinon.SinonFakeTimers;
  let poster: FakePoster;

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000 });
    poster = new FakePoster();
  });
  afterEach(() => clock.restore());

  /** Streams `chunks`, `everyMs` apart on the fake clock. */
  async function stream(writer: StreamWriter, chunks: readonly string[], everyMs: number): Promise<void> {
    for (const chunk of chunks) {
      writer.append(chunk);
      await clock.tickAsync(everyMs);
    }
  }

  it('posts the placeholder at once, then shows the whole answer at the end', async () => {
    const writer = new StreamWriter(poster);
    await writer.start();
    expect(poster.current).to.deep.equal(['…']);
    await stream(writer, ['Hello ', '**Ada**', ', welcome.'], 10);
    await writer.finish();
    expect(poster.current).to.deep.equal(['Hello **Ada**, welcome.']);
    expect(poster.messages).to.have.length(1);
    expect(writer.text).to.equal('Hello **Ada**, welcome.');
  });

  it('spends at most nine edits while streaming and one at the end, spread out in time', async () => {
    const writer = new StreamWriter(poster, { minIntervalMs: 200, minGrowthBytes: 20 });
    await writer.start();
    const chunks = Array.from({ length: 300 }, (_, i) => `word${i} `);
    const editTimes: number[] = [];
    const message = () => poster.messages[0]!;
    for (const chunk of chunks) {
      const before = message().edits;
      writer.append(chunk);
      await clock.tickAsync(50);
      if (message().edits > before) editTimes.push(Date.now());
    }
    expect(message().edits, 'edits while streaming').to.equal(9);
    await writer.finish();
    expect(message().edits, 'with the final one').to.equal(10);
    expect(poster.current).to.deep.equal([chunks.join('')]);
    // Edit k comes at least k × 200 ms after the one before: the budget lasts through a long answer.
    const gaps = editTimes.slice(1).map((t, i) => t - editTimes[i]!);
    for (const [i, gap] of gaps.entries()) expect(gap, `gap before edit ${i + 2}`).to.be.at.least(200 * (i + 2));
  });

  it('waits for enough new text before an edit, and shows a pause in the stream once the interval is over', async () => {
    const writer = new StreamWriter(poster, { minIntervalMs: 100, minGrowthBytes: 10 });
    await writer.start();
    writer.append('tiny');
    await clock.tickAsync(1000);
    expect(poster.messages[0]!.edits, 'too little new text').to.equal(0);
    writer.append(' and now a little more');
    await clock.tickAsync(0);
    expect(poster.current).to.deep.equal(['tiny and now a little more']);
    writer.append(' and yet more text here');
    await clock.tickAsync(0);
    expect(poster.messages[0]!.edits, 'the interval is not over').to.equal(1);
    await clock.tickAsync(200); // no new text arrives: the timer shows what came
    expect(poster.current).to.deep.equal(['tiny and now a little more and yet more text here']);
  });

  it('never shows half a construct while streaming', async () => {
    const writer = new StreamWriter(poster, { minIntervalMs: 10, minGrowthBytes: 1 });
    await writer.start();
    const answer = 'See **the plan** and [the guide](https://example.com/g).\n\n```js\nconst a = 1;\n```\nDone.';
    await stream(writer, [...answer], 1000);
    await writer.finish();
    const seen = poster.messages[0]!.versions;
    expect(seen.length).to.be.greaterThan(5);
    for (const version of seen) {
      expect(fenceLines(version) % 2, version).to.equal(0);
      expect(version.split('**').length % 2, version).to.equal(1);
      expect(version.includes('[the guide') && !version.includes('(https://example.com/g)'), version).to.equal(false);
    }
    expect(seen.at(-1)).to.equal(answer);
  });

  it('continues a long answer in a new message past 7,439 bytes, each message within the rules', async () => {
    const writer = new StreamWriter(poster, { minIntervalMs: 100, minGrowthBytes: 50 });
    await writer.start();
    const paragraph = `${'All work and no play makes a dull bot. '.repeat(10)}\n\n`;
    const answer = paragraph.repeat(50); // about 20 KB
    await stream(writer, answer.match(/[\s\S]{1,100}/g)!, 20);
    await writer.finish();
    expect(poster.messages.length).to.be.within(3, 4);
    for (const m of poster.messages) {
      expect(m.edits).to.be.at.most(10);
      expect(Buffer.byteLength(m.versions.at(-1)!)).to.be.at.most(7439);
    }
    const shown = poster.current.join('\n\n').replace(/\s+/g, ' ').trim();
    expect(shown).to.equal(answer.replace(/\s+/g, ' ').trim());
  });

  it('loses no text that arrives while a message is finished and the next one posted', async () => {
    const slow = new FakePoster(300); // each post and edit takes 300 ms; text comes every 20 ms
    const writer = new StreamWriter(slow, { minIntervalMs: 100, minGrowthBytes: 50 });
    const started = writer.start();
    await clock.tickAsync(300);
    await started;
    const answer = Array.from({ length: 400 }, (_, i) => `Sentence number ${i} of a long answer. `).join('');
    await stream(writer, answer.match(/[\s\S]{1,60}/g)!, 20);
    const finished = writer.finish();
    await clock.tickAsync(10_000);
    await finished;
    expect(slow.messages.length).to.be.at.least(3);
    expect(slow.current.join(' ').replace(/\s+/g, ' ').trim()).to.equal(answer.replace(/\s+/g, ' ').trim());
  });

  it('closes a code block at the end of one message and reopens it in the next', async () => {
    const writer = new StreamWriter(poster, { minIntervalMs: 100, minGrowthBytes: 50 });
    await writer.start();
    const code = Array.from({ length: 400 }, (_, i) => `console.log(${i}); // line ${i}`).join('\n');
    const answer = `Here:\n\n\`\`\`js\n${code}\n\`\`\`\n\nThat is all.`;
    await stream(writer, answer.match(/[\s\S]{1,200}/g)!, 20);
    await writer.finish();
    expect(poster.messages.length).to.be.at.least(2);
    for (const text of poster.current) {
      expect(fenceLines(text) % 2, text.slice(0, 80)).to.equal(0);
      expect(Buffer.byteLength(text)).to.be.at.most(7439);
    }
    expect(poster.current[1]!.startsWith('```js\n')).to.equal(true);
  });

  it('keeps bold text and links whole across the cut between two messages', async () => {
    const writer = new StreamWriter(poster, { maxBytes: 400, minIntervalMs: 1, minGrowthBytes: 1 });
    await writer.start();
    const answer = `${'x'.repeat(150)} **${'bold words '.repeat(20).trim()}** and [a link to the guide](https://example.com/guide) end`;
    await stream(writer, answer.match(/[\s\S]{1,7}/g)!, 5);
    await writer.finish();
    const [first, second] = poster.current;
    // Closed where it is cut, reopened where it goes on: each message renders bold on its own.
    expect(first, first).to.match(/\S\*\*$/);
    expect(second, second).to.match(/^\*\*\S/);
    for (const text of poster.current) {
      expect(text.split('**').length % 2, text).to.equal(1);
      expect(Buffer.byteLength(text)).to.be.at.most(400);
    }
    expect(poster.current.join('')).to.include('[a link to the guide](https://example.com/guide)');
  });

  it('moves a link cut in two on to the next message whole', async () => {
    const writer = new StreamWriter(poster, { maxBytes: 400, minIntervalMs: 1, minGrowthBytes: 1 });
    await writer.start();
    const link = '[a link with many words in its text](https://example.com/guide)';
    const answer = `${'y '.repeat(110)}see ${link} end ${'z '.repeat(60)}`;
    await stream(writer, answer.match(/[\s\S]{1,7}/g)!, 5);
    await writer.finish();
    expect(poster.current).to.have.length(2);
    expect(poster.current[0]).to.match(/ see$/);
    expect(poster.current[1]!.startsWith(link)).to.equal(true);
  });

  it('splits one huge piece of text into as many messages as it takes', async () => {
    const writer = new StreamWriter(poster);
    await writer.start();
    writer.append('word '.repeat(5000)); // 25 KB at once
    await writer.finish();
    expect(poster.messages.length).to.equal(4);
    for (const m of poster.messages) expect(m.edits).to.be.at.most(10);
    expect(poster.current.join(' ').split(/\s+/).filter(Boolean)).to.have.length(5000);
  });

  it('adds a closing note, and deletes the placeholder of an answer that had no text', async () => {
    const cut = new StreamWriter(poster);
    await cut.start();
    cut.append('So far, so good');
    await cut.finish('_(cut short: the answer was too long)_');
    expect(poster.current).to.deep.equal(['So far, so good\n\n_(cut short: the answer was too long)_']);
    const empty = new StreamWriter(poster);
    await empty.start();
    await empty.finish();
    expect(poster.messages[1]!.deleted).to.equal(true);
    const apology = new StreamWriter(poster);
    await apology.start();
    await apology.finish('Sorry, I could not answer that.');
    expect(poster.current.at(-1)).to.equal('Sorry, I could not answer that.');
  });

  it('posts only when text comes if it was not started (no placeholder)', async () => {
    const writer = new StreamWriter(poster);
    await clock.tickAsync(5000);
    expect(poster.messages).to.have.length(0);
    writer.append('Right away.');
    await clock.tickAsync(0);
    expect(poster.current).to.deep.equal(['Right away.']);
    await writer.finish();
    expect(poster.messages[0]!.edits).to.equal(0);
  });

  it('stops editing after a failed edit, and posts the final text anew when its edit fails too', async () => {
    const writer = new StreamWriter(poster, { minIntervalMs: 1, minGrowthBytes: 1 });
    await writer.start();
    writer.append('first part');
    await clock.tickAsync(10);
    poster.failEdits = true;
    writer.append(' and the second');
    await clock.tickAsync(10);
    writer.append(' and the third');
    await clock.tickAsync(10);
    await writer.finish();
    expect(poster.messages[0]!.deleted).to.equal(true);
    expect(poster.current).to.deep.equal(['first part and the second and the third']);
  });

  it('fails to start when the placeholder cannot be posted', async () => {
    poster.failPosts = true;
    const writer = new StreamWriter(poster);
    try {
      await writer.start();
      expect.fail('started');
    } catch (err) {
      expect((err as Error).message).to.include('503');
    }
  });
});
