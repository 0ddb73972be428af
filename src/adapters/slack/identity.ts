/**
 * Who is acting, from a Slack user id: the interaction layer's Identity (src/interaction/identity.ts) on
 * the `slack` ids of the directory, with Slack's profile of someone not in the directory (`users.info` with
 * `include_locale`) for the language to answer them in.
 */
import type { Locale } from '../../directory/model.ts';
import type { DirectorySource } from '../../flows/ports.ts';
import { Identity, userHash as platformUserHash, type InteractionPerson, type ProfileLookup } from '../../interaction/identity.ts';
import type { Logger } from '../../log.ts';

/** What identity needs of a WebClient. */
export interface UsersInfoClient {
  apiCall(method: string, options?: Record<string, unknown>): Promise<{ ok?: boolean; error?: string }>;
}

export type SlackPerson = InteractionPerson;

/** A short, non-reversible label for a Slack user id, for logs about people not in the directory. */
export const userHash = (userId: string): string => platformUserHash('slack', userId);

/** `es-ES`, `es-419`, `en-US` → es / en; anything else → undefined. */
export function localeFromSlack(value: unknown): Locale | undefined {
  if (typeof value !== 'string') return undefined;
  const lang = value.slice(0, 2).toLowerCase();
  return lang === 'es' || lang === 'en' ? lang : undefined;
}

/** A stranger's Slack profile: their client's language and time zone. */
export function slackProfiles(client: UsersInfoClient): ProfileLookup {
  return {
    async profile(userId) {
      const res = await client.apiCall('users.info', { user: userId, include_locale: true });
      const user = ((res as { user?: unknown }).user ?? {}) as { locale?: unknown; tz?: unknown };
      const locale = localeFromSlack(user.locale);
      const timezone = typeof user.tz === 'string' ? user.tz : undefined;
      return { ...(locale ? { locale } : {}), ...(timezone ? { timezone } : {}) };
    },
  };
}

export class SlackIdentity extends Identity {
  constructor(directory: DirectorySource, client: UsersInfoClient, logger: Logger, options: { lookupTimeoutMs?: number } = {}) {
    super('slack', directory, slackProfiles(client), logger, options);
  }
}
