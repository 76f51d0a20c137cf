/**
 * The bot's coded errors: `isBotError` tells them apart by code, and every error class in
 * `src/errors.ts` carries a code of the `ErrorCode` union.
 */
import { expect } from 'chai';
import * as errors from '../../src/errors.js';
import {
  BotError,
  CardError,
  ConfigError,
  type ErrorCode,
  InvalidCardError,
  isBotError,
  JournalError,
  StateError,
} from '../../src/errors.js';

/** Every code of the union, once: the type makes this list complete (a code added or removed fails to compile). */
const CODES: Record<ErrorCode, true> = {
  CONFIG_INVALID: true,
  SKILL_LOAD_FAILED: true,
  PATTERN_INVALID: true,
  CARD_LOAD_FAILED: true,
  CARD_CHECK_FAILED: true,
  CARD_RENDER_FAILED: true,
  CARD_INVALID: true,
  CARD_UNKNOWN: true,
  BUILD_FAILED: true,
  STARTUP_TIMEOUT: true,
  WEBEX_UNAUTHORIZED: true,
  WEBEX_UNREACHABLE: true,
  WEBHOOKS_FAILED: true,
  WEBEX_TIMEOUT: true,
  WEBEX_CALL_FAILED: true,
  WEBEX_BAD_ANSWER: true,
  REPLY_REFUSED: true,
  REPLY_UNCERTAIN: true,
  REPLY_SUPPRESSED: true,
  STATE_FAILED: true,
  STATE_CORRUPT: true,
  STATE_DIR_UNWRITABLE: true,
  REDIS_UNREACHABLE: true,
  EVENT_TAKEN_OVER: true,
  JOURNAL_CORRUPT: true,
  JOURNAL_LOCKED: true,
  JOURNAL_FAILED: true,
  JOURNAL_CLOSED: true,
  JOURNAL_MISUSE: true,
  ASSISTANT_TIMEOUT: true,
  ASSISTANT_UNREACHABLE: true,
  ASSISTANT_FAILED: true,
  ASSISTANT_BAD_ANSWER: true,
  ASSISTANT_ABORTED: true,
  FILE_TOO_LARGE: true,
  FILE_REFUSED: true,
  FILE_UNAVAILABLE: true,
  WEBEX_NOT_CONNECTED: true,
};

/** One instance of each error class `src/errors.ts` exports, by class name. */
const EXAMPLES: Record<string, () => BotError> = {
  BotError: () => new errors.BotError('STATE_FAILED', 'x'),
  ConfigError: () => new errors.ConfigError(['PORT is not a number']),
  SkillLoadError: () => new errors.SkillLoadError('skills/x.ts', 'no default export'),
  PatternSyntaxError: () => new errors.PatternSyntaxError('<x>', 'it must start with a word'),
  CardError: () => new errors.CardError('CARD_UNKNOWN', 'nope', 'no card "nope"'),
  CardCheckError: () => new errors.CardCheckError([{ file: 'cards/x.json', problems: ['not JSON'] }]),
  InvalidCardError: () => new errors.InvalidCardError(['"body" is missing']),
  BuildError: () => new errors.BuildError('the build failed: skills/x.ts:1:1: ERROR: Unexpected "}"'),
  StartupError: () => new errors.StartupError('STARTUP_TIMEOUT', 'too slow'),
  WebexTimeoutError: () => new errors.WebexTimeoutError('GET /people/me', 5000),
  WebexHttpError: () => new errors.WebexHttpError(503, {}, { message: 'busy' }, 'GET /rooms'),
  WebexNetworkError: () => new errors.WebexNetworkError('ECONNREFUSED', true, 'GET /rooms'),
  WebexBadAnswerError: () => new errors.WebexBadAnswerError('GET /rooms', 'an empty body'),
  TokenRejectedError: () => new errors.TokenRejectedError('GET /rooms'),
  ReplyRefusedError: () => new errors.ReplyRefusedError('the markdown is too long'),
  ReplyUncertainError: () => new errors.ReplyUncertainError('room-1'),
  ReplySuppressedError: () => new errors.ReplySuppressedError('room-1'),
  EventTakenOverError: () => new errors.EventTakenOverError('room-1'),
  StateError: () => new errors.StateError('STATE_CORRUPT', 'state.json', 'not JSON'),
  JournalError: () => new errors.JournalError('JOURNAL_LOCKED', 'events.journal', 'locked'),
  AssistantError: () => new errors.AssistantError('ASSISTANT_FAILED', 'the model answered HTTP 500', { status: 500 }),
  FileTooLargeError: () => new errors.FileTooLargeError('big.bin', 1024, 4096),
  FileRefusedError: () => new errors.FileRefusedError('https://elsewhere.example/f', 'not the Webex API'),
  FileUnavailableError: () => new errors.FileUnavailableError(423, 'still being scanned'),
  NotConnectedError: () => new errors.NotConnectedError('space.members()'),
};

const isErrorClass = (value: unknown): value is new (...args: never[]) => Error =>
  typeof value === 'function' && (value === Error || value.prototype instanceof Error);

describe('errors', () => {
  describe('isBotError', () => {
    it('is true for any coded error of the bot, and with a code only for that code', () => {
      const err = new ConfigError(['PORT is not a number']);
      expect(isBotError(err)).to.equal(true);
      expect(isBotError(err, 'CONFIG_INVALID')).to.equal(true);
      expect(isBotError(err, 'CARD_INVALID')).to.equal(false);
      expect(isBotError(new JournalError('JOURNAL_LOCKED', 'f', 'm'), 'JOURNAL_LOCKED')).to.equal(true);
      expect(isBotError(new StateError('STATE_FAILED', 'f', 'm'), 'STATE_CORRUPT')).to.equal(false);
    });

    it('is false for what only looks like one: other errors, a code on a plain object, nothing', () => {
      const lookalike = Object.assign(new Error('x'), { code: 'CARD_INVALID', problems: [] });
      for (const value of [lookalike, { code: 'CARD_INVALID' }, new Error('x'), 'CARD_INVALID', null, undefined, 0]) {
        expect(isBotError(value), String(value)).to.equal(false);
        expect(isBotError(value, 'CARD_INVALID'), String(value)).to.equal(false);
      }
    });

    it('narrows to the class of the code, so its own fields can be read', () => {
      const err: unknown = new InvalidCardError(['"body" is missing']);
      // Compiles only because the code narrows `err` (to CardError | InvalidCardError).
      if (!isBotError(err, 'CARD_INVALID')) expect.fail('not recognised');
      expect(err.code).to.equal('CARD_INVALID');
      expect('problems' in err && err.problems).to.deep.equal(['"body" is missing']);
      const config: unknown = new ConfigError(['a', 'b']);
      if (!isBotError(config, 'CONFIG_INVALID')) expect.fail('not recognised');
      expect(config.problems).to.deep.equal(['a', 'b']);
    });

    it('recognises an error from another copy of the module (where instanceof would not)', async () => {
      const copy = (await import(`../../src/errors.js?copy=${Date.now()}`)) as typeof errors;
      expect(copy.BotError).to.not.equal(BotError);
      const err = new copy.CardError('CARD_UNKNOWN', 'nope', 'no card');
      expect(err instanceof BotError).to.equal(false);
      expect(isBotError(err, 'CARD_UNKNOWN')).to.equal(true);
      expect(copy.isBotError(new CardError('CARD_UNKNOWN', 'nope', 'no card'), 'CARD_UNKNOWN')).to.equal(true);
    });
  });

  describe('the error classes', () => {
    const classes = Object.entries(errors).filter(([, value]) => isErrorClass(value));

    it('are all coded errors (BotError and its subclasses)', () => {
      expect(classes.length).to.be.greaterThan(10);
      for (const [name, value] of classes) {
        expect(value === BotError || (value as { prototype: object }).prototype instanceof BotError, name).to.equal(
          true,
        );
      }
    });

    it('each carry a code of the ErrorCode union', () => {
      for (const [name, value] of classes) {
        const make = EXAMPLES[name];
        if (!make) expect.fail(`${name} is exported by src/errors.ts but has no example in this test`);
        const err = make();
        expect(err, name).to.be.instanceOf(value as new (...args: never[]) => Error);
        expect(Object.hasOwn(CODES, err.code), `${name}: ${err.code}`).to.equal(true);
        expect(isBotError(err, err.code), name).to.equal(true);
        expect(err.name, name).to.equal(name);
      }
    });
  });
});
