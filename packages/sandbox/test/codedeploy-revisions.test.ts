import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  ListApplicationRevisionsCommand,
  RegisterApplicationRevisionCommand,
  RevisionDoesNotExistException,
} from '@aws-sdk/client-codedeploy';
import { start, type Sandbox } from '../src/index';
import { registerRevision } from '../../../test/support/blue-green';
import { codeDeployClient, createCodeDeployService, type CodeDeployService } from '../../../test/support/codedeploy';
import { appSpecContent, createDeployment, finished, refusalOf, walk } from './support/codedeploy-walk';

// ECS application revisions: the AppSpec, known by its sha256 (GetDeployment gives only that; GetApplicationRevision the content).
let sandbox: Sandbox;
let cd: CodeDeployService;
let v2: string;
beforeAll(async () => {
  sandbox = await start({ clock: 'manual' });
  cd = await createCodeDeployService(sandbox, { service: 'revs', group: { blueGreenDeploymentConfiguration: undefined } });
  await sandbox.advance(45_000);
  v2 = await registerRevision(sandbox, cd, 'v2');
});
afterAll(async () => {
  await sandbox.stop();
});

const codedeploy = () => codeDeployClient(sandbox);
const sha256 = (content: string) => createHash('sha256').update(content).digest('hex');

test("GetDeployment gives the revision's sha256 without its content, as the API reference says", async () => {
  const content = appSpecContent(cd, v2);
  const id = await createDeployment(sandbox, cd, content);
  const info = (await codedeploy().send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo;
  expect(info?.revision).toEqual({ revisionType: 'AppSpecContent', appSpecContent: { sha256: sha256(content) } });
  await walk(sandbox, cd, id, finished);
});

test("GetApplicationRevision by that sha256 gives a deployment's AppSpec and the group that deployed it", async () => {
  const content = appSpecContent(cd, v2, [{ BeforeInstall: 'arn:aws:lambda:us-east-1:000000000000:function:none' }]);
  const id = await createDeployment(sandbox, cd, content);
  const revision = (await codedeploy().send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo?.revision;
  const got = await codedeploy().send(new GetApplicationRevisionCommand({ applicationName: cd.applicationName, revision }));
  expect(got.revision).toEqual({ revisionType: 'AppSpecContent', appSpecContent: { content, sha256: sha256(content) } });
  expect(got.revisionInfo?.deploymentGroups).toEqual([cd.deploymentGroupName]);
  expect(got.revisionInfo?.firstUsedTime).toBeInstanceOf(Date);
  await walk(sandbox, cd, id, finished);
});

test('RegisterApplicationRevision keeps an AppSpec not yet deployed, with its description', async () => {
  const content = appSpecContent(cd, 'revs:99');
  await codedeploy().send(
    new RegisterApplicationRevisionCommand({
      applicationName: cd.applicationName,
      description: 'staged',
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content } },
    }),
  );
  const got = await codedeploy().send(
    new GetApplicationRevisionCommand({
      applicationName: cd.applicationName,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: sha256(content) } },
    }),
  );
  expect(got.revision?.appSpecContent?.content).toBe(content);
  expect(got.revisionInfo).toMatchObject({ description: 'staged', deploymentGroups: [] });
  expect(got.revisionInfo?.firstUsedTime).toBeUndefined();
  const notDeployed = await codedeploy().send(
    new ListApplicationRevisionsCommand({ applicationName: cd.applicationName, deployed: 'exclude' }),
  );
  expect(notDeployed.revisions).toEqual([{ revisionType: 'AppSpecContent', appSpecContent: { sha256: sha256(content) } }]);
});

test('GetApplicationRevision of a sha256 the application never had is RevisionDoesNotExistException', async () => {
  const error = await refusalOf(
    codedeploy().send(
      new GetApplicationRevisionCommand({
        applicationName: cd.applicationName,
        revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: '0'.repeat(64) } },
      }),
    ),
  );
  expect(error).toBeInstanceOf(RevisionDoesNotExistException);
});
