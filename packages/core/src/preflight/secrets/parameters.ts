import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ClientFactory } from '../../common/aws';

/** ParameterStringFilter.Values: "Maximum number of 50 items" (AWS Systems Manager API reference); MaxResults: at most 50. */
export const NAMES_PER_CALL = 50;

export type ParameterAnswers = Map<string, { exists: boolean } | { error: unknown }>;

/**
 * Which of `names` exist in `region`, by DescribeParameters with a `Name` `Equals` filter: 50 names a call, all
 * calls at once, each followed through its pages. Metadata only: the parameters' values are never asked for.
 */
export async function parametersExist(aws: ClientFactory, region: string, names: string[]): Promise<ParameterAnswers> {
  const ssm = aws(SSMClient, region);
  const chunks: string[][] = [];
  for (let at = 0; at < names.length; at += NAMES_PER_CALL) chunks.push(names.slice(at, at + NAMES_PER_CALL));
  const answers: ParameterAnswers = new Map();
  await Promise.all(
    chunks.map(async (chunk) => {
      try {
        const found = new Set<string>();
        let NextToken: string | undefined;
        do {
          const page = await ssm.send(
            new DescribeParametersCommand({
              ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: chunk }],
              MaxResults: NAMES_PER_CALL,
              NextToken,
            }),
          );
          for (const parameter of page.Parameters ?? []) if (parameter.Name) found.add(parameter.Name);
          NextToken = page.NextToken;
        } while (NextToken);
        for (const name of chunk) answers.set(name, { exists: found.has(name) });
      } catch (error) {
        for (const name of chunk) answers.set(name, { error });
      }
    }),
  );
  return answers;
}
