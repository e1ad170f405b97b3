// `npm run lint`'s import check: the rules of .ci/dependency-cruiser.js over the given folders (by default the whole
// repository). Prints one block per broken rule, naming the rule, the import and why, and exits 1 if there is any.
// Paths are relative to the base directory (the working directory by default), which is where the rules' paths start.
import { cruise } from 'dependency-cruiser';
import { pathToFileURL } from 'node:url';
import config from './dependency-cruiser.js';

const DEFAULT_FOLDERS = ['packages', 'actions', 'test'];

// Rules share a name (one per pair of core layers) but not a comment: find the one whose paths this import matches.
function ruleOf(violation) {
  const named = config.forbidden.filter((rule) => rule.name === violation.rule.name);
  const matches = (pattern, path) => !pattern || new RegExp(pattern).test(path);
  return named.find((rule) => matches(rule.from.path, violation.from) && matches(rule.to.path, violation.to)) ?? named[0];
}

// A package import shows as the name it was imported by, not as the file it resolved to inside node_modules.
const shown = (violation) => (/(^|\/)node_modules\//.test(violation.to) ? violation.unresolvedTo : violation.to);

function problemOf(violation) {
  const rule = ruleOf(violation);
  const aboutModule = Object.keys(rule.to).length === 0;
  const route = violation.cycle
    ? [violation.from, ...violation.cycle.map(({ name }) => name)]
    : aboutModule
      ? [violation.from]
      : [violation.from, shown(violation)];
  return { rule: rule.name, route, why: rule.comment };
}

export const formatProblem = ({ rule, route, why }) => `error ${rule}: ${route.join(' → ')}\n  ${why}`;

/** Checks `folders` (relative to `baseDir`) against the rules: the problems, each { rule, route, why }, and how much was checked. */
export async function checkImports(folders = DEFAULT_FOLDERS, { baseDir = process.cwd() } = {}) {
  const { output } = await cruise(folders, { ...config.options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden } });
  const errors = output.summary.violations.filter((violation) => violation.rule.severity === 'error');
  // A rule about a module itself (no `to`) breaks once per import of the module: report the module once.
  const seen = new Set();
  const problems = errors.map(problemOf).filter((problem) => !seen.has(formatProblem(problem)) && seen.add(formatProblem(problem)));
  return { problems, modules: output.summary.totalCruised, imports: output.summary.totalDependenciesCruised };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const folders = process.argv.slice(2);
  const { problems, modules, imports } = await checkImports(folders.length > 0 ? folders : undefined);
  for (const problem of problems) console.log(`${formatProblem(problem)}\n`);
  console.log(`import rules: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${modules} modules, ${imports} imports`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
