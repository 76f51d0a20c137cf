// Who is who: the people and bots the page knows, for names, mentions and space members.

export class Directory {
  /**
   * @param {object} bot the bot (from `GET /_emulator/state`)
   * @param {object[]} people everybody else
   */
  constructor(bot, people) {
    this.people = new Map(people.map((p) => [p.id, p]));
    this.people.set(bot.id, bot);
  }

  /** Adds or updates a person. */
  set(person) {
    this.people.set(person.id, person);
  }

  // Arrow functions: the views pass these around on their own (e.g. to the markdown renderer).

  /** A display name ('Someone' for an unknown id). */
  nameOf = (id) => this.people.get(id)?.displayName ?? 'Someone';

  /** True for a bot. */
  isBot = (id) => this.people.get(id)?.type === 'bot';

  /** The name a `<@personId:…>` or `<@personEmail:…>` mention stands for, if known. */
  mentionName = (kind, value) =>
    (kind === 'personId' ? this.people.get(value) : [...this.people.values()].find((p) => p.emails?.includes(value)))
      ?.displayName;

  /** The known members of a space. */
  membersOf(room) {
    return room.memberIds.map((id) => this.people.get(id)).filter(Boolean);
  }

  /** The members of a space who are people (not bots): those who can write in the playground. */
  writersIn(room) {
    return this.membersOf(room).filter((p) => p.type === 'person');
  }
}
