import { ConfigurationError } from '../common/errors';

/** A CodeDeploy deployment id: `d-` and nine upper-case letters or digits (CreateDeployment's answer, e.g. d-A1B2C3D4E). */
const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;

export function isCodeDeployDeploymentId(value: string): boolean {
  return DEPLOYMENT_ID.test(value);
}

/** An input that names a CodeDeploy deployment, checked before any call: a typo is said here, not as CodeDeploy's error. */
export function codeDeployDeploymentIdInput(input: string, value: string): string {
  const id = value.trim();
  if (isCodeDeployDeploymentId(id)) return id;
  throw new ConfigurationError(
    `Input '${input}' is "${value}", which is not a CodeDeploy deployment id: give the id CreateDeployment answered (deploy-ecs's codedeploy-deployment-id output), "d-" and nine upper-case letters or digits, such as d-A1B2C3D4E.`,
    input,
  );
}
