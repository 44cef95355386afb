import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseExecRequest, parseLogRequest } from './kubelet-requests.ts';

const url = (path: string): URL => new URL(path, 'https://127.10.1.1:10250');

describe('kubelet API request parsing', () => {
  it('parses an exec with repeated command parameters and stream flags', () => {
    const parsed = parseExecRequest(url('/exec/ns1/db-0/og?command=sh&command=-c&command=echo%20hi&input=1&output=1&error=1'));
    assert.deepEqual(parsed, { ok: true, value: { namespace: 'ns1', pod: 'db-0', container: 'og', command: ['sh', '-c', 'echo hi'], stdin: true, stdout: true, stderr: true, tty: false } });
  });

  it('accepts the form with the pod uid', () => {
    const parsed = parseExecRequest(url('/exec/ns1/db-0/uid-9/og?command=ls&output=1'));
    assert.ok(parsed.ok && parsed.value.uid === 'uid-9' && parsed.value.container === 'og');
  });

  it('rejects exec requests Kubernetes rejects', () => {
    for (const bad of ['/exec/ns1/db-0?command=ls&output=1', '/exec/ns1/db-0/og?output=1', '/exec/ns1/db-0/og?command=ls', '/exec/ns1/db-0/og?command=ls&tty=1&error=1&output=1', '/exec/ns1/%E0%A4%A/og?command=ls&output=1']) {
      const parsed = parseExecRequest(url(bad));
      assert.equal(parsed.ok, false, bad);
      assert.ok(!parsed.ok && parsed.status === 400);
    }
  });

  it('parses log options and turns sinceSeconds into a time', () => {
    const parsed = parseLogRequest(url('/containerLogs/ns1/db-0/og?follow=true&previous=false&timestamps=1&tailLines=10&limitBytes=100&sinceSeconds=5'), 10_000);
    assert.deepEqual(parsed, { ok: true, value: { namespace: 'ns1', pod: 'db-0', container: 'og', follow: true, previous: false, timestamps: true, tailLines: 10, limitBytes: 100, sinceMs: 5_000 } });
  });

  it('rejects malformed log options with 400', () => {
    for (const bad of ['tailLines=-1', 'tailLines=abc', 'sinceTime=yesterday', 'sinceSeconds=1&sinceTime=2024-01-01T00:00:00Z']) {
      const parsed = parseLogRequest(url(`/containerLogs/ns1/db-0/og?${bad}`), 0);
      assert.ok(!parsed.ok && parsed.status === 400, bad);
    }
  });
});
