// Byte-for-byte comparison with the golden samples in ../fixtures. Only what cannot repeat between
// runs is normalised, on both sides alike: the prefix's time and PID, PIDs in messages, LSNs, and
// the number of progress dots (one per second waited). The run's own data directory and addresses
// are first mapped to the samples' (/var/lib/opengauss/data, 172.11.0.101/102), which are fixed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const fixturesDir = join(import.meta.dirname, '..', 'fixtures');

export function golden(name: string): string {
  return readFileSync(join(fixturesDir, name), 'utf8');
}

export function normalise(text: string): string {
  return text
    .replace(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\]\[\d+\]/gm, '[<time>][<pid>]')
    .replace(/\(PID: \d+\)/g, '(PID: <pid>)')
    .replace(/\b[0-9A-F]{1,8}\/[0-9A-F]{1,8}\b/g, '<lsn>')
    .replace(/(waiting for server to switchover)\.*$/gm, '$1<dots>')
    .replace(/^\.*$(?=\n\[[^\n]*\]: {2}done$)/gm, '<dots>');
}

// Replaces each `from` with its `to` (the run's paths and IPs with the samples').
export function mapValues(text: string, pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.reduce((out, [from, to]) => out.split(from).join(to), text);
}
