import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { start, type Sandbox } from '../src/index';

/**
 * The exact bytes the sandbox answers, so a change in how the server finds a service and its protocol
 * cannot change what goes on the wire. Request ids are random and replaced by REQUEST-ID.
 */
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await start({ timeScale: 0.05 });
});
afterAll(async () => {
  await sandbox.stop();
});

const JSON_1_1 = 'application/x-amz-json-1.1';
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
const ELB_NS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function raw(init: { method?: string; target?: string; type?: string; body?: string }): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.target) headers['X-Amz-Target'] = init.target;
  if (init.type) headers['Content-Type'] = init.type;
  const response = await fetch(sandbox.endpoint, {
    method: init.method ?? 'POST',
    headers,
    body: init.method === 'GET' ? undefined : (init.body ?? ''),
  });
  const requestId = response.headers.get('x-amzn-requestid') ?? '';
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  const picked: Record<string, string> = {};
  for (const name of ['content-type', 'x-amzn-errortype', 'x-amzn-query-error']) {
    const value = response.headers.get(name);
    if (value !== null) picked[name] = value;
  }
  const body = (await response.text()).split(requestId).join('REQUEST-ID');
  return { status: response.status, headers: picked, body };
}

const json = (target: string, body = '{}') => raw({ target, type: JSON_1_1, body });
const query = (body: string, method = 'POST') => raw({ type: FORM, body, method });
const unknownJson = (contentType = JSON_1_1): Answer => ({
  status: 400,
  headers: { 'content-type': contentType, 'x-amzn-errortype': 'UnknownOperationException' },
  body: '{"__type":"com.amazon.coral.service#UnknownOperationException"}',
});
const invalidAction = (action: string, version: string): Answer => ({
  status: 400,
  headers: { 'content-type': 'text/xml' },
  body: `<ErrorResponse xmlns="${ELB_NS}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation ${action} for version ${version}</Message></Error><RequestId>REQUEST-ID</RequestId></ErrorResponse>`,
});

describe('JSON protocols', () => {
  test('a success answers the operation result as JSON', async () => {
    expect(await json('AmazonEC2ContainerServiceV20141113.ListClusters')).toEqual({
      status: 200,
      headers: { 'content-type': JSON_1_1 },
      body: '{"clusterArns":[]}',
    });
  });

  test("an unknown operation of a known service is UnknownOperationException, in that service's content type", async () => {
    expect(await json('AmazonEC2ContainerServiceV20141113.LaunchRocket')).toEqual(unknownJson());
    expect(await json('Logs_20140328.LaunchRocket')).toEqual(unknownJson());
    expect(await json('AmazonEC2ContainerRegistry_V20150921.LaunchRocket')).toEqual(unknownJson());
    expect(await json('GraniteServiceVersion20100801.LaunchRocket')).toEqual(unknownJson('application/x-amz-json-1.0'));
  });

  test('an unknown target prefix, a target without an operation and a GET are UnknownOperationException', async () => {
    expect(await json('DynamoDB_20120810.ListTables')).toEqual(unknownJson());
    expect(await json('ListClusters')).toEqual(unknownJson());
    expect(await raw({ method: 'GET' })).toEqual(unknownJson());
    expect(await raw({ method: 'PUT', target: 'AmazonEC2ContainerServiceV20141113.ListClusters', type: JSON_1_1, body: '{}' })).toEqual(
      unknownJson(),
    );
  });

  test('a body that is not a JSON object is SerializationException', async () => {
    const serialization = {
      status: 400,
      headers: { 'content-type': JSON_1_1, 'x-amzn-errortype': 'SerializationException' },
      body: '{"__type":"com.amazon.coral.service#SerializationException"}',
    };
    expect(await json('AmazonEC2ContainerServiceV20141113.ListClusters', '{not json')).toEqual(serialization);
    expect(await json('AmazonEC2ContainerServiceV20141113.ListClusters', '[]')).toEqual(serialization);
  });

  test("an operation's error carries __type, message and x-amzn-ErrorType", async () => {
    expect(await json('AmazonEC2ContainerServiceV20141113.DescribeServices', '{"cluster":"absent","services":["x"]}')).toEqual({
      status: 400,
      headers: { 'content-type': JSON_1_1, 'x-amzn-errortype': 'ClusterNotFoundException' },
      body: '{"__type":"ClusterNotFoundException","message":"Cluster not found."}',
    });
  });

  test('injected faults answer in each service shape, CloudWatch with its awsQuery code too', async () => {
    try {
      sandbox.setFaults({ throttleRate: 1 });
      expect(await json('GraniteServiceVersion20100801.DescribeAlarms')).toEqual({
        status: 400,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-errortype': 'ThrottlingException',
          'x-amzn-query-error': 'Throttling;Sender',
        },
        body: '{"__type":"ThrottlingException","message":"Rate exceeded"}',
      });
      sandbox.setFaults({ serverErrorRate: 1 });
      expect(await json('GraniteServiceVersion20100801.DescribeAlarms')).toEqual({
        status: 500,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-errortype': 'InternalServiceFault',
          'x-amzn-query-error': 'InternalServiceError;Receiver',
        },
        body: '{"__type":"com.amazonaws.cloudwatch#InternalServiceFault","message":"Service Unavailable. Please try again later."}',
      });
      expect(await json('Logs_20140328.DescribeLogGroups')).toEqual({
        status: 500,
        headers: { 'content-type': JSON_1_1, 'x-amzn-errortype': 'ServiceUnavailableException' },
        body: '{"__type":"ServiceUnavailableException","message":"Service Unavailable. Please try again later."}',
      });
      sandbox.setFaults({ refuseWith: 'AccessDeniedException', operations: ['DescribeRepositories'] });
      expect(await json('AmazonEC2ContainerRegistry_V20150921.DescribeRepositories')).toEqual({
        status: 400,
        headers: { 'content-type': JSON_1_1, 'x-amzn-errortype': 'AccessDeniedException' },
        body: '{"__type":"AccessDeniedException","message":"User is not authorized to perform: ecr:DescribeRepositories because no identity-based policy allows the ecr:DescribeRepositories action"}',
      });
    } finally {
      sandbox.setFaults(undefined);
    }
  });
});

describe('awsQuery', () => {
  test('a success answers <Action>Response with the result and the request id', async () => {
    expect(await query('Action=DescribeTargetGroups&Version=2015-12-01')).toEqual({
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: `<DescribeTargetGroupsResponse xmlns="${ELB_NS}"><DescribeTargetGroupsResult><TargetGroups></TargetGroups></DescribeTargetGroupsResult><ResponseMetadata><RequestId>REQUEST-ID</RequestId></ResponseMetadata></DescribeTargetGroupsResponse>`,
    });
  });

  test('an unknown action, an unknown version, no action and a GET are InvalidAction, in the ELBv2 namespace', async () => {
    expect(await query('Action=LaunchRocket&Version=2015-12-01')).toEqual(invalidAction('LaunchRocket', '2015-12-01'));
    expect(await query('Action=DescribeTargetGroups&Version=2099-01-01')).toEqual(invalidAction('DescribeTargetGroups', '2099-01-01'));
    expect(await query('Version=2015-12-01')).toEqual(invalidAction('(none)', '2015-12-01'));
    expect(await raw({ method: 'POST', body: 'Action=DescribeTargetGroups' })).toEqual(invalidAction('DescribeTargetGroups', '(none)'));
    expect(await raw({ method: 'GET', type: FORM })).toEqual(invalidAction('(none)', '(none)'));
  });

  test("an operation's error is an ErrorResponse with Type, Code and Message", async () => {
    expect(await query('Action=DescribeTargetGroups&Version=2015-12-01&Names.member.1=nothing')).toEqual({
      status: 400,
      headers: { 'content-type': 'text/xml' },
      body: `<ErrorResponse xmlns="${ELB_NS}"><Error><Type>Sender</Type><Code>TargetGroupNotFound</Code><Message>One or more target groups not found</Message></Error><RequestId>REQUEST-ID</RequestId></ErrorResponse>`,
    });
  });

  test('injected faults answer Throttling (400), ServiceUnavailable (503) as Receiver, and refusals with the IAM action', async () => {
    try {
      sandbox.setFaults({ throttleRate: 1 });
      expect((await query('Action=DescribeTargetGroups&Version=2015-12-01')).body).toBe(
        `<ErrorResponse xmlns="${ELB_NS}"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>REQUEST-ID</RequestId></ErrorResponse>`,
      );
      sandbox.setFaults({ serverErrorRate: 1 });
      expect(await query('Action=DescribeTargetGroups&Version=2015-12-01')).toEqual({
        status: 503,
        headers: { 'content-type': 'text/xml' },
        body: `<ErrorResponse xmlns="${ELB_NS}"><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>The request has failed due to a temporary failure of the server.</Message></Error><RequestId>REQUEST-ID</RequestId></ErrorResponse>`,
      });
      sandbox.setFaults({ refuseWith: 'AccessDeniedException', operations: ['DescribeTargetGroups'] });
      expect((await query('Action=DescribeTargetGroups&Version=2015-12-01')).body).toBe(
        `<ErrorResponse xmlns="${ELB_NS}"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: elasticloadbalancing:DescribeTargetGroups because no identity-based policy allows the elasticloadbalancing:DescribeTargetGroups action</Message></Error><RequestId>REQUEST-ID</RequestId></ErrorResponse>`,
      );
    } finally {
      sandbox.setFaults(undefined);
    }
  });
});
