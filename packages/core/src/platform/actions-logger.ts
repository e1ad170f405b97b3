import * as core from '@actions/core';
import type { FileLocation } from '../common/errors';
import type { Logger } from '../common/logger';

/** The runner's log: annotations for warnings and errors, collapsible groups. */
export const actionsLogger: Logger = {
  info: (message) => core.info(message),
  warning: (message, location) => core.warning(message, annotationProperties(location)),
  error: (message, location) => core.error(message, annotationProperties(location)),
  debug: (message) => core.debug(message),
  group: (title, body) => core.group(title, body),
};

/** A file line as the toolkit's annotation properties: `::error file=...,line=N,title=...::`. */
export function annotationProperties(location: FileLocation | undefined): core.AnnotationProperties {
  if (!location) return {};
  return { file: location.file.replace(/^\.\//, ''), startLine: location.line, ...(location.title ? { title: location.title } : {}) };
}
