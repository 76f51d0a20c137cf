/**
 * Socket events as webhook envelopes. Webex's event socket carries *activities* (verbs on
 * objects in a conversation, things named by uuid); the bot's pipeline takes webhook envelopes
 * (`resource`, `event`, `data` with REST ids). Turning one into the other here means events from
 * the socket are claimed, queued, screened and handled exactly like webhook events, and skills
 * cannot tell the two modes apart.
 *
 * REST ids are base64url of `ciscospark://<cluster>/<TYPE>/<uuid>`. The cluster comes from the
 * service catalog: the host of the activity's conversation URL has a cluster id there, and the
 * US cluster (`urn:TEAM:us-east-2_a…`) is written `us`; people and organizations are always `us`.
 * This is how the SDK's own socket listeners build ids (see docs/websocket-mode.md), so an event
 * has the same identity (`resource + event + data.id`) whichever way it arrives.
 */
import type { WebhookEnvelope } from './envelope.js';
import { isRecord } from '../util/is-record.js';

/** Finds the cluster id of a URL in the service catalog (the SDK's `services.getClusterId`). */
export type ClusterLookup = (url: string) => string | undefined;

/** What became of one activity. */
export type ActivityResult =
  | { readonly kind: 'event'; readonly envelope: WebhookEnvelope }
  /** A well-formed activity the bot does not act on (a read receipt, a typing notice...). */
  | { readonly kind: 'skipped'; readonly verb: string }
  /** Not an activity the bot can read: logged and dropped. */
  | { readonly kind: 'malformed'; readonly reason: string };

/** What names the envelopes from the socket (webhook envelopes carry the webhook's id and name). */
export interface SocketSource {
  /** Stands for the webhook id: the device's id. */
  readonly id: string;
  /** Stands for the webhook name; the framework only processes events carrying its own. */
  readonly name: string;
}

const US_CLUSTERS = ['urn:TEAM:us-east-2_a', 'urn:TEAM:us-east-1_int13'];

/** The cluster part of REST ids for a catalog cluster id (`urn:TEAM:us-east-2_a:conversation` → `us`). */
export function restCluster(clusterId: string): string | undefined {
  if (US_CLUSTERS.some((c) => clusterId.startsWith(c))) return 'us';
  const parts = clusterId.split(':');
  return parts.length >= 3 ? parts.slice(0, 3).join(':') : undefined;
}

type IdType = 'PEOPLE' | 'ROOM' | 'MESSAGE' | 'MEMBERSHIP' | 'ATTACHMENT_ACTION' | 'ORGANIZATION';

/** The REST id of a thing of `type` with `uuid` in `cluster`. */
export function restId(type: IdType, uuid: string, cluster: string): string {
  const where = type === 'PEOPLE' || type === 'ORGANIZATION' ? 'us' : cluster;
  return Buffer.from(`ciscospark://${where}/${type}/${uuid}`, 'utf8').toString('base64url');
}

class Malformed extends Error {}

function field(o: unknown, key: string, what: string): string {
  const v = isRecord(o) ? o[key] : undefined;
  if (typeof v !== 'string' || v === '') throw new Malformed(`${what} is missing`);
  return v;
}

function optional(o: unknown, key: string): string | undefined {
  const v = isRecord(o) ? o[key] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function tagsOf(o: unknown): string[] {
  const tags = isRecord(o) ? o['tags'] : undefined;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * The envelope for one activity of a `conversation.activity` frame.
 *
 * @example
 * envelopeFromActivity(frame.data.activity, (url) => sdk.internal.services.getClusterId(url), { id: deviceId, name })
 */
export function envelopeFromActivity(
  activity: unknown,
  clusterOf: ClusterLookup,
  source: SocketSource,
): ActivityResult {
  try {
    return map(activity, clusterOf, source);
  } catch (err) {
    if (err instanceof Malformed) return { kind: 'malformed', reason: err.message };
    throw err;
  }
}

function map(activity: unknown, clusterOf: ClusterLookup, source: SocketSource): ActivityResult {
  if (!isRecord(activity)) throw new Malformed('the frame has no activity');
  const verb = field(activity, 'verb', 'the verb');
  return new ActivityReader(activity, clusterOf, source).read(verb);
}

/**
 * One activity read into the envelope of its kind. A field Webex would leave out stays out (no
 * key with `undefined`): the envelope stands for the webhook's JSON, and skills see it as
 * `event.payload`.
 */
class ActivityReader {
  private readonly actor: unknown;
  private readonly object: unknown;
  private readonly target: unknown;
  private readonly published: string | undefined;

  constructor(
    private readonly activity: Record<string, unknown>,
    private readonly clusterOf: ClusterLookup,
    private readonly source: SocketSource,
  ) {
    this.actor = activity['actor'];
    this.object = activity['object'];
    this.target = activity['target'];
    this.published = optional(activity, 'published');
  }

  read(verb: string): ActivityResult {
    switch (verb) {
      case 'post':
      case 'share':
        return this.posted();
      case 'delete':
        return this.deleted(verb);
      case 'cardAction':
        return this.cardAction();
      case 'add':
      case 'leave':
        return this.membership(verb);
      case 'create':
      case 'update':
      case 'lock':
      case 'unlock':
        return this.room(verb);
      default:
        return { kind: 'skipped', verb };
    }
  }

  private cluster(url: string | undefined): string {
    if (!url) throw new Malformed('the conversation URL is missing');
    const clusterId = this.clusterOf(url);
    if (!clusterId) throw new Malformed(`the service catalog has no cluster for ${url} (the REST ids cannot be built)`);
    const c = restCluster(clusterId);
    if (!c) throw new Malformed(`unknown cluster id ${clusterId}`);
    return c;
  }

  private envelope(
    resource: string,
    event: string,
    actorId: string,
    data: Record<string, unknown> & { id: string },
  ): ActivityResult {
    const { published } = this;
    return {
      kind: 'event',
      envelope: {
        id: this.source.id,
        name: this.source.name,
        resource,
        event,
        actorId,
        data: published ? { ...data, created: data['created'] ?? published } : data,
      },
    };
  }

  private space() {
    const c = this.cluster(optional(this.target, 'url'));
    const roomType = tagsOf(this.target).includes('ONE_ON_ONE') ? 'direct' : 'group';
    return { c, roomId: restId('ROOM', field(this.target, 'id', 'the conversation id'), c), roomType };
  }

  private sender(): string {
    return restId('PEOPLE', field(this.actor, 'entryUUID', 'the actor'), 'us');
  }

  private posted(): ActivityResult {
    const { activity, actor, object } = this;
    const { c, roomId, roomType } = this.space();
    const personId = this.sender();
    const mentions =
      isRecord(object) && isRecord(object['mentions']) && Array.isArray(object['mentions']['items'])
        ? object['mentions']['items']
        : [];
    const mentionedPeople = mentions
      .map((m) => optional(m, 'id'))
      .filter((id): id is string => id !== undefined)
      .map((id) => restId('PEOPLE', id, c));
    const parent = activity['parent'];
    const parentId =
      optional(parent, 'type') === 'reply' && optional(parent, 'id')
        ? restId('MESSAGE', optional(parent, 'id')!, c)
        : undefined;
    return this.envelope('messages', 'created', personId, {
      id: restId('MESSAGE', field(activity, 'id', 'the activity id'), c),
      roomId,
      roomType,
      ...(parentId ? { parentId } : {}),
      personId,
      ...(optional(actor, 'emailAddress') ? { personEmail: optional(actor, 'emailAddress') } : {}),
      ...(mentionedPeople.length ? { mentionedPeople } : {}),
    });
  }

  private deleted(verb: string): ActivityResult {
    if (optional(this.object, 'objectType') !== 'activity') return { kind: 'skipped', verb };
    const { c, roomId, roomType } = this.space();
    const personId = this.sender();
    return this.envelope('messages', 'deleted', personId, {
      id: restId('MESSAGE', field(this.object, 'id', 'the deleted activity'), c),
      roomId,
      roomType,
      personId,
    });
  }

  private cardAction(): ActivityResult {
    const { c, roomId } = this.space();
    const personId = this.sender();
    return this.envelope('attachmentActions', 'created', personId, {
      id: restId('ATTACHMENT_ACTION', field(this.activity, 'id', 'the activity id'), c),
      type: optional(this.object, 'objectType') ?? 'submit',
      messageId: restId('MESSAGE', field(this.activity['parent'], 'id', 'the submitted card message'), c),
      personId,
      roomId,
    });
  }

  private membership(verb: 'add' | 'leave'): ActivityResult {
    const { object } = this;
    const { c, roomId, roomType } = this.space();
    const member = field(object, 'entryUUID', 'the member');
    const orgId = optional(object, 'orgId');
    return this.envelope('memberships', verb === 'add' ? 'created' : 'deleted', this.sender(), {
      id: restId('MEMBERSHIP', `${member}:${field(this.target, 'id', 'the conversation id')}`, c),
      roomId,
      roomType,
      personId: restId('PEOPLE', member, c),
      ...(optional(object, 'emailAddress') ? { personEmail: optional(object, 'emailAddress') } : {}),
      ...(optional(object, 'displayName') ? { personDisplayName: optional(object, 'displayName') } : {}),
      ...(orgId ? { personOrgId: restId('ORGANIZATION', orgId, c) } : {}),
      isModerator: false,
    });
  }

  private room(verb: 'create' | 'update' | 'lock' | 'unlock'): ActivityResult {
    const { object, target } = this;
    if (optional(object, 'objectType') !== 'conversation') return { kind: 'skipped', verb };
    const c = this.cluster(optional(this.activity, 'url') ?? optional(target, 'url'));
    const tags = verb === 'update' ? tagsOf(target) : tagsOf(object);
    const creatorId = this.sender();
    return this.envelope('rooms', verb === 'create' ? 'created' : 'updated', creatorId, {
      id: restId('ROOM', optional(object, 'id') ?? field(target, 'id', 'the conversation id'), c),
      type: tags.includes('ONE_ON_ONE') ? 'direct' : 'group',
      isLocked: tags.includes('LOCKED'),
      ...(verb === 'create' ? { creatorId } : {}),
    });
  }
}
