/**
 * `CRM_CONSOLE`: the local console (interfaces.md "Local console"). `on` | `off`; unset (or empty): on
 * exactly when neither Slack nor Teams is configured. When no platform is configured the whole server
 * listens on 127.0.0.1 only (nothing outside needs to reach it); the console's routes refuse any peer or
 * Host that is not the loopback whatever the binding (./routes.ts).
 */
import { z } from 'zod';

export interface ConsoleConfig {
  enabled: boolean;
  /** Why: `CRM_CONSOLE=on|off`, or the default. */
  source: 'CRM_CONSOLE' | 'default';
  /** Bind the HTTP server to 127.0.0.1 (no platform configured). */
  loopbackOnly: boolean;
}

const schema = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(['on', 'off'], { message: 'CRM_CONSOLE: expected on or off' }).optional());

export function loadConsoleConfig(env: NodeJS.ProcessEnv, platforms: { slack: boolean; teams: boolean }): ConsoleConfig {
  const parsed = schema.safeParse(env.CRM_CONSOLE);
  if (!parsed.success) throw new Error('CRM_CONSOLE: expected on or off (CRM_CONSOLE: se esperaba on u off)');
  const none = !platforms.slack && !platforms.teams;
  const enabled = parsed.data === undefined ? none : parsed.data === 'on';
  return { enabled, source: parsed.data === undefined ? 'default' : 'CRM_CONSOLE', loopbackOnly: enabled && none };
}
