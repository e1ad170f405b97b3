import { diffDefinitions, type FieldDifference, type NamedDifferences } from './diff';
import type { StepSetting } from './render';
import type { RegistrableDefinition } from './strip';

/** How each side is called in the report: `production/web`, `staging/web`. */
export interface DriftSides {
  /** The revision this step is about to register. */
  ours: string;
  /** The revision the other service runs. */
  theirs: string;
}

/** What the step sets itself from its inputs (stepSettings), so a difference there is by design and left out. */
export type SetByStep = readonly StepSetting[];

/**
 * Keys that are not compared, with why: the images are the build the pipeline promotes from one environment to the
 * next (the environment compared with is normally ahead or behind by design); the family is named in the report's
 * heading instead, since environments normally have a family each. Registration metadata (revision, ARN, tags...)
 * is not part of a revision's content and normalise leaves it out.
 */
export const NOT_COMPARED = { task: ['family'], container: ['image'] } as const;

/**
 * The differences between the revision a step is about to register and the one another service runs, by name only:
 * "cpu differs", "containers[app].environment.DATABASE_URL differs", "containers[app].secrets.API_KEY only in
 * staging/web", "containers[worker] only in production/web". No value is ever part of a line: environment values
 * and secret references may be credentials or say where they are, and the log is readable by anyone with access to
 * the repository. Normalised first, so ECS's echoed defaults and list order are no difference.
 */
export function describeDrift(
  ours: RegistrableDefinition,
  theirs: RegistrableDefinition,
  sides: DriftSides,
  setByStep: SetByStep = [],
): string[] {
  const differences = diffDefinitions(theirs, ours);
  const lines = differences.fields
    .filter(({ field }) => !(NOT_COMPARED.task as readonly string[]).includes(field))
    .map((difference) => fieldLine(difference.field, difference, sides));
  const containers = [
    ...differences.added.map((container) => ({
      name: String(container.name),
      lines: [`containers[${container.name}] only in ${sides.ours}`],
    })),
    ...differences.removed.map((container) => ({
      name: String(container.name),
      lines: [`containers[${container.name}] only in ${sides.theirs}`],
    })),
    ...differences.changed.map(({ name, fields, environment, secrets }) => {
      const at = `containers[${name}]`;
      const setHere = (field: 'environment' | 'secrets') =>
        setByStep.flatMap((setting) => (setting.container === name && setting.field === field ? [setting.name] : []));
      return {
        name,
        lines: [
          ...fields
            .filter(({ field }) => !(NOT_COMPARED.container as readonly string[]).includes(field))
            .map((difference) => fieldLine(`${at}.${difference.field}`, difference, sides)),
          ...namedLines(`${at}.environment`, environment, sides, setHere('environment')),
          ...namedLines(`${at}.secrets`, secrets, sides, setHere('secrets')),
        ],
      };
    }),
  ].sort((a, b) => a.name.localeCompare(b.name));
  return [...lines, ...containers.flatMap((container) => container.lines)];
}

/** before is theirs, after ours (diffDefinitions(theirs, ours)): a side that leaves the key out does not have it. */
function fieldLine(path: string, { before, after }: FieldDifference, sides: DriftSides): string {
  if (before === undefined) return `${path} only in ${sides.ours}`;
  if (after === undefined) return `${path} only in ${sides.theirs}`;
  return `${path} differs`;
}

function namedLines(path: string, { added, changed, removed }: NamedDifferences, sides: DriftSides, skipped: string[]): string[] {
  const keep = (name: string) => !skipped.includes(name);
  return [
    ...changed.filter(keep).map((name) => ({ name, line: `${path}.${name} differs` })),
    ...added.filter(keep).map((name) => ({ name, line: `${path}.${name} only in ${sides.ours}` })),
    ...removed.filter(keep).map((name) => ({ name, line: `${path}.${name} only in ${sides.theirs}` })),
  ]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ line }) => line);
}
