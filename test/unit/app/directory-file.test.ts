/**
 * src/app/directory-file.ts: when `npm start` warns that the directory file is not the live directory,
 * and the import command it suggests. The example is never suggested over a directory imported from
 * another file.
 */
import { describe, expect, it } from 'vitest';
import { directoryDriftWarning, DirectoryFileMissingError, hashDirectoryFile, shellWord } from '../../../src/app/directory-file.ts';

const EXAMPLE = 'config/directory.example.yaml';
const live = { path: 'config/directory.yaml', sha256: 'a'.repeat(64), importedAt: new Date('2026-03-02T15:00:00Z') };

describe('directoryDriftWarning', () => {
  it('the same bytes as the live directory: no warning, whatever the path', () => {
    expect(directoryDriftWarning({ path: 'other.yaml', sha256: live.sha256, isExample: false }, live)).toBeUndefined();
  });

  it('CRM_DIRECTORY differs from the live directory: names the file, where the live one came from, and the import command', () => {
    expect(directoryDriftWarning({ path: 'config/directory.yaml', sha256: 'b'.repeat(64), isExample: false }, live)).toBe(
      "directory: config/directory.yaml differs from the live directory (the database's, imported from config/directory.yaml on 2026-03-02); " +
        'the bot uses the database\'s. To use the file: npx crm directory import config/directory.yaml',
    );
  });

  it('the example (CRM_DIRECTORY unset) is compared only when the live directory was imported from it', () => {
    const changedExample = { path: EXAMPLE, sha256: 'b'.repeat(64), isExample: true };
    expect(directoryDriftWarning(changedExample, live)).toBeUndefined();
    expect(directoryDriftWarning(changedExample, { ...live, path: EXAMPLE })).toContain(`npx crm directory import ${EXAMPLE}`);
  });

  it('a path the shell would split is quoted in the suggested command', () => {
    expect(shellWord('/srv/crm/directory 2026.yaml')).toBe("'/srv/crm/directory 2026.yaml'");
    expect(shellWord("it's.yaml")).toBe(`'it'\\''s.yaml'`);
    expect(shellWord('config/directory.yaml')).toBe('config/directory.yaml');
  });
});

describe('hashDirectoryFile', () => {
  it('a missing file: DirectoryFileMissingError naming it, one line', async () => {
    const err = await hashDirectoryFile('nope/directory.yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DirectoryFileMissingError);
    expect((err as Error).message).toMatch(/^CRM_DIRECTORY names nope\/directory\.yaml, which does not exist \(\/.*nope\/directory\.yaml\)\. /);
    expect((err as Error).message).not.toContain('\n');
  });

  it('a folder: cannot be read, with the reason', async () => {
    await expect(hashDirectoryFile('config')).rejects.toThrow('CRM_DIRECTORY names config, which cannot be read (EISDIR).');
  });
});
