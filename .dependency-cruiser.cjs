/**
 * The import rule, checked by `npm run lint` (depcruise src --config .dependency-cruiser.cjs).
 *
 * "The domain decides, the shell acts": src/domain is pure. It may import only itself, the directory's
 * pure model and presidency derivation, and node:crypto. Type-only imports count too (tsPreCompilationDeps),
 * so `import type { App } from '@slack/bolt'` in the domain fails just like a value import.
 *
 * src/interaction (the layer Slack, Teams and the console share) imports no adapter and no platform SDK.
 *
 * Proven to fail on a violation by test/unit/lint/import-rule.test.ts.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'src/domain may import only src/domain, src/directory/model.ts, src/directory/presidency.ts and node:crypto. ' +
        'Move I/O (Slack, Teams, Prisma, BullMQ, Redis, pino, the filesystem, the clock) to a flow or an adapter and pass values in.',
      from: { path: '^src/domain/' },
      to: {
        pathNot: [
          '^src/domain/',
          '^src/directory/model\\.ts$',
          '^src/directory/presidency\\.ts$',
          '^(node:)?crypto$',
        ],
      },
    },
    {
      name: 'interaction-is-platform-free',
      severity: 'error',
      comment:
        'src/interaction is the layer every chat adapter shares (Slack, Teams, the console): intents in, neutral replies out. ' +
        'It must not import an adapter (src/adapters) or a platform SDK (@slack/*, @microsoft/*, botbuilder); a platform detail belongs in its adapter.',
      from: { path: '^src/interaction/' },
      to: { path: ['^src/adapters/', '(^|/)node_modules/@slack/', '(^|/)node_modules/@microsoft/', '(^|/)node_modules/botbuilder', '^@slack/', '^@microsoft/'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Circular imports make load order matter (and fail at run time in ESM with TDZ errors). Extract the shared part. ' +
        'A cycle closed only by an `import type` edge is erased at compile time and is not flagged.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'calendar-and-directory-below-the-shell',
      severity: 'error',
      comment: 'src/calendar and src/directory are libraries for the flows; they must not reach up into storage, jobs, adapters or flows.',
      from: { path: '^src/(calendar|directory)/' },
      to: { path: '^src/(store|jobs|adapters|flows)/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that cannot be resolved: a typo, a missing .ts extension, or a package not in package.json.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-dev-dependencies-in-src',
      severity: 'error',
      comment: 'Production code must not import devDependencies (they are not guaranteed at run time).',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['^src/generated/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
