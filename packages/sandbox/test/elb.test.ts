import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  DuplicateTargetGroupNameException,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  TargetGroupNotFoundException,
  type ElasticLoadBalancingV2Client,
  type TargetHealth,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { start, type Sandbox } from '../src/index';
import { createTargetGroup } from '../../../test/support/load-balancer';
import { elbClient, waitFor } from './support/harness';
import { startHttpTarget, type HttpTarget } from './support/http-target';

let sandbox: Sandbox;
let elb: ElasticLoadBalancingV2Client;
const servers: HttpTarget[] = [];
beforeAll(async () => {
  // Health checks every 5 s become every 250 ms; a 20 s deregistration delay becomes 1 s.
  sandbox = await start({ timeScale: 0.05 });
  elb = elbClient(sandbox);
});
afterAll(async () => {
  await sandbox.stop();
  await Promise.all(servers.map((s) => s.close()));
});

/** A target group checking `/health` every 5 s (250 ms here), 2 checks either way, 20 s (1 s) of draining. */
const group = async (name: string) => (await createTargetGroup(sandbox, name)).targetGroupArn;

async function target(name: string): Promise<HttpTarget> {
  const server = await startHttpTarget(name);
  servers.push(server);
  return server;
}

async function health(arn: string, port: number): Promise<TargetHealth | undefined> {
  const answer = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.1', Port: port }] }));
  return answer.TargetHealthDescriptions?.[0]?.TargetHealth;
}

const stateOf = (arn: string, port: number, state: string) =>
  waitFor(`target ${port} ${state}`, async () => ((await health(arn, port))?.State === state ? true : undefined));

async function post(body: string) {
  const response = await fetch(sandbox.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

describe('ELBv2 over awsQuery', () => {
  test('target groups: create with ALB defaults, describe by name and ARN, attributes, delete', async () => {
    const created = await elb.send(new CreateTargetGroupCommand({ Name: 'defaults', Protocol: 'HTTP', Port: 80, VpcId: 'vpc-1' }));
    const tg = created.TargetGroups?.[0];
    expect(tg).toMatchObject({
      TargetGroupName: 'defaults',
      TargetType: 'instance',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: 'traffic-port',
      HealthCheckPath: '/',
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 6,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
    });
    expect(tg?.TargetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup\/defaults\/[0-9a-f]{16}$/);
    expect(tg?.LoadBalancerArns?.[0]).toMatch(/:loadbalancer\/app\//);
    const arn = tg?.TargetGroupArn as string;

    // Creating the same group again answers it again; different settings under the same name are refused.
    const again = await elb.send(new CreateTargetGroupCommand({ Name: 'defaults', Protocol: 'HTTP', Port: 80, VpcId: 'vpc-1' }));
    expect(again.TargetGroups?.[0]?.TargetGroupArn).toBe(arn);
    await expect(
      elb.send(new CreateTargetGroupCommand({ Name: 'defaults', Protocol: 'HTTP', Port: 81, VpcId: 'vpc-1' })),
    ).rejects.toBeInstanceOf(DuplicateTargetGroupNameException);

    expect((await elb.send(new DescribeTargetGroupsCommand({ Names: ['defaults'] }))).TargetGroups?.map((g) => g.TargetGroupArn)).toEqual([
      arn,
    ]);
    expect((await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }))).TargetGroups).toHaveLength(1);
    const attributes = (await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }))).Attributes;
    expect(attributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '300' });
    const modified = await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: arn,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }],
      }),
    );
    expect(modified.Attributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '5' });

    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));
    await expect(elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }))).rejects.toBeInstanceOf(
      TargetGroupNotFoundException,
    );
    expect(() => sandbox.loadBalancerUrl(arn)).toThrow(/no target group/);
  });

  test('errors come in the awsQuery XML error shape, and the SDK raises its own classes from them', async () => {
    const missing = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/none/0123456789abcdef';
    const error = (await elb
      .send(new DescribeTargetHealthCommand({ TargetGroupArn: missing }))
      .catch((e: unknown) => e)) as TargetGroupNotFoundException;
    expect(error).toBeInstanceOf(TargetGroupNotFoundException);
    expect(error.message).toBe('One or more target groups not found');
    expect(error.$metadata.httpStatusCode).toBe(400);

    const invalid = elb.send(new CreateTargetGroupCommand({ Name: 'bad_name', Protocol: 'HTTP', Port: 80, VpcId: 'vpc-1' }));
    await expect(invalid).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining("'bad_name'") });
    const arn = await group('attr-errors');
    const badAttribute = elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: arn,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '9999' }],
      }),
    );
    await expect(badAttribute).rejects.toMatchObject({ name: 'ValidationError' });

    const raw = await post(`Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=nothing`);
    expect(raw.status).toBe(400);
    expect(raw.type).toBe('text/xml');
    expect(raw.text).toMatch(
      /^<ErrorResponse xmlns="http:\/\/elasticloadbalancing\.amazonaws\.com\/doc\/2015-12-01\/"><Error><Type>Sender<\/Type><Code>TargetGroupNotFound<\/Code><Message>One or more target groups not found<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
    const ok = await post(`Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=attr-errors`);
    expect(ok.text).toMatch(
      /^<DescribeTargetGroupsResponse xmlns="http:\/\/elasticloadbalancing\.amazonaws\.com\/doc\/2015-12-01\/"><DescribeTargetGroupsResult><TargetGroups><member><TargetGroupArn>/,
    );
    expect(ok.text).toMatch(
      /<\/DescribeTargetGroupsResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/DescribeTargetGroupsResponse>$/,
    );
  });

  test('an unknown action is answered InvalidAction, and the awsJson1_1 path is untouched', async () => {
    const unknown = await post('Action=LaunchRocket&Version=2015-12-01');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('<Code>InvalidAction</Code>');
    expect(unknown.text).toContain('Could not find operation LaunchRocket for version 2015-12-01');
    const json = await fetch(sandbox.endpoint, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AmazonEC2ContainerServiceV20141113.ListClusters', 'Content-Type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ clusterArns: [] });
  });
});

describe('target health', () => {
  test('initial (registration, then initial checks) to healthy; failing checks give their reason codes', async () => {
    const arn = await group('health');
    const server = await target('a');
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.1', Port: server.port }] }));
    expect(await health(arn, server.port)).toEqual({
      State: 'initial',
      Reason: 'Elb.RegistrationInProgress',
      Description: 'Target registration is in progress',
    });
    await stateOf(arn, server.port, 'healthy');

    server.healthStatus = 500;
    await stateOf(arn, server.port, 'unhealthy');
    expect(await health(arn, server.port)).toEqual({
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch',
      Description: 'Health checks failed with these codes: [500]',
    });
    // Back in service after HealthyThresholdCount consecutive successes.
    server.healthStatus = 200;
    await stateOf(arn, server.port, 'healthy');

    // A port nobody listens on: the connection is refused.
    const closed = await target('closed');
    await closed.close();
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.1', Port: closed.port }] }));
    await waitFor('initial checks', async () =>
      (await health(arn, closed.port))?.Reason === 'Elb.InitialHealthChecking' ? true : undefined,
    );
    await stateOf(arn, closed.port, 'unhealthy');
    expect(await health(arn, closed.port)).toMatchObject({ Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' });

    // A target never registered is `unused`.
    expect(await health(arn, 1)).toEqual({
      State: 'unused',
      Reason: 'Target.NotRegistered',
      Description: 'Target is not registered to the target group',
    });
  });
});

describe('load balancer', () => {
  test('routes round robin to healthy targets only', async () => {
    const arn = await group('round-robin');
    const [a, b, sick] = [await target('a'), await target('b'), await target('sick')];
    sick.healthStatus = 503;
    await elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [a, b, sick].map((s) => ({ Id: '127.0.0.1', Port: s.port })) }),
    );
    await stateOf(arn, a.port, 'healthy');
    await stateOf(arn, b.port, 'healthy');
    await stateOf(arn, sick.port, 'unhealthy');
    const url = sandbox.loadBalancerUrl(arn);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push(await (await fetch(`${url}/hello`)).text());
    expect(answers.filter((x) => x === 'a')).toHaveLength(3);
    expect(answers.filter((x) => x === 'b')).toHaveLength(3);
    expect(answers[0]).not.toBe(answers[1]);
    expect(sick.served).toBe(0);

    // Methods, bodies, statuses and headers pass through, with X-Forwarded-For added.
    const echoed = await fetch(`${url}/echo`, { method: 'POST', body: 'order=42' });
    expect(echoed.status).toBe(201);
    expect(echoed.headers.get('x-target')).toMatch(/^[ab]$/);
    expect(await echoed.text()).toBe('POST 127.0.0.1 order=42');
  });

  test('fails open when every registered target is unhealthy, and answers 503 when none is registered', async () => {
    const arn = await group('fail-open');
    const url = sandbox.loadBalancerUrl(arn);
    const none = await fetch(url);
    expect(none.status).toBe(503);
    const sick = await target('sick-but-serving');
    sick.healthStatus = 500;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.1', Port: sick.port }] }));
    // While registering or in initial checks the target gets nothing.
    expect((await fetch(url)).status).toBe(503);
    await stateOf(arn, sick.port, 'unhealthy');
    const open = await fetch(url);
    expect(open.status).toBe(200);
    expect(await open.text()).toBe('sick-but-serving');
  });

  test('a deregistered target drains: an in-flight request completes, new requests go elsewhere, and it leaves after the delay', async () => {
    const arn = await group('draining');
    const [oldTarget, newTarget] = [await target('old'), await target('new')];
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.1', Port: oldTarget.port }] }));
    await stateOf(arn, oldTarget.port, 'healthy');
    const url = sandbox.loadBalancerUrl(arn);

    const slow = fetch(`${url}/slow?ms=600`).then(async (r) => ({ status: r.status, text: await r.text() }));
    await waitFor('the slow request to reach the target', async () => (oldTarget.served === 1 ? true : undefined));
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.1', Port: newTarget.port }] }));
    await stateOf(arn, newTarget.port, 'healthy');
    const deregisteredAt = Date.now();
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.1', Port: oldTarget.port }] }));
    expect(await health(arn, oldTarget.port)).toEqual({
      State: 'draining',
      Reason: 'Target.DeregistrationInProgress',
      Description: 'Target deregistration is in progress',
    });
    for (let i = 0; i < 4; i++) expect(await (await fetch(`${url}/x`)).text()).toBe('new');
    await expect(slow).resolves.toEqual({ status: 200, text: 'old' });
    expect(oldTarget.served).toBe(1);

    // 20 s × 0.05 = 1 s of draining, then the target is gone.
    await stateOf(arn, oldTarget.port, 'unused');
    expect(Date.now() - deregisteredAt).toBeGreaterThanOrEqual(900);
  });

  test('a request still in flight when the deregistration delay ends is cut, as the ALB closes it', async () => {
    const arn = await group('drain-cut');
    const server = await target('lingering');
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.1', Port: server.port }] }));
    await stateOf(arn, server.port, 'healthy');
    const tooSlow = fetch(`${sandbox.loadBalancerUrl(arn)}/slow?ms=5000`).then((r) => r.status);
    await waitFor('the request to reach the target', async () => (server.served === 1 ? true : undefined));
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: '127.0.0.1', Port: server.port }] }));
    await expect(tooSlow).resolves.toBe(502);
  });
});

describe('fault injection on ELBv2', () => {
  test('throttling answers Throttling (400), server errors 503, and latency delays the answer', async () => {
    try {
      sandbox.setFaults({ throttleRate: 1, operations: ['DescribeTargetGroups'] });
      const throttled = await elbClient(sandbox, 1)
        .send(new DescribeTargetGroupsCommand({}))
        .catch((e: unknown) => e as Error & { $metadata: { httpStatusCode: number } });
      expect(throttled).toMatchObject({ name: 'Throttling', message: 'Rate exceeded' });
      expect(throttled.$metadata.httpStatusCode).toBe(400);
      expect(sandbox.calls.at(-1)).toMatchObject({ service: 'elbv2', operation: 'DescribeTargetGroups', fault: 'throttle' });
      // The SDK's standard retry treats it as throttling and retries.
      const before = sandbox.calls.length;
      await elbClient(sandbox, 2)
        .send(new DescribeTargetGroupsCommand({}))
        .catch(() => undefined);
      expect(sandbox.calls.length - before).toBe(2);

      sandbox.setFaults({ serverErrorRate: 1, operations: ['DescribeTargetGroups'] });
      const failed = await elbClient(sandbox, 1)
        .send(new DescribeTargetGroupsCommand({}))
        .catch((e: unknown) => e as Error & { $metadata: { httpStatusCode: number }; $fault: string });
      expect(failed).toMatchObject({ name: 'ServiceUnavailable', $fault: 'server' });
      expect(failed.$metadata.httpStatusCode).toBe(503);

      sandbox.setFaults({ latencyMs: 300, operations: ['DescribeTargetGroups'] });
      const started = Date.now();
      await elbClient(sandbox).send(new DescribeTargetGroupsCommand({}));
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(sandbox.calls.at(-1)?.fault).toBe('latency');
    } finally {
      sandbox.setFaults(undefined);
    }
  });
});
