import * as core from '@actions/core';
import { Inputs, type InputSource } from '../common/inputs';

/** The runner's `INPUT_*` variables. */
export const runnerInputs: InputSource = (name) => core.getInput(name);

/** Typed readers over the step's inputs. */
export function stepInputs(): Inputs {
  return new Inputs(runnerInputs, (message) => core.warning(message));
}
