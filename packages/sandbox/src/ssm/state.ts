/**
 * SSM Parameter Store state: parameters of the sandbox's account and region, by name. A parameter's ARN drops the
 * leading slash of a hierarchical name (`/prod/db` is `arn:aws:ssm:<region>:<account>:parameter/prod/db`), as in
 * the Systems Manager user guide's IAM examples.
 */
import { partitionOfRegion } from '../arns';

export interface ParameterRecord {
  name: string;
  arn: string;
  type: 'String' | 'StringList' | 'SecureString';
  value: string;
  version: number;
  lastModifiedDate: number;
  description?: string;
}

const ARN = /^arn:aws[a-z-]*:ssm:([^:]*):([^:]*):parameter\/?(.+)$/;

export class ParameterStore {
  readonly parameters = new Map<string, ParameterRecord>();

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  arnOf(name: string): string {
    return `arn:${partitionOfRegion(this.region)}:ssm:${this.region}:${this.accountId}:parameter/${name.replace(/^\//, '')}`;
  }

  /**
   * A parameter by name or ARN. An ARN of another region or account names nothing here: the sandbox is one
   * region of one account. An ARN's path is a hierarchical name when it holds a slash (`parameter/prod/db` is
   * `/prod/db`), else a plain one.
   */
  find(nameOrArn: string): ParameterRecord | undefined {
    const arn = ARN.exec(nameOrArn);
    if (!arn) return this.parameters.get(nameOrArn);
    const [, region, account, path] = arn;
    if (region !== this.region || account !== this.accountId) return undefined;
    return this.parameters.get(path.includes('/') ? `/${path}` : path) ?? this.parameters.get(`/${path}`);
  }

  put(name: string, value: string, type: ParameterRecord['type'], now: number, description?: string): ParameterRecord {
    const existing = this.parameters.get(name);
    const record: ParameterRecord = {
      name,
      arn: this.arnOf(name),
      type,
      value,
      version: (existing?.version ?? 0) + 1,
      lastModifiedDate: now,
      ...((description ?? existing?.description) !== undefined ? { description: description ?? existing?.description } : {}),
    };
    this.parameters.set(name, record);
    return record;
  }
}
