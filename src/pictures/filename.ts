/** `CRM-2026-001-estado-status.png`: the reference and the word in both languages. */
export const pictureFilename = (reference: string): string => `${reference}-estado-status.png`;
