import type { CheckStatus } from '../check';

/** What the look-up of one container's image found, in a clause that follows the container's name. */
export interface ImageOutcome {
  status: CheckStatus;
  text: string;
  /** What the user can do, for a warn or a fail. */
  fix?: string;
}
