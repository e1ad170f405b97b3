import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { request } from 'node:http';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  DuplicateListenerException,
  ListenerNotFoundException,
  ModifyListenerCommand,
  ModifyRuleCommand,
  PriorityInUseException,
  RegisterTargetsCommand,
  ResourceInUseException,
  type Action,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { start, type Sandbox } from '../src/index';
import { createTargetGroup } from '../../../test/support/load-balancer';
import { elbClient, waitFor } from './support/harness';
import { startHttpTarget, type HttpTarget } from './support/http-target';

let sandbox: Sandbox;
let elb: ElasticLoadBalancingV2Client;
let loadBalancerArn: string;
let blue: string;
let green: string;
const servers: HttpTarget[] = [];
let nextPort = 8000;

/** A target group with one healthy target answering its name. */
async function groupWithTarget(name: string): Promise<string> {
  const { targetGroupArn } = await createTargetGroup(sandbox, name);
  const server = await startHttpTarget(name);
  servers.push(server);
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: '127.0.0.1', Port: server.port }] }));
  await waitFor(`${name} healthy`, async () => {
    const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    return health.TargetHealthDescriptions?.[0]?.TargetHealth?.State === 'healthy' ? true : undefined;
  });
  return targetGroupArn;
}

beforeAll(async () => {
  // Health checks every 5 s become every 250 ms.
  sandbox = await start({ timeScale: 0.05 });
  elb = elbClient(sandbox);
  loadBalancerArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: ['subnet-1', 'subnet-2'] }))).LoadBalancers?.[0]
    ?.LoadBalancerArn as string;
  [blue, green] = [await groupWithTarget('blue'), await groupWithTarget('green')];
});
afterAll(async () => {
  await sandbox.stop();
  await Promise.all(servers.map((s) => s.close()));
});

const weighted = (blueWeight: number, greenWeight: number): Action[] => [
  {
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: blue, Weight: blueWeight },
        { TargetGroupArn: green, Weight: greenWeight },
      ],
    },
  },
];

/** A listener on a port of its own on the `web` load balancer; answers its ARN. */
async function listener(defaultActions: Action[]): Promise<string> {
  const created = await elb.send(
    new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, Protocol: 'HTTP', Port: nextPort++, DefaultActions: defaultActions }),
  );
  return created.Listeners?.[0]?.ListenerArn as string;
}

/** What `count` requests through the listener answered (each target answers its name). */
async function send(listenerArn: string, count: number, path = '/', host?: string): Promise<string[]> {
  const url = new URL(path, sandbox.listenerUrl(listenerArn));
  const answers: string[] = [];
  for (let i = 0; i < count; i++) {
    answers.push(
      await new Promise<string>((resolve, reject) => {
        const req = request(url, { headers: host ? { host } : {} }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve(body));
        });
        req.on('error', reject);
        req.end();
      }),
    );
  }
  return answers;
}

describe('listeners forward to weighted target groups', () => {
  test('weights 100/0 send every request to the first group', async () => {
    const arn = await listener(weighted(100, 0));
    expect(await send(arn, 6)).toEqual(Array(6).fill('blue'));
  });

  test('ModifyListener to 0/100 moves all traffic to the other group', async () => {
    const arn = await listener(weighted(100, 0));
    await elb.send(new ModifyListenerCommand({ ListenerArn: arn, DefaultActions: weighted(0, 100) }));
    expect(await send(arn, 6)).toEqual(Array(6).fill('green'));
  });

  test('weights 50/50 alternate between the two groups', async () => {
    const arn = await listener(weighted(50, 50));
    expect(await send(arn, 6)).toEqual(['blue', 'green', 'blue', 'green', 'blue', 'green']);
  });

  test('weights 90/10 send one request in ten to the second group, the same way every run', async () => {
    const arn = await listener(weighted(90, 10));
    const answers = await send(arn, 20);
    expect(answers.filter((a) => a === 'green')).toHaveLength(2);
  });

  test("X-Forwarded-Port is the listener's port, as on an ALB, not the local socket standing in for it", async () => {
    const arn = await listener([{ Type: 'forward', TargetGroupArn: blue }]);
    const [described] = (await elb.send(new DescribeListenersCommand({ ListenerArns: [arn] }))).Listeners ?? [];
    const echoed = await fetch(`${sandbox.listenerUrl(arn)}/echo`, { method: 'POST', body: '' });
    expect(echoed.headers.get('x-forwarded-port-seen')).toBe(String(described.Port));
    expect(sandbox.listenerUrl(arn)).not.toContain(`:${described.Port}`);
  });

  test('a rule with a path condition forwards its paths to its group; other paths take the default action', async () => {
    const arn = await listener([{ Type: 'forward', TargetGroupArn: blue }]);
    await elb.send(
      new CreateRuleCommand({
        ListenerArn: arn,
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: green }],
      }),
    );
    expect(await send(arn, 2, '/api/orders?id=1')).toEqual(['green', 'green']);
    expect(await send(arn, 2, '/index.html')).toEqual(['blue', 'blue']);
    // Path patterns are case-sensitive.
    expect(await send(arn, 1, '/API/orders')).toEqual(['blue']);
  });

  test('a rule with a host condition matches the host name, whatever its case', async () => {
    const arn = await listener([{ Type: 'forward', TargetGroupArn: blue }]);
    await elb.send(
      new CreateRuleCommand({
        ListenerArn: arn,
        Priority: 5,
        Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['*.test.example.com'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: green }],
      }),
    );
    expect(await send(arn, 1, '/', 'App.Test.Example.com:8080')).toEqual(['green']);
    expect(await send(arn, 1, '/', 'app.example.com')).toEqual(['blue']);
  });

  test('ModifyRule moves a rule to other weights', async () => {
    const arn = await listener([{ Type: 'forward', TargetGroupArn: blue }]);
    const created = await elb.send(
      new CreateRuleCommand({
        ListenerArn: arn,
        Priority: 1,
        Conditions: [{ Field: 'path-pattern', Values: ['/canary'] }],
        Actions: [{ Type: 'forward', TargetGroupArn: blue }],
      }),
    );
    await elb.send(new ModifyRuleCommand({ RuleArn: created.Rules?.[0]?.RuleArn, Actions: weighted(0, 1) }));
    expect(await send(arn, 2, '/canary')).toEqual(['green', 'green']);
  });
});

describe('the wire shape the SDK parses', () => {
  test('DescribeListeners: the TargetGroupArn shorthand comes back with a ForwardConfig of weight 1', async () => {
    const arn = await listener([{ Type: 'forward', TargetGroupArn: blue }]);
    const described = await elb.send(new DescribeListenersCommand({ ListenerArns: [arn] }));
    expect(described.Listeners).toEqual([
      {
        ListenerArn: arn,
        LoadBalancerArn: loadBalancerArn,
        Port: expect.any(Number),
        Protocol: 'HTTP',
        DefaultActions: [
          {
            Type: 'forward',
            TargetGroupArn: blue,
            ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
          },
        ],
      },
    ]);
    expect(arn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:000000000000:listener\/app\/web\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
  });

  test('DescribeListeners by load balancer: weighted actions carry no single TargetGroupArn', async () => {
    const arn = await listener(weighted(80, 20));
    const described = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }));
    const found = described.Listeners?.find((l) => l.ListenerArn === arn);
    expect(found?.DefaultActions).toEqual([
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: blue, Weight: 80 },
            { TargetGroupArn: green, Weight: 20 },
          ],
          TargetGroupStickinessConfig: { Enabled: false },
        },
      },
    ]);
  });

  test('DescribeRules: rules by priority, the default rule last', async () => {
    const arn = await listener([{ Type: 'forward', TargetGroupArn: blue }]);
    const forwardGreen: Action[] = [{ Type: 'forward', TargetGroupArn: green }];
    await elb.send(
      new CreateRuleCommand({
        ListenerArn: arn,
        Priority: 20,
        Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['b.example.com'] } }],
        Actions: forwardGreen,
      }),
    );
    await elb.send(
      new CreateRuleCommand({
        ListenerArn: arn,
        Priority: 3,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/a/*'] } }],
        Actions: forwardGreen,
      }),
    );
    const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: arn }))).Rules ?? [];
    expect(rules.map((r) => [r.Priority, r.IsDefault])).toEqual([
      ['3', false],
      ['20', false],
      ['default', true],
    ]);
    expect(rules[0]).toMatchObject({
      RuleArn: expect.stringMatching(/:listener-rule\/app\/web\//),
      Conditions: [{ Field: 'path-pattern', Values: ['/a/*'], PathPatternConfig: { Values: ['/a/*'] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: green }],
    });
    expect(rules[1].Conditions).toEqual([
      { Field: 'host-header', Values: ['b.example.com'], HostHeaderConfig: { Values: ['b.example.com'] } },
    ]);
    expect(rules[2]).toMatchObject({ Conditions: [], Actions: [{ Type: 'forward', TargetGroupArn: blue }] });
  });

  test('a target group names the load balancers that forward to it, its own first', async () => {
    const group = (await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [green] }))).TargetGroups?.[0];
    expect(group?.LoadBalancerArns?.[0]).toMatch(/:loadbalancer\/app\/sandbox-green\//);
    expect(group?.LoadBalancerArns).toContain(loadBalancerArn);
    const forwarded = await elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: loadBalancerArn }));
    expect(forwarded.TargetGroups?.map((g) => g.TargetGroupName).sort()).toEqual(['blue', 'green']);
  });

  test("a target group's own load balancer has the one listener loadBalancerUrl answers", async () => {
    const group = (await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [blue] }))).TargetGroups?.[0];
    const own = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: group?.LoadBalancerArns?.[0] }));
    expect(own.Listeners).toHaveLength(1);
    expect(own.Listeners?.[0]).toMatchObject({ Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: blue }] });
    expect(sandbox.listenerUrl(own.Listeners?.[0]?.ListenerArn as string)).toBe(sandbox.loadBalancerUrl(blue));
  });
});

describe('errors', () => {
  test('a second listener on the same port is DuplicateListener', async () => {
    const arn = await listener([{ Type: 'forward', TargetGroupArn: blue }]);
    const port = (await elb.send(new DescribeListenersCommand({ ListenerArns: [arn] }))).Listeners?.[0]?.Port;
    const again = elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: loadBalancerArn,
        Protocol: 'HTTP',
        Port: port,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: green }],
      }),
    );
    await expect(again).rejects.toBeInstanceOf(DuplicateListenerException);
  });

  test('a second rule at the same priority is PriorityInUse', async () => {
    const arn = await listener([{ Type: 'forward', TargetGroupArn: blue }]);
    const rule = {
      ListenerArn: arn,
      Priority: 7,
      Conditions: [{ Field: 'path-pattern', Values: ['/x'] }],
      Actions: [{ Type: 'forward' as const, TargetGroupArn: green }],
    };
    await elb.send(new CreateRuleCommand(rule));
    await expect(elb.send(new CreateRuleCommand(rule))).rejects.toMatchObject({
      constructor: PriorityInUseException,
      message: "Priority '7' is currently in use",
    });
  });

  test('an unknown listener is ListenerNotFound', async () => {
    const missing = loadBalancerArn.replace(':loadbalancer/', ':listener/') + '/0123456789abcdef';
    await expect(elb.send(new DescribeListenersCommand({ ListenerArns: [missing] }))).rejects.toBeInstanceOf(ListenerNotFoundException);
  });

  test('a weight outside 0..999 is a ValidationError', async () => {
    await expect(listener(weighted(1000, 0))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Weight must be an integer between 0 and 999, got 1000',
    });
  });

  test("a target group another load balancer's listener forwards to cannot be deleted", async () => {
    await expect(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: blue }))).rejects.toBeInstanceOf(ResourceInUseException);
  });
});
