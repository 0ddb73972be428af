/** How a CLI command talks to the terminal (captured in tests). */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}
