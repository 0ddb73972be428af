/**
 * The store's expected failures, in a module without dependencies so that code handling them (the
 * flows) can import them without loading Prisma.
 */

/** Someone else changed the consultation since it was loaded: reload, decide again, retry. */
export class ConcurrencyConflict extends Error {
  readonly code = 'concurrency_conflict';
  constructor(
    readonly consultationId: string,
    readonly expectedVersion: number,
    /** The version found, or undefined when the consultation does not exist. */
    readonly actualVersion: number | undefined,
  ) {
    super(
      `Consultation ${consultationId} is at version ${actualVersion ?? 'none'}, not ${expectedVersion}: ` +
        'it changed since it was loaded',
    );
    this.name = 'ConcurrencyConflict';
  }
}

/** A command with this key was already recorded: look it up with findCommand and return its result. */
export class DuplicateCommand extends Error {
  readonly code = 'duplicate_command';
  constructor(readonly key: string) {
    super(`Command ${key} was already recorded`);
    this.name = 'DuplicateCommand';
  }
}
