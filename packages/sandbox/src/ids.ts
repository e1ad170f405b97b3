import { randomBytes, randomUUID } from 'node:crypto';

/** Task ids are 32 lowercase hex characters, as on Fargate. */
export function taskId(): string {
  return randomBytes(16).toString('hex');
}

/** Deployment ids are `ecs-svc/` and 19 digits. */
export function deploymentId(): string {
  return `ecs-svc/${digits(19)}`;
}

/** Service revision ids are numeric, like deployment ids. */
export function serviceRevisionId(): string {
  return digits(19);
}

/** Service deployment ids look like `NCWGC2ZR-taawPAYrIaU5` in the API reference examples. */
export function serviceDeploymentId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const pick = (n: number) => Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
  return `${pick(8)}-${pick(12)}`;
}

export function uuid(): string {
  return randomUUID();
}

function digits(n: number): string {
  const bytes = randomBytes(n);
  let out = String(1 + (bytes[0] % 9));
  for (let i = 1; i < n; i++) out += String(bytes[i] % 10);
  return out;
}

/** Load balancer and target group ARNs end in 16 hex characters. */
export function elbId(): string {
  return randomBytes(8).toString('hex');
}
