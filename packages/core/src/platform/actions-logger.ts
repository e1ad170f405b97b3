import * as core from '@actions/core';
import type { Logger } from '../common/logger';

/** The runner's log: annotations for warnings and errors, collapsible groups. */
export const actionsLogger: Logger = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  error: (message) => core.error(message),
  debug: (message) => core.debug(message),
  group: (title, body) => core.group(title, body),
};
