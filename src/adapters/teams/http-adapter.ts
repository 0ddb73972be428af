/**
 * Hosts the Teams SDK on our one HTTP server (src/http/server.ts). The SDK (2.x) talks to its transport
 * through `IHttpServerAdapter`: it registers `POST /api/messages` with a pure handler
 * `({ body, headers }) → { status, body }` and does JWT validation and activity processing inside it.
 * This adapter turns that registration into one of our routes, so no Express app and no second listener
 * exist; the SDK's own `ExpressAdapter` is never constructed (the App only builds it when no adapter is
 * given).
 *
 * The body is read by our server (capped, 413 above the limit) and parsed here; a body that is not a JSON
 * object, or not shaped as a Bot Framework activity (`activityProblem`: a type, `from.id`, `conversation.id`,
 * strings), is answered 400 without reaching the SDK, whose handlers read those fields unchecked (a signed
 * activity without `conversation` was a 500, found by test/fuzz/teams-activities.test.ts). `start`/`stop` are not implemented: the composition
 * root owns the server's lifecycle, and App.start() (which would read PORT) is never called.
 */
import type { HttpRouteHandler, IHttpServerAdapter } from '@microsoft/teams.apps';
import { sendJson, type HttpServer } from '../../http/server.ts';

type RouteHost = Pick<HttpServer, 'addRoute'>;

export class CrmHttpAdapter implements IHttpServerAdapter {
  constructor(private readonly server: RouteHost) {}

  registerRoute(method: 'POST', path: string, handler: HttpRouteHandler): void {
    this.server.addRoute({
      method,
      path,
      body: 'buffer',
      handler: async ({ req, res, body }) => {
        let activity: unknown;
        try {
          activity = JSON.parse(body.toString('utf8'));
        } catch {
          return sendJson(res, 400, { error: 'bad_request', detail: 'the body is not JSON' });
        }
        if (typeof activity !== 'object' || activity === null || Array.isArray(activity)) {
          return sendJson(res, 400, { error: 'bad_request', detail: 'expected an activity object' });
        }
        const problem = activityProblem(activity as Record<string, unknown>);
        if (problem) return sendJson(res, 400, { error: 'bad_request', detail: problem });
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = value;
        const answer = await handler({ body: activity, headers });
        if (answer.body === undefined || answer.body === null) {
          res.writeHead(answer.status, { 'content-length': 0, 'cache-control': 'no-store' });
          res.end();
          return;
        }
        sendJson(res, answer.status, answer.body);
      },
    });
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): boolean => typeof v === 'string' && v.length > 0 && v.length <= 1024;

/** Why `a` is not an activity the SDK can handle (undefined when it is): what every activity carries. */
export function activityProblem(a: Record<string, unknown>): string | undefined {
  if (!isId(a.type)) return 'type: expected a string';
  if (!isObject(a.from) || !isId(a.from.id)) return 'from.id: expected a string';
  if (!isObject(a.conversation) || !isId(a.conversation.id)) return 'conversation.id: expected a string';
  if (a.serviceUrl !== undefined && typeof a.serviceUrl !== 'string') return 'serviceUrl: expected a string';
  if (a.recipient !== undefined && !isObject(a.recipient)) return 'recipient: expected an object';
  return undefined;
}
