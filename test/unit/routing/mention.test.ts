import { expect } from 'chai';
import { mentionLabels, stripMention, uuidOfWebexId } from '../../../src/routing/mention.js';

const uuid = '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const botId = Buffer.from(`ciscospark://us/PEOPLE/${uuid}`).toString('base64url');
const bot = { id: botId, displayName: 'Skill Bot', firstName: 'Skill' };
const html = (label: string, id = botId) =>
  `<p><spark-mention data-object-type="person" data-object-id="${id}">${label}</spark-mention> help</p>`;

describe('mention stripping', () => {
  it('decodes the uuid of a Webex id', () => {
    expect(uuidOfWebexId(botId)).to.equal(uuid);
    expect(uuidOfWebexId('not-an-id')).to.equal(undefined);
  });

  it('strips the label the html mentions', () => {
    expect(stripMention('Skill Bot help', html('Skill Bot'), bot)).to.equal('help');
  });

  it('strips a shortened label (the sender kept only the first name)', () => {
    expect(stripMention('Skill help', html('Skill'), bot)).to.equal('help');
  });

  it('accepts the html mention by uuid as well as by id', () => {
    expect(mentionLabels(html('Skilly', uuid), bot)).to.deep.equal(['Skilly']);
    expect(stripMention('Skilly echo x', html('Skilly', uuid), bot)).to.equal('echo x');
  });

  it('ignores mentions of other people', () => {
    const other = Buffer.from('ciscospark://us/PEOPLE/11111111-2222-3333-4444-555555555555').toString('base64url');
    expect(mentionLabels(html('Alice', other), bot)).to.deep.equal([]);
    expect(stripMention('Alice help', html('Alice', other), bot)).to.equal('Alice help');
  });

  it('falls back to the display name, then the first name, without html', () => {
    expect(stripMention('skill bot, help', undefined, bot)).to.equal('help');
    expect(stripMention('Skill: echo hi', undefined, bot)).to.equal('echo hi');
  });

  it('does not cut a word that merely starts with the name', () => {
    expect(stripMention('Skillful help', undefined, bot)).to.equal('Skillful help');
  });

  it('leaves text without a mention alone (trimmed)', () => {
    expect(stripMention('  help  ', undefined, bot)).to.equal('help');
  });

  it('returns empty text for a bare mention', () => {
    expect(stripMention('Skill Bot', html('Skill Bot'), bot)).to.equal('');
  });

  it('decodes entities in the html label', () => {
    const b = { id: botId, displayName: 'R&D Bot' };
    expect(stripMention('R&D Bot help', html('R&amp;D Bot'), b)).to.equal('help');
  });
});
