/**
 * Reloading skills and cards while the bot runs (`npm run dev`): the skills and cards folders
 * are watched; after a change everything is loaded and checked again, exactly as at start, with
 * every skill module (and the helpers it imports) imported afresh. A good result is served from
 * the next event on, with no restart; a broken edit is reported, naming the file and the
 * problem, and the previous version keeps serving.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../logging.js';
import { loadSkillsAndCards, type SkillsAndCards } from '../routing/load-skills-and-cards.js';

/** How one reload went. */
export type ReloadOutcome =
  | { readonly kind: 'reloaded'; readonly skills: readonly string[]; readonly cards: readonly string[] }
  | { readonly kind: 'failed'; readonly error: Error };

/** Options of {@link watchSkillsAndCards}. */
export interface ReloaderOptions {
  readonly skillsDir: string;
  readonly cardsDir: string;
  readonly log: Logger;
  /** Takes freshly loaded, checked skills and cards into service. */
  readonly apply: (next: SkillsAndCards) => void;
  /** Quiet time after a change before reloading, so an editor's several writes make one reload (default 100 ms). */
  readonly settleMs?: number;
}

/** A running watcher. */
export interface Reloader {
  /** Resolves with the outcome of the next reload (for tests and tools waiting on an edit). */
  next(): Promise<ReloadOutcome>;
  close(): void;
}

/**
 * Imports a module with a fresh copy of it and everything it imports (not the cached one), with
 * tsx's scoped import. (Imported dynamically: a dynamic import resolves tsx's ESM entry even when
 * this module itself was loaded through `require`, as test runners may do.)
 */
const freshImport = async (url: string): Promise<unknown> => {
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(url, import.meta.url);
};

/** The watchers of the two folders, and the reloads they start (one at a time). */
class FolderReloader implements Reloader {
  private readonly settleMs: number;
  private readonly watchers: FSWatcher[];
  private readonly changed = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private waiters: Array<(o: ReloadOutcome) => void> = [];

  constructor(private readonly options: ReloaderOptions) {
    this.settleMs = options.settleMs ?? 100;
    this.watchers = [options.skillsDir, options.cardsDir].map((dir) =>
      watch(dir, (_event, file) => this.onChange(dir, file)),
    );
    options.log.info('watching for changes', { skillsDir: options.skillsDir, cardsDir: options.cardsDir });
  }

  next(): Promise<ReloadOutcome> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
  }

  private onChange(dir: string, file: string | Buffer | null): void {
    const name = file?.toString() ?? '';
    if (name.startsWith('.') || name.endsWith('~') || name.endsWith('.swp')) return; // editors' temporary files
    if (name.endsWith('.d.ts')) return; // declarations (cards/cards.d.ts, written after a reload) load nothing
    this.changed.add(`${dir}/${name}`);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), this.settleMs);
  }

  /** Reloads now, or once the reload under way is done. */
  private run(): void {
    this.timer = undefined;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.reload().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.run();
      }
    });
  }

  private async reload(): Promise<void> {
    const { options } = this;
    const files = [...this.changed];
    this.changed.clear();
    let outcome: ReloadOutcome;
    try {
      const next = await loadSkillsAndCards(options.skillsDir, options.cardsDir, freshImport);
      options.apply(next);
      outcome = { kind: 'reloaded', skills: next.skills.map((s) => s.info.name), cards: next.cards.ids };
      options.log.info('reloaded skills and cards', { changed: files, skills: outcome.skills, cards: outcome.cards });
    } catch (err) {
      outcome = { kind: 'failed', error: err as Error };
      options.log.error(`reload failed, the previous version keeps serving: ${(err as Error).message}`, {
        changed: files,
      });
    }
    this.settle(outcome);
  }

  private settle(outcome: ReloadOutcome): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve(outcome);
  }
}

/**
 * Watches the folders and reloads on change.
 *
 * @example
 * const reloader = watchSkillsAndCards({ skillsDir, cardsDir, log, apply: (next) => bot.replaceSkills(next) });
 */
export function watchSkillsAndCards(options: ReloaderOptions): Reloader {
  return new FolderReloader(options);
}
