/** How a CLI command talks to the terminal (captured in tests). */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Raw bytes to standard output (a PDF or CSV export without --out); resolves once written. */
  write?: (bytes: Uint8Array) => Promise<void>;
  /** Standard output is a terminal (a binary export then asks for --out instead). */
  isTTY?: boolean;
}

/**
 * A value the operator typed, as an error message shows it: quoted, on one line (JSON escapes line breaks
 * and control characters), and cut to 60 characters so a pasted blob does not bury the message.
 */
export function shown(value: string): string {
  const chars = [...value];
  return JSON.stringify(chars.length > 60 ? `${chars.slice(0, 57).join('')}...` : value);
}
