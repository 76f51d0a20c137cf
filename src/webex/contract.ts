/**
 * # The seam's contract: what the bot takes from `webex-node-bot-framework` and the `webex` SDK
 *
 * Read this first. `src/webex/` is the only folder that imports either library (a test fails
 * otherwise); everything else reaches Webex through {@link WebexSession} (`index.ts`).
 *
 * ## What we take, through their public API
 * - **The framework** (`webex-node-bot-framework`): creating and starting it (`new Framework(options)`,
 *   `start()`, `stop()`), the bot's identity (`person`, `email`), one bot object per space found
 *   on first contact (`maxStartupSpaces: 0`), the sender look-up for each event, and event
 *   dispatch: one catch-all `hears` and the `attachmentAction` event (`dispatch.ts`); its
 *   `log` event goes to our debug log. Its webhook registration runs, made safe (see below).
 * - **The SDK** (`webex`, the copy the framework requires): the REST plugins (messages, attachment
 *   actions, people, memberships, rooms, webhooks) behind {@link WebexApi}, and in websocket mode
 *   the device registration and the event socket ("Mercury").
 *
 * ## What we replace, and why
 * - The framework's own ingress (its webhook handler answers 200 before checking anything, checks
 *   signatures over re-serialised JSON, and never awaits handlers): the bot's receivers verify and
 *   queue events, and hand each to the framework's per-event processing (`framework-on-events`).
 * - Its start-up scan of every space, its unbounded bot objects, its webhook deletion on start and
 *   stop, and its late socket listeners: see the patch points.
 * - The SDK's request pipeline (no timeout, no retry of 429/5xx, most of the CPU of an event): the
 *   governor over a lean HTTP transport (`src/calls/`), installed under `request`.
 *
 * ## Patch points
 * Each is a place where the bot reaches past a library's public API. Both libraries are pinned to
 * exact versions in `package.json`; `test/unit/webex/contract.test.ts` has a probe per patch point
 * that fails naming it when the library under it changes shape, so an upgrade says what to redo.
 */

/** The library versions the patch points were written against (and `package.json` pins). */
export const LIBRARY_VERSIONS = { webex: '2.4.2', 'webex-node-bot-framework': '2.3.14' } as const;

/** One place where the bot reaches past a library's public API. */
export interface PatchPoint {
  /** A stable name (the probes are keyed by it). */
  readonly id: string;
  readonly library: keyof typeof LIBRARY_VERSIONS;
  /** Our file that does it. */
  readonly file: string;
  /** What of the library it touches. */
  readonly touches: string;
  /** Why the public API does not do. */
  readonly why: string;
}

/** Every patch point (see the file's comment). */
export const PATCH_POINTS: readonly PatchPoint[] = [
  {
    id: 'sdk-module-cache',
    library: 'webex',
    file: 'src/webex/lean-sdk.ts',
    touches:
      "the package's main module, replaced in Node's module cache by the same class built from @webex/webex-core with the bot's plugins",
    why: 'the full SDK loads meetings, calendar, presence and a global core-js polyfill: about 33 MB of memory and a fifth of the load time',
  },
  {
    id: 'sdk-init-hook',
    library: 'webex',
    file: 'src/webex/sdk.ts',
    touches: '`Webex.init`, wrapped while `framework.start()` creates its SDK instance',
    why: 'the framework takes no SDK configuration (API URL, people batcher, socket logger) and exposes its instance only after start has used it',
  },
  {
    id: 'sdk-request',
    library: 'webex',
    file: 'src/webex/govern-requests.ts',
    touches: '`sdk.request`, shadowed on the instance by the governor over the lean HTTP transport',
    why: 'the SDK has no request timeout, does not retry 429 or 5xx, and its request pipeline was most of the CPU of an event',
  },
  {
    id: 'people-get',
    library: 'webex',
    file: 'src/webex/patches.ts',
    touches: '`sdk.people.get`, for ids: a direct, cached `GET /people/{id}`',
    why: 'the people batcher leaves a look-up pending forever after a 429/5xx (stalling the space) and rejects unknown ids with a bare string plus an unhandled rejection',
  },
  {
    id: 'webhooks-as-ensure',
    library: 'webex',
    file: 'src/webex/patches.ts',
    touches:
      '`sdk.webhooks.list/remove/create` as the framework sees them: nothing listed, nothing removed, create means ensure',
    why: 'the framework deletes webhooks on start and stop and creates duplicates; restarts must reuse and re-activate them',
  },
  {
    id: 'socket-listeners-off',
    library: 'webex',
    file: 'src/webex/patches.ts',
    touches:
      '`listen`/`stopListening` of the messages, memberships, rooms and attachmentActions plugins (websocket mode)',
    why: "the framework's listeners attach only after all four resolve (events before are lost) and bypass the bot's queue; the bot's own socket carries the events",
  },
  {
    id: 'client-metrics-off',
    library: 'webex',
    file: 'src/webex/patches.ts',
    touches: '`sdk.internal.metrics.submitClientMetrics` (websocket mode)',
    why: 'the device and socket code queue client metrics sent later, also after the bot stopped, with retries that only add warnings',
  },
  {
    id: 'mercury-acknowledge',
    library: 'webex',
    file: 'src/webex/patches.ts',
    touches: '`Socket.prototype._acknowledge` of @webex/internal-plugin-mercury: its failures ignored',
    why: 'a frame arriving while the socket closes leaves an unhandled rejection, which stops a Node process',
  },
  {
    id: 'mercury-internals',
    library: 'webex',
    file: 'src/webex/event-socket.ts',
    touches:
      '`sdk.internal.mercury` (connect, disconnect, connected, _attemptConnection, its events), `sdk.internal.device` (url, refresh), `sdk.internal.services.getClusterId`',
    why: "websocket mode needs the device and the socket under the bot's own control: reconnects with backoff, a refused token failing start-up, every activity into the queue",
  },
  {
    id: 'framework-bots',
    library: 'webex-node-bot-framework',
    file: 'src/webex/space-objects.ts',
    touches: '`framework.bots`, filtered to the most recently active spaces',
    why: 'the framework keeps a bot object (about 8 KB) per space it has seen, forever',
  },
  {
    id: 'framework-on-events',
    library: 'webex-node-bot-framework',
    file: 'src/webex/dispatch.ts',
    touches:
      '`onMessageCreated(message)` and `onAttachmentActions(action)` (documented as private), handing over the very object later passed to handlers',
    why: "they are the framework's per-event dispatch; its public ingress answers before verifying anything and never awaits handlers",
  },
  {
    id: 'mercury-agent',
    library: 'webex',
    file: 'src/webex/index.ts',
    touches:
      "`config.defaultMercuryOptions.agent`: Mercury spreads `defaultMercuryOptions` into the options of `new WebSocket(url, [], options)` (the `ws` package), whose `agent` carries the socket's connection",
    why: "the SDK's socket connects directly whatever the proxy variables say; the framework's own `httpsProxy` option sets `defaultMercuryOptions` at a level Mercury never reads",
  },
  {
    id: 'sdk-upload-formdata',
    library: 'webex',
    file: 'src/webex/upload.ts',
    touches:
      "`messages.create` with a non-string in `files` sends `formData` through `request`; each part as `{ value, options: { filename, contentType, knownLength } }` (the form-data package's shape)",
    why: 'a file posted must be opened afresh for each attempt the governor makes, and the SDK takes a part only in that shape',
  },
  {
    id: 'framework-lifecycle-events',
    library: 'webex-node-bot-framework',
    file: 'src/webex/dispatch.ts',
    touches:
      "the `files`, `spawn` (with `addedBy` third), `despawn`, `memberEnters` and `memberExits` events, emitted from `process-event`'s membership handling and `onMessageCreated`",
    why: 'they are how the framework tells a bot added now from a space found late, and a message with a file from one without; the continuation waits under the space id (one event per space at a time)',
  },
  {
    id: 'framework-process-event',
    library: 'webex-node-bot-framework',
    file: 'src/webex/dispatch.ts',
    touches: '`webex-node-bot-framework/lib/process-event` (a private module), for membership and room events',
    why: 'it is where the framework fetches a membership and spawns or despawns its bot objects; nothing public takes an event',
  },
];
