/**
 * Who is acting, from a platform's user id (a Slack user id, a Teams `aadObjectId`): the person of the live
 * directory, the command actor the flows need, and the language and zone to answer in.
 *
 * Language: the directory's locale; for someone not in the directory, what the platform's profile says
 * (a `ProfileLookup`, e.g. Slack's users.info, never waited for more than `lookupTimeoutMs`, cached for an
 * hour), else Spanish. People not in the directory are logged without personal data: a short hash of the id.
 */
import { createHash } from 'node:crypto';
import type { CommandActor } from '../domain/types.ts';
import type { Directory, Locale } from '../directory/model.ts';
import { findPerson, identify, type KnownPerson, type PlatformIdentity } from '../flows/people.ts';
import type { DirectorySource } from '../flows/ports.ts';
import { refusalsTotal } from '../http/metrics.ts';
import { DEFAULT_LOCALE } from '../i18n/index.ts';
import type { Logger } from '../log.ts';

/**
 * The platforms a person acts from: Slack and Teams with a platform user id; the local console
 * (src/adapters/console) with the directory's person id.
 */
export type ChatPlatform = 'slack' | 'teams' | 'console';

/** The person acting, as every adapter and the interaction layer see them. */
export interface InteractionPerson {
  /** The platform user id. */
  userId: string;
  /** Undefined for someone not in the directory. */
  actor?: CommandActor;
  known?: KnownPerson;
  locale: Locale;
  timezone: string;
}

/** What a platform says of someone the directory does not know (their client's language and zone). */
export interface ProfileLookup {
  profile(userId: string): Promise<{ locale?: Locale; timezone?: string }>;
}

/** A short, non-reversible label for a platform user id, for logs about people not in the directory. */
export function userHash(platform: ChatPlatform, userId: string): string {
  return createHash('sha256').update(`${platform}:${userId}`).digest('hex').slice(0, 12);
}

export class Identity {
  private readonly cache = new Map<string, { locale?: Locale; timezone?: string; until: number }>();
  private readonly log: Logger;
  private readonly lookupTimeoutMs: number;

  constructor(
    readonly platform: ChatPlatform,
    private readonly directory: DirectorySource,
    private readonly profiles: ProfileLookup | undefined,
    logger: Logger,
    options: { lookupTimeoutMs?: number } = {},
  ) {
    this.log = logger.child({ component: `${platform}-identity` });
    this.lookupTimeoutMs = options.lookupTimeoutMs ?? 1500;
  }

  current(): Directory {
    return this.directory.current();
  }

  /** The person as the directory knows them, with no network call (undefined locale for strangers). */
  known(userId: string): { actor?: CommandActor; known?: KnownPerson } {
    const directory = this.directory.current();
    const who: PlatformIdentity = this.platform === 'console' ? { platform: 'console', personId: userId } : { platform: this.platform, userId };
    const known = findPerson(directory, who);
    const actor = identify(directory, who);
    return { ...(actor ? { actor } : {}), ...(known ? { known } : {}) };
  }

  /** The language to answer in right away (memory only): the directory's, else Spanish. */
  knownLocale(userId: string): Locale {
    return this.known(userId).known?.person.locale ?? DEFAULT_LOCALE;
  }

  /** The person, with the language and zone to answer in (may ask the platform for a stranger's profile). */
  async who(userId: string): Promise<InteractionPerson> {
    const { actor, known } = this.known(userId);
    if (known) return { userId, ...(actor ? { actor } : {}), known, locale: known.person.locale, timezone: known.person.timezone };
    const hint = await this.profile(userId);
    return { userId, locale: hint.locale ?? DEFAULT_LOCALE, timezone: hint.timezone ?? this.directory.current().secretariat.timezone };
  }

  /** Logs an attempt by someone not in the directory: no name, no id, a hash only. */
  logStranger(userId: string, what: Record<string, unknown>): void {
    refusalsTotal.inc({ code: 'not_in_directory' });
    this.log.warn({ user: userHash(this.platform, userId), ...what }, `${this.platform}: person not in the directory`);
  }

  private async profile(userId: string): Promise<{ locale?: Locale; timezone?: string }> {
    if (!this.profiles) return {};
    const cached = this.cache.get(userId);
    if (cached && cached.until > Date.now()) return cached;
    let timer: NodeJS.Timeout | undefined;
    try {
      const hint = await Promise.race([
        this.profiles.profile(userId),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), this.lookupTimeoutMs);
        }),
      ]);
      const entry = { ...(hint.locale ? { locale: hint.locale } : {}), ...(hint.timezone ? { timezone: hint.timezone } : {}), until: Date.now() + 3_600_000 };
      this.cache.set(userId, entry);
      return entry;
    } catch (err) {
      this.log.debug({ user: userHash(this.platform, userId), error: err instanceof Error ? err.message : String(err) }, `${this.platform}: profile lookup failed; answering in Spanish`);
      return {};
    } finally {
      clearTimeout(timer);
    }
  }
}
