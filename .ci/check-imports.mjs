// `npm run lint`'s import check: the rules of .ci/dependency-cruiser.js over the given folders (by default the whole
// repository), minus the temporary KNOWN_CYCLES. Prints one block per broken rule, naming the rule, the import and
// why, and exits 1 if there is any. Paths are relative to the base directory (the working directory by default),
// which is where the rules' paths start.
import { cruise } from 'dependency-cruiser';
import { pathToFileURL } from 'node:url';
import config, { KNOWN_CYCLES } from './dependency-cruiser.js';

const DEFAULT_FOLDERS = ['packages', 'actions', 'test'];

const sameModules = (left, right) => left.length === right.length && left.every((name) => right.includes(name));

// A cycle's modules: the importing one and every module the cycle passes through.
const cycleModules = (violation) => [...new Set([violation.from, ...violation.cycle.map(({ name }) => name)])];

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
  const route = violation.cycle ? [violation.from, ...violation.cycle.map(({ name }) => name)] : aboutModule ? [violation.from] : [violation.from, shown(violation)];
  return { rule: rule.name, route, why: rule.comment };
}

export const formatProblem = ({ rule, route, why }) => `error ${rule}: ${route.join(' → ')}\n  ${why}`;

/**
 * Checks `folders` (relative to `baseDir`) against the rules. Returns the problems, each { rule, route, why }, and
 * how much was checked. A known cycle is excused only with exactly the modules its entry names.
 */
export async function checkImports(folders = DEFAULT_FOLDERS, { knownCycles = KNOWN_CYCLES, baseDir = process.cwd() } = {}) {
  const { output } = await cruise(folders, { ...config.options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden } });
  const cruised = new Set(output.modules.map(({ source }) => source));
  const violations = output.summary.violations.filter((violation) => violation.rule.severity === 'error');
  const isKnown = (violation) => violation.cycle !== undefined && knownCycles.some((known) => sameModules(known, cycleModules(violation)));
  const unexcused = violations.filter((violation) => !isKnown(violation));
  // A rule about a module itself (no `to`) breaks once per import of the module: report the module once.
  const seen = new Set();
  const problems = unexcused.map(problemOf).filter((problem) => !seen.has(formatProblem(problem)) && seen.add(formatProblem(problem)));
  // A known cycle of the tree checked (one of its modules is there) that is no longer found is gone: its entry must go
  // too, or it would excuse the same cycle coming back. An entry about another tree (none of its modules there) is not
  // judged, so the checker also runs on fixture trees.
  for (const known of knownCycles) {
    const aboutThisTree = known.some((name) => cruised.has(name));
    if (aboutThisTree && !violations.some((violation) => violation.cycle !== undefined && sameModules(known, cycleModules(violation)))) {
      problems.push({ rule: 'known-cycle-gone', route: known, why: 'this cycle is gone: delete its entry from KNOWN_CYCLES in .ci/dependency-cruiser.js' });
    }
  }
  return { problems, modules: output.summary.totalCruised, imports: output.summary.totalDependenciesCruised, excused: violations.length - unexcused.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const folders = process.argv.slice(2);
  const { problems, modules, imports, excused } = await checkImports(folders.length > 0 ? folders : undefined);
  for (const problem of problems) console.log(`${formatProblem(problem)}\n`);
  const plural = (count, noun) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  const known = excused > 0 ? `, ${plural(excused, 'known cycle')} excused` : '';
  console.log(`import rules: ${plural(problems.length, 'problem')} in ${modules} modules, ${imports} imports${known}`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
