/**
 * Where the bot may send its own Bot Connector token. An activity names the `serviceUrl` the bot answers
 * on; a request that was not authenticated could name any host, and sending our bearer token there would
 * hand it to whoever runs that host (the "serviceUrl token leak"). So a service URL is trusted only when:
 *   - it is the configured one (TEAMS_SERVICE_URL, else the cloud's: config.ts), or
 *   - it came on an activity whose Bot Framework JWT the SDK validated: the token's `serviceurl` claim must
 *     equal the activity's `serviceUrl` (teams-app.ts records it in a middleware, which runs only after
 *     that validation; an unauthenticated request gets 401 before any middleware), or
 *   - it was stored from such an activity earlier (a conversation reference store re-trusts what it
 *     loads, with `trustStored`, and must store only service URLs from authenticated activities).
 * HTTPS only, always. The connector client asks `isTrusted` before it fetches a token, and refuses
 * anything else as a permanent `untrusted_service_url` failure: no token is fetched, nothing is sent.
 */

/** The comparable form of a service URL: lower-case scheme and host, no trailing slash; undefined if not HTTPS. */
export function normalizeServiceUrl(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const u = new URL(url);
  if (u.protocol !== 'https:' || u.username || u.password || u.search || u.hash) return undefined;
  return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}`;
}

export interface ServiceUrlTrust {
  isTrusted(url: string): boolean;
}

export class TrustedServiceUrls implements ServiceUrlTrust {
  private readonly trusted = new Set<string>();

  /** `configured`: TEAMS_SERVICE_URL or the cloud's proactive base (config.serviceUrl), when there is one. */
  constructor(configured: readonly (string | undefined)[] = []) {
    for (const url of configured) this.add(url);
  }

  /** The serviceUrl of an activity the SDK authenticated (its JWT's `serviceurl` claim matched). */
  trustFromAuthenticatedActivity(url: string | undefined): void {
    this.add(url);
  }

  /** Service URLs read back from storage that only ever held URLs of authenticated activities. */
  trustStored(urls: Iterable<string>): void {
    for (const url of urls) this.add(url);
  }

  isTrusted(url: string): boolean {
    const n = normalizeServiceUrl(url);
    return n !== undefined && this.trusted.has(n);
  }

  private add(url: string | undefined): void {
    const n = url ? normalizeServiceUrl(url) : undefined;
    if (n) this.trusted.add(n);
  }
}
