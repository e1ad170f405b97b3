// Import rules for the whole repository, in dependency-cruiser's format. `npm run lint` checks them through
// .ci/check-imports.mjs; test/static/layers.test.ts runs them on small fixture trees to prove that each rule can fail.
// Paths are relative to the directory checked (the repository root).

// packages/core's layers, lowest first. A layer imports its own folder and the layers of lower rank only; the
// layers of one rank are siblings that do not import each other. To add a layer: put its folder name in the rank
// it builds on (or a new rank), add its subpath to packages/core/package.json's exports, and nothing else.
const CORE_LAYERS = [
  ['common'],
  ['report'],
  ['task-definition', 'logs'],
  // CodeDeploy's reads stand beside ECS's: a mechanism or a health check that needs both combines them above.
  // EventBridge's and Scheduler's scheduled tasks, read and moved, beside them.
  ['ecs', 'codedeploy', 'scheduled-tasks'],
  ['health'],
  // A deployment mechanism contributes pre-flight checks of its own, so preflight is below deployment.
  ['preflight'],
  ['deployment'],
  ['use-cases'],
];

// The one core folder that talks to the GitHub Actions runtime (@actions/*). It may import every layer; no layer
// imports it, so the layers stay callable without a runner (unit tests, several services in one step).
const CORE_PLATFORM = 'platform';

const core = (folder) => `packages/core/src/${folder}`;
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const under = (folder) => `^${escape(folder)}/`;
const anyOf = (folders) => `^(${folders.map(escape).join('|')})/`;

const layerRank = new Map(CORE_LAYERS.flatMap((rank, index) => rank.map((layer) => [layer, index])));
const allLayers = [...layerRank.keys()];

// One rule per forbidden pair, so the message names both folders and says why.
const layerRules = allLayers.flatMap((lower) =>
  allLayers
    .filter((other) => other !== lower && layerRank.get(other) >= layerRank.get(lower))
    .map((other) => {
      const siblings = layerRank.get(other) === layerRank.get(lower);
      const below = CORE_LAYERS.slice(0, layerRank.get(lower)).flat();
      return {
        name: siblings ? 'core-sibling-layers' : 'core-layer-order',
        severity: 'error',
        comment: siblings
          ? `${core(lower)} must not import ${core(other)}: they are sibling layers (both build on ${below.join(', ')}); move what both need down a layer`
          : `${core(lower)} must not import ${core(other)}: ${other} builds on ${lower}`,
        from: { path: under(core(lower)) },
        to: { path: under(core(other)) },
      };
    }),
);

export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'import cycle: modules that import each other cannot be understood, tested or loaded one at a time; move what both need into a third module or pass it in',
      from: {},
      to: { circular: true },
    },
    {
      name: 'resolvable',
      severity: 'error',
      comment: 'an import the checker cannot resolve escapes every rule here: fix the path, or the package.json exports it goes through',
      from: { path: '^(packages|actions)/[^/]+/src/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'actions-independent',
      severity: 'error',
      comment: 'an action must not import another action: shared logic belongs in packages/core',
      from: { path: '^actions/([^/]+)/' },
      to: { path: '^actions/', pathNot: '^actions/$1/' },
    },
    {
      name: 'core-not-sandbox',
      severity: 'error',
      comment:
        'packages/core must not import packages/sandbox: the sandbox is a test double for AWS, and core ships in the bundle of every action',
      from: { path: '^packages/core/' },
      to: { path: '^packages/sandbox/' },
    },
    {
      name: 'sandbox-not-core',
      severity: 'error',
      comment:
        'packages/sandbox must not import packages/core: the sandbox emulates AWS from its wire protocols, so it must not share the code it checks',
      from: { path: '^packages/sandbox/' },
      to: { path: '^packages/core/' },
    },
    {
      name: 'actions-not-sandbox',
      severity: 'error',
      comment: 'an action must not import packages/sandbox: it would ship the test double in the bundle',
      from: { path: '^actions/[^/]+/src/' },
      to: { path: '^packages/sandbox/' },
    },
    {
      name: 'core-actions-only-in-platform',
      severity: 'error',
      comment: `only ${core(CORE_PLATFORM)} may import @actions/*: the layers must run without a GitHub runner`,
      from: { path: under('packages/core/src'), pathNot: under(core(CORE_PLATFORM)) },
      to: { path: '(^|/)node_modules/@actions/|^@actions/' },
    },
    {
      name: 'core-not-platform',
      severity: 'error',
      comment: `nothing in packages/core may import ${core(CORE_PLATFORM)}: only the actions do, so the layers stay free of the runner`,
      from: { path: under('packages/core/src'), pathNot: under(core(CORE_PLATFORM)) },
      to: { path: under(core(CORE_PLATFORM)) },
    },
    {
      name: 'core-known-layer',
      severity: 'error',
      comment: `this file is outside every layer of packages/core/src (${allLayers.join(', ')}) and ${CORE_PLATFORM}: move it into one, or add its new folder to CORE_LAYERS in .ci/dependency-cruiser.js`,
      from: { path: under('packages/core/src'), pathNot: anyOf([...allLayers, CORE_PLATFORM].map(core)) },
      to: {},
    },
    ...layerRules,
  ],
  options: {
    // Type-only imports count: a cycle or a layer break in types is a cycle or a layer break in the design.
    tsPreCompilationDeps: true,
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: ['(^|/)dist/', '^test/static/fixtures/'] },
    // Workspace packages resolve through their package.json exports, as the bundler and tsc resolve them.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
