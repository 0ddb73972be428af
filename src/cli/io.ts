/** How a CLI command talks to the terminal (captured in tests). */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Raw bytes to standard output (a PDF or CSV export without --out); resolves once written. */
  write?: (bytes: Uint8Array) => Promise<void>;
  /** Standard output is a terminal (a binary export then asks for --out instead). */
  isTTY?: boolean;
}
