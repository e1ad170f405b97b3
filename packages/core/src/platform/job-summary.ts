import * as core from '@actions/core';
import { redactSecrets } from './masking';

/** Appends to the job summary when the runner provides one; local runs and tests without it just skip. */
export async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(redactSecrets(markdown), true).write();
}
