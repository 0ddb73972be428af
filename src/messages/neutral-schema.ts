/**
 * The shape of a stored neutral message (./neutral.ts), as the notifiers read it back from an outbox row
 * (untrusted JSON: checked before anything is rendered). Each notifier extends it with what it renders
 * beyond these fields (a recorded decision, an update's target, an attachment).
 */
import { z } from 'zod';

export const neutralMessageSchema = z.object({
  kind: z.string(),
  locale: z.enum(['es', 'en']),
  consultationId: z.string(),
  reference: z.string(),
  heading: z.string(),
  body: z.array(z.string()),
  quote: z.string().optional(),
  fields: z.array(z.object({ label: z.string(), value: z.string() })),
  table: z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.string())) }).optional(),
  buttons: z.array(z.object({ actionId: z.string(), label: z.string(), value: z.string(), style: z.enum(['primary', 'danger']).optional() })),
  metadata: z.object({ eventType: z.string(), payload: z.record(z.string(), z.unknown()) }).optional(),
  replaceKey: z.string().optional(),
});

/** What a card update in place adds (interaction/decisions.ts `CardUpdate`, routing's closing cards). */
export const cardUpdateFields = {
  updateOnly: z.boolean().optional(),
  recorded: z.object({ who: z.string(), what: z.string(), when: z.string() }).optional(),
  keepButtons: z.boolean().optional(),
  updates: z.unknown().optional(),
};
