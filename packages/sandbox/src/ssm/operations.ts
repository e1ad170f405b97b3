/**
 * SSM Parameter Store's operations, as far as this suite and its tests use them (AWS Systems Manager API
 * reference): PutParameter to create one, DescribeParameters for its metadata (never its value: what the
 * pre-flight asks), GetParameters for the value (what the ECS agent asks when a task starts; the product never calls it).
 */
import type { Context } from '../context';
import { invalidFilterKey, invalidFilterOption, invalidNextToken, parameterExists, validation } from './errors';
import type { ParameterRecord } from './state';

type Json = Record<string, unknown>;
const TYPES = new Set(['String', 'StringList', 'SecureString']);
/** ParameterStringFilter.Values: "Array Members: Minimum number of 1 item. Maximum number of 50 items." */
const MAX_FILTER_VALUES = 50;
/** DescribeParameters' MaxResults: 1 to 50. Its default is not documented; 10 is *unconfirmed*. */
const MAX_RESULTS = 50;
const DEFAULT_RESULTS = 10;
/** GetParameters' Names: "Array Members: Minimum number of 1 item. Maximum number of 10 items." */
const MAX_NAMES = 10;

const seconds = (ms: number) => ms / 1000;

/** A name as PutParameter takes it (API reference, PutParameter: Name; user guide, "Parameter naming constraints"). */
function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > 2048)
    throw validation(
      "1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length between 1 and 2048",
    );
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name))
    throw validation(
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_',
    );
  if (/^\/?(aws|ssm)/i.test(name)) throw validation('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
  return name;
}

function metadata(record: ParameterRecord): Json {
  return {
    Name: record.name,
    ARN: record.arn,
    Type: record.type,
    LastModifiedDate: seconds(record.lastModifiedDate),
    Version: record.version,
    Tier: 'Standard',
    Policies: [],
    DataType: 'text',
    ...(record.description !== undefined ? { Description: record.description } : {}),
  };
}

/** ParameterFilters as DescribeParameters takes them; the sandbox serves Key `Name` with Equals and BeginsWith. */
function nameFilters(input: Json): Array<(name: string) => boolean> {
  const filters = Array.isArray(input.ParameterFilters) ? (input.ParameterFilters as Json[]) : [];
  return filters.map((filter, index) => {
    const key = String(filter.Key ?? '');
    if (key !== 'Name') throw invalidFilterKey(key);
    const option = String(filter.Option ?? 'Equals');
    const values = Array.isArray(filter.Values) ? (filter.Values as unknown[]).map(String) : [];
    if (values.length > MAX_FILTER_VALUES)
      throw validation(
        `1 validation error detected: Value at 'parameterFilters.${index + 1}.member.values' failed to satisfy constraint: Member must have length less than or equal to ${MAX_FILTER_VALUES}`,
      );
    if (option === 'Equals') return (name) => values.includes(name);
    if (option === 'BeginsWith') return (name) => values.some((value) => name.startsWith(value));
    throw invalidFilterOption(option);
  });
}

export const ssmOperations: Record<string, (ctx: Context, input: Json) => Json> = {
  PutParameter(ctx, input) {
    const name = checkName(input.Name);
    if (typeof input.Value !== 'string' || input.Value === '')
      throw validation(
        "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    const existing = ctx.ssm.parameters.get(name);
    if (existing && input.Overwrite !== true) throw parameterExists();
    // "Type ... Default: String" for a new parameter; an overwrite keeps the type unless one is given.
    const type = (input.Type as string | undefined) ?? existing?.type ?? 'String';
    if (!TYPES.has(type))
      throw validation(
        `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
      );
    const record = ctx.ssm.put(
      name,
      input.Value,
      type as ParameterRecord['type'],
      ctx.clock.now(),
      input.Description as string | undefined,
    );
    return { Version: record.version, Tier: 'Standard' };
  },

  DescribeParameters(ctx, input) {
    const limit = (input.MaxResults as number | undefined) ?? DEFAULT_RESULTS;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS)
      throw validation(
        `1 validation error detected: Value '${String(limit)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_RESULTS}`,
      );
    const filters = nameFilters(input);
    const all = [...ctx.ssm.parameters.values()]
      .filter((record) => filters.every((matches) => matches(record.name)))
      .sort((a, b) => a.name.localeCompare(b.name));
    const token = input.NextToken;
    const start = token === undefined ? 0 : Number(Buffer.from(String(token), 'base64').toString());
    if (!Number.isInteger(start) || start < 0 || start > all.length) throw invalidNextToken();
    const page = all.slice(start, start + limit);
    const next = start + limit < all.length ? { NextToken: Buffer.from(String(start + limit)).toString('base64') } : {};
    return { Parameters: page.map(metadata), ...next };
  },

  GetParameters(ctx, input) {
    const names = Array.isArray(input.Names) ? (input.Names as unknown[]).map(String) : [];
    if (names.length < 1 || names.length > MAX_NAMES)
      throw validation(
        `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length between 1 and ${MAX_NAMES}`,
      );
    const found = names.map((name) => ({ name, record: ctx.ssm.find(name) }));
    const decrypt = input.WithDecryption === true;
    return {
      Parameters: found
        .filter((entry): entry is { name: string; record: ParameterRecord } => entry.record !== undefined)
        .map(({ record }) => ({
          Name: record.name,
          Type: record.type,
          // Without WithDecryption a SecureString comes back encrypted; base64 stands in for the KMS ciphertext.
          Value: record.type === 'SecureString' && !decrypt ? Buffer.from(record.value).toString('base64') : record.value,
          Version: record.version,
          LastModifiedDate: seconds(record.lastModifiedDate),
          ARN: record.arn,
          DataType: 'text',
        })),
      InvalidParameters: found.filter((entry) => entry.record === undefined).map((entry) => entry.name),
    };
  },
};
