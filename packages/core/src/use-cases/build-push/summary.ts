import { formatDuration } from '../../common';
import { heading, section, table } from '../../report';
import type { BuilderKind } from './builder';
import type { CacheUse } from './build-output';

export interface BuildReport {
  image: string;
  digest: string;
  references: string[];
  built: boolean;
  builder?: BuilderKind;
  sizeInBytes?: number;
  cache?: CacheUse;
  buildMs?: number;
  scan?: string;
}

export function formatBytes(bytes: number | undefined): string | undefined {
  if (bytes === undefined) return undefined;
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function describeCache(cache: CacheUse | undefined): string | undefined {
  if (!cache) return undefined;
  if (cache.steps === 0) return 'no cacheable steps';
  return `${cache.cached} of ${cache.steps} steps from cache`;
}

export function buildSummaryMarkdown(report: BuildReport): string {
  const rows: (string | undefined)[][] = [
    ['Image', `\`${report.image}\``],
    ['Digest', `\`${report.digest}\``],
    ['Tags', report.references.map((r) => `\`${r.slice(r.lastIndexOf(':') + 1)}\``).join(' ')],
    ['Built', report.built ? `yes, with ${report.builder}` : 'no: an image tagged with this commit already existed'],
    ['Size', formatBytes(report.sizeInBytes)],
    ['Cache', report.built ? describeCache(report.cache) : 'not needed'],
    ['Build time', report.buildMs === undefined ? undefined : formatDuration(report.buildMs)],
    ...(report.scan ? [['Scan', report.scan]] : []),
  ];
  return section(heading(`Build and push ${report.references[0]?.replace(/:[^:/]*$/, '') ?? ''}`), table(['', ''], rows));
}
