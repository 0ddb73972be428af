/**
 * teams/manifest.json and its English strings (teams/en.json) against the official Teams app manifest
 * schema, v1.24 as shipped in @microsoft/app-manifest (the Microsoft 365 Agents Toolkit's package), validated
 * offline as that package's own validator does (ajv for draft-04 with the uri, email and regex formats; the
 * package itself cannot be loaded: its build requires fs-extra without declaring it). And what the schema cannot know: the commands are the /crm words
 * (Spanish in the manifest, English in en.json), the bot works in personal chats and teams, the icons are
 * PNGs of the sizes Teams asks for.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { COMMAND_WORDS, type CommandName } from '../../src/commands/catalogue.ts';

const root = resolve(import.meta.dirname, '../..');
const read = (p: string) => JSON.parse(readFileSync(resolve(root, p), 'utf8')) as Record<string, unknown>;
const manifest = read('teams/manifest.json');
const english = read('teams/en.json');

const schemas = resolve(createRequire(import.meta.url).resolve('@microsoft/app-manifest'), '../json-schemas/teams/v1.24');
// The same clean-up the package applies to a downloaded schema (an `\a` in a regex that ajv rejects).
const schema = (file: string) => JSON.parse(readFileSync(resolve(schemas, file), 'utf8').replace(/\\a/g, '\\x07')) as object;

// CommonJS packages: under NodeNext the default import is module.exports, whose `default` is the export.
const Ajv04 = Ajv04Module.default;
const addFormats = addFormatsModule.default;

function validate(doc: unknown, schemaFile: string): string[] {
  // unicodeRegExp off: the localization schema has patterns (`…\b]\.description$`) that are valid
  // ECMAScript regexes only without the `u` flag, which ajv 8 adds by default.
  const ajv = new Ajv04({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const check = ajv.compile(schema(schemaFile));
  return check(doc) ? [] : (check.errors ?? []).map((e: { instancePath: string; message?: string; params: unknown }) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

// Teams shows at most 10: the consultation's, then the two meeting words used most; the others (reuniones,
// observadores, observador) are typed all the same.
const ORDER: CommandName[] = ['consult', 'status', 'list', 'deadline', 'revise', 'extend', 'withdraw', 'meeting', 'duties', 'help'];

describe('teams/manifest.json', () => {
  it('is valid against the official v1.24 schema', () => {
    expect(manifest.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.24/MicrosoftTeams.schema.json');
    expect(validate(manifest, 'MicrosoftTeams.schema.json')).toEqual([]);
  });

  it('the English strings are valid against the official localization schema', () => {
    expect(validate(english, 'MicrosoftTeams.Localization.schema.json')).toEqual([]);
  });

  it('the validator does reject a broken manifest', () => {
    const broken = { ...manifest, bots: [{ botId: 'not-a-guid', scopes: ['everywhere'] }] };
    expect(validate(broken, 'MicrosoftTeams.schema.json').length).toBeGreaterThan(0);
  });

  it('one bot, in personal chats and teams, whose commands are the /crm words, Spanish here and English in en.json', () => {
    const bots = manifest.bots as { scopes: string[]; commandLists: { scopes: string[]; commands: { title: string }[] }[] }[];
    expect(bots).toHaveLength(1);
    expect(bots[0]?.scopes).toEqual(['personal', 'team']);
    expect(bots[0]?.commandLists).toHaveLength(1);
    expect(bots[0]?.commandLists[0]?.scopes).toEqual(['personal', 'team']);
    expect(bots[0]?.commandLists[0]?.commands.map((c) => c.title)).toEqual(ORDER.map((n) => COMMAND_WORDS[n][0]));
    expect(ORDER.map((_, i) => english[`bots[0].commandLists[0].commands[${i}].title`])).toEqual(ORDER.map((n) => COMMAND_WORDS[n][1]));
    expect(manifest.localizationInfo).toEqual({ defaultLanguageTag: 'es', additionalLanguages: [{ languageTag: 'en', file: 'en.json' }] });
  });

  it('the bot id is a placeholder to replace with TEAMS_APP_ID when packaging', () => {
    const bots = manifest.bots as { botId: string }[];
    expect(manifest.id).toBe('00000000-0000-0000-0000-000000000000');
    expect(bots[0]?.botId).toBe('00000000-0000-0000-0000-000000000000');
  });

  it.each([
    ['color.png', 192],
    ['outline.png', 32],
  ])('%s is a %i-pixel square PNG', (file, size) => {
    const png = readFileSync(resolve(root, 'teams', file));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    expect((manifest.icons as Record<string, string>)[file.replace('.png', '')]).toBe(file);
  });
});
