import { describe, expect, test } from '@jest/globals';
import { DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { fileFieldsCheck } from '@ecs-deploy/core/preflight';
import { ensureRegistered, loadTaskDefinitionFile, renderTaskDefinition } from '@ecs-deploy/core/task-definition';
import { readFileSync } from 'node:fs';
import { clientConfig } from '../support/sandbox-harness';
import {
  expectedRequest,
  expectedStored,
  familyOf,
  FIXTURE_DIR,
  fixtureFiles,
  fixturePath,
  FIXTURES,
  type FixtureExpectation,
} from '../support/task-definition-fixtures';
import { useSandbox } from '../support/use-sandbox';

// Every task-definition fixture through the product's own path, as deploy-ecs takes a file: loaded, its fields judged
// (the file-fields pre-flight check), rendered with the step's image, registered over real HTTP through the SDK
// against the sandbox. What arrived at RegisterTaskDefinition (the request body on the wire) must be the file after
// the documented transformations only, and DescribeTaskDefinition must hold all of it; or the file is refused, and
// the refusal names the field its expectation names.

const sandbox = useSandbox();
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/fixture:deploy-42';

/** An ECS client of the sandbox that keeps the body of each RegisterTaskDefinition request it sends. */
function recordingClient(): { ecs: ECSClient; registered: Array<Record<string, unknown>> } {
  const ecs = new ECSClient(clientConfig(sandbox, 1));
  const registered: Array<Record<string, unknown>> = [];
  ecs.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'RegisterTaskDefinitionCommand') {
        const body = (args.request as { body: string | Uint8Array }).body;
        registered.push(JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body)));
      }
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordRegisterTaskDefinition' },
  );
  return { ecs, registered };
}

type Outcome =
  | { kind: 'refused-by-file'; message: string }
  | { kind: 'refused-by-ecs'; message: string; name: string }
  | { kind: 'registered'; arn: string };

/** The product's path for a file: what deploy-ecs does with it up to RegisterTaskDefinition. */
async function deployPath(ecs: ECSClient, fixture: FixtureExpectation): Promise<Outcome> {
  const path = fixturePath(fixture.file);
  let loaded;
  try {
    loaded = await loadTaskDefinitionFile(path);
  } catch (error) {
    return { kind: 'refused-by-file', message: (error as Error).message };
  }
  // Rendered before the fields are judged, as deploy-ecs's file-renders check comes before file-fields.
  let rendered;
  try {
    rendered = renderTaskDefinition(loaded.definition, { container: fixture.container, image: IMAGE });
  } catch (error) {
    return { kind: 'refused-by-file', message: (error as Error).message };
  }
  const fields = await fileFieldsCheck({ path, loaded }).run();
  if (fields.status === 'fail') return { kind: 'refused-by-file', message: fields.detail };
  try {
    const registration = await ensureRegistered(ecs, rendered, loaded.tags, undefined);
    expect(registration.kind).toBe('registered');
    return { kind: 'registered', arn: registration.arn };
  } catch (error) {
    return { kind: 'refused-by-ecs', message: (error as Error).message, name: (error as Error).name };
  }
}

const revisionsOf = async (ecs: ECSClient, family: string) =>
  (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family }))).taskDefinitionArns ?? [];

describe('the fixture set', () => {
  test('holds at least 50 files, each with its expectation, each listed in the README', () => {
    const files = fixtureFiles().sort();
    expect(files.length).toBeGreaterThanOrEqual(50);
    expect(FIXTURES.map((fixture) => fixture.file).sort()).toEqual(files);
    const readme = readFileSync(`${FIXTURE_DIR}/README.md`, 'utf8');
    for (const file of files) expect(readme).toContain(`\`${file}\``);
    // Each file registers as its own family, so no fixture is taken for another's revision.
    for (const file of files) expect(JSON.stringify(JSON.parse(readFileSync(fixturePath(file), 'utf8')))).toContain(`"${familyOf(file)}"`);
  });

  test('holds both outcomes and both kinds of refusal', () => {
    expect(FIXTURES.filter((fixture) => 'registered' in fixture).length).toBeGreaterThanOrEqual(40);
    expect(FIXTURES.some((fixture) => 'refused' in fixture && fixture.refused.by === 'file')).toBe(true);
    expect(FIXTURES.some((fixture) => 'refused' in fixture && fixture.refused.by === 'ecs')).toBe(true);
  });
});

describe('each fixture through load, field judgement, render and RegisterTaskDefinition', () => {
  const registeredOnes = FIXTURES.filter((fixture) => 'registered' in fixture);
  const refusedOnes = FIXTURES.flatMap((fixture) => ('refused' in fixture ? [fixture] : []));

  test.each(registeredOnes.map((fixture) => [fixture.file, fixture] as const))('%s arrives with every field intact', async (_, fixture) => {
    const { ecs, registered } = recordingClient();
    const outcome = await deployPath(ecs, fixture);
    expect(outcome).toEqual({ kind: 'registered', arn: expect.stringContaining(`:task-definition/${familyOf(fixture.file)}:1`) });

    const request = expectedRequest(fixture.file, IMAGE, fixture.container);
    // The wire: exactly the file, transformed as documented, nothing dropped, renamed or added.
    expect(registered).toEqual([request]);
    // The sandbox kept all of it (beside the defaults ECS adds), and the tags apart.
    const described = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: (outcome as { arn: string }).arn, include: ['TAGS'] }),
    );
    expect(described.taskDefinition).toMatchObject(expectedStored(request));
    expect(described.tags ?? []).toEqual(request.tags ?? []);
  });

  test.each(refusedOnes.map((fixture) => [fixture.file, fixture] as const))('%s is refused, naming the field', async (_, fixture) => {
    const { ecs, registered } = recordingClient();
    const outcome = await deployPath(ecs, fixture);
    if (fixture.refused.by === 'file') {
      expect(outcome.kind).toBe('refused-by-file');
      // Refused before any AWS call: nothing went to RegisterTaskDefinition.
      expect(registered).toEqual([]);
    } else {
      expect(outcome).toMatchObject({
        kind: 'refused-by-ecs',
        name: expect.stringMatching(/^(ClientException|InvalidParameterException)$/),
      });
      // The file arrived as written: it is ECS that refuses the field, not the product that mangled it.
      const container = fixture.container;
      expect(registered).toEqual([expectedRequest(fixture.file, IMAGE, container)]);
    }
    const message = (outcome as { message: string }).message;
    for (const name of fixture.refused.names) expect(message).toContain(name);
    expect(await revisionsOf(ecs, familyOf(fixture.file))).toEqual([]);
  });
});
