/**
 * Who is acting, from a Slack user id: the person of the live directory (by their `slack` id), the command
 * actor the flows need, and the language and zone to answer in.
 *
 * Language: the directory's locale; for someone not in the directory, their Slack locale
 * (`users.info` with `include_locale`, cached for an hour, never waited for more than `lookupTimeoutMs`),
 * else Spanish. People not in the directory are logged without personal data: a short hash of the Slack id.
 */
import { createHash } from 'node:crypto';
import type { CommandActor } from '../../domain/types.ts';
import type { Directory, Locale } from '../../directory/model.ts';
import { findPerson, identify, type KnownPerson } from '../../flows/people.ts';
import type { DirectorySource } from '../../flows/ports.ts';
import { DEFAULT_LOCALE } from '../../i18n/index.ts';
import type { Logger } from '../../log.ts';

/** What identity needs of a WebClient. */
export interface UsersInfoClient {
  apiCall(method: string, options?: Record<string, unknown>): Promise<{ ok?: boolean; error?: string }>;
}

export interface SlackPerson {
  userId: string;
  /** Undefined for someone not in the directory. */
  actor?: CommandActor;
  known?: KnownPerson;
  locale: Locale;
  timezone: string;
}

/** A short, non-reversible label for a Slack user id, for logs about people not in the directory. */
export function userHash(userId: string): string {
  return createHash('sha256').update(`slack:${userId}`).digest('hex').slice(0, 12);
}

/** `es-ES`, `es-419`, `en-US` → es / en; anything else → undefined. */
export function localeFromSlack(value: unknown): Locale | undefined {
  if (typeof value !== 'string') return undefined;
  const lang = value.slice(0, 2).toLowerCase();
  return lang === 'es' || lang === 'en' ? lang : undefined;
}

export class SlackIdentity {
  private readonly cache = new Map<string, { locale?: Locale; timezone?: string; until: number }>();
  private readonly log: Logger;
  private readonly lookupTimeoutMs: number;

  constructor(
    private readonly directory: DirectorySource,
    private readonly client: UsersInfoClient,
    logger: Logger,
    options: { lookupTimeoutMs?: number } = {},
  ) {
    this.log = logger.child({ component: 'slack-identity' });
    this.lookupTimeoutMs = options.lookupTimeoutMs ?? 1500;
  }

  current(): Directory {
    return this.directory.current();
  }

  /** The person as the directory knows them, with no network call (undefined locale for strangers). */
  known(userId: string): { actor?: CommandActor; known?: KnownPerson } {
    const directory = this.directory.current();
    const known = findPerson(directory, { platform: 'slack', userId });
    const actor = identify(directory, { platform: 'slack', userId });
    return { ...(actor ? { actor } : {}), ...(known ? { known } : {}) };
  }

  /** The person, with the language and zone to answer in (may ask Slack for a stranger's locale). */
  async who(userId: string): Promise<SlackPerson> {
    const { actor, known } = this.known(userId);
    if (known) return { userId, ...(actor ? { actor } : {}), known, locale: known.person.locale, timezone: known.person.timezone };
    const hint = await this.slackProfile(userId);
    return { userId, locale: hint.locale ?? DEFAULT_LOCALE, timezone: hint.timezone ?? this.directory.current().secretariat.timezone };
  }

  /** Logs an attempt by someone not in the directory: no name, no id, a hash only. */
  logStranger(userId: string, what: Record<string, unknown>): void {
    this.log.warn({ user: userHash(userId), ...what }, 'slack: person not in the directory');
  }

  private async slackProfile(userId: string): Promise<{ locale?: Locale; timezone?: string }> {
    const cached = this.cache.get(userId);
    if (cached && cached.until > Date.now()) return cached;
    let timer: NodeJS.Timeout | undefined;
    try {
      const res = await Promise.race([
        this.client.apiCall('users.info', { user: userId, include_locale: true }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), this.lookupTimeoutMs);
        }),
      ]);
      const user = ((res as { user?: unknown }).user ?? {}) as { locale?: unknown; tz?: unknown };
      const locale = localeFromSlack(user.locale);
      const timezone = typeof user.tz === 'string' ? user.tz : undefined;
      const entry = { ...(locale ? { locale } : {}), ...(timezone ? { timezone } : {}), until: Date.now() + 3_600_000 };
      this.cache.set(userId, entry);
      return entry;
    } catch (err) {
      this.log.debug({ user: userHash(userId), error: err instanceof Error ? err.message : String(err) }, 'slack: users.info failed; answering in Spanish');
      return {};
    } finally {
      clearTimeout(timer);
    }
  }
}
