/**
 * Minimal type declarations for the parts of the `webex` SDK (2.4.2) and
 * `webex-node-bot-framework` (2.3.14) that this project uses. Neither package ships types.
 * Shapes follow Webex's REST API (https://developer.webex.com/docs/api/v1).
 */
declare module 'webex' {
  export interface WebexPage<T> {
    items: T[];
    length: number;
    hasNext(): boolean;
    next(): Promise<WebexPage<T>>;
  }
  // biome-ignore lint/suspicious/noExplicitAny: the SDK returns untyped REST JSON; callers state the shape they read (e.g. `const m: MessageFields = await sdk.messages.get(id)`), which `unknown` would not allow without a cast at every call
  export interface WebexResource<T = any> {
    get(id: string | Record<string, unknown>, options?: Record<string, unknown>): Promise<T>;
    list(options?: Record<string, unknown>): Promise<WebexPage<T>>;
    create(body: Record<string, unknown>): Promise<T>;
    remove(idOrObject: string | Record<string, unknown>): Promise<unknown>;
    update(body: Record<string, unknown>): Promise<T>;
  }
  export interface WebexSdk {
    people: WebexResource;
    rooms: WebexResource;
    memberships: WebexResource;
    messages: WebexResource;
    attachmentActions: WebexResource;
    webhooks: WebexResource;
    /** Low-level request through the SDK's HTTP stack (service `hydra` = the REST API). */
    request(
      options: Record<string, unknown>,
    ): Promise<{ statusCode: number; body: unknown; headers: Record<string, string> }>;
    config: Record<string, unknown>;
  }
  interface WebexStatic {
    init(options: Record<string, unknown>): WebexSdk;
  }
  const Webex: WebexStatic;
  export default Webex;
}

declare module 'webex-node-bot-framework' {
  import type { EventEmitter } from 'node:events';
  import type { WebexSdk } from 'webex';

  namespace Framework {
    interface Person {
      id: string;
      emails: string[];
      displayName: string;
      nickName?: string;
      firstName?: string;
      lastName?: string;
      type?: string;
      [key: string]: unknown;
    }
    interface Room {
      id: string;
      title: string;
      type: 'direct' | 'group';
      [key: string]: unknown;
    }
    interface Message {
      id: string;
      roomId: string;
      roomType?: string;
      parentId?: string;
      personId: string;
      personEmail?: string;
      text?: string;
      markdown?: string;
      html?: string;
      mentionedPeople?: string[];
      attachments?: Array<{ contentType: string; content: unknown }>;
      created?: string;
      [key: string]: unknown;
    }
    interface AttachmentAction {
      id: string;
      type: string;
      messageId: string;
      inputs: Record<string, unknown>;
      personId: string;
      roomId: string;
      created?: string;
      [key: string]: unknown;
    }
    interface Trigger {
      type: 'message' | 'attachmentAction';
      id: string;
      text?: string;
      args?: string[];
      message?: Message;
      attachmentAction?: AttachmentAction;
      person: Person;
      personId: string;
    }
    interface Bot extends EventEmitter {
      id: string;
      room: Room;
      isDirect: boolean;
      isGroup: boolean;
      isDirectTo?: string;
      active: boolean;
      person: Person;
      say(message: string | Record<string, unknown>): Promise<Message>;
      say(format: string, message: string): Promise<Message>;
      reply(
        replyTo: string | Message | AttachmentAction,
        message: string | Record<string, unknown>,
        format?: string,
      ): Promise<Message>;
      sendCard(card: Record<string, unknown>, fallbackText: string): Promise<Message>;
      store(key: string, value: unknown): Promise<unknown>;
      recall(key: string): Promise<unknown>;
    }
    interface Options {
      token: string;
      webhookUrl?: string;
      webhookSecret?: string;
      removeWebhooksOnStart?: boolean;
      maxStartupSpaces?: number;
      messageFormat?: string;
      [key: string]: unknown;
    }
  }

  class Framework extends EventEmitter {
    constructor(options: Framework.Options);
    options: Framework.Options;
    active: boolean;
    initialized: boolean;
    person: Framework.Person;
    email: string;
    webex: WebexSdk;
    webhook: { id?: string; name?: string } | false;
    cardsWebhook: { id?: string; name?: string } | false;
    bots: Framework.Bot[];
    debugger?: (message: string, id: string) => void;
    start(): Promise<boolean>;
    stop(): Promise<boolean>;
    hears(
      phrase: string | RegExp,
      action: (bot: Framework.Bot, trigger: Framework.Trigger, id: string) => void,
      helpText?: string,
      preference?: number,
    ): string;
    onMessageCreated(message: Framework.Message): Promise<unknown>;
    onAttachmentActions(action: Framework.AttachmentAction): Promise<unknown>;
    findBotObjectInRoom(roomId: string): Framework.Bot | undefined;
  }
  export = Framework;
}
