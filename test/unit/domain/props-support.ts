/** Re-exports of the fixtures plus a focal-point check, for the property tests. */
import type { Participants } from '../../../src/domain/types.ts';
export * from './fixtures.ts';

export function isFocal(p: Participants, personId: string, country: string): boolean {
  return p.members.some((m) => m.code === country && m.focalPoints.some((f) => f.personId === personId));
}
