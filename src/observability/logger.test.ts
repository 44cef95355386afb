import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kubeApiErrorFromStatus } from '../kube/kube-api-error.ts';
import { createLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  return { lines, log: createLogger({ destination: { write: (l: string) => { lines.push(l); } } }) };
}

describe('logger', () => {
  it('redacts passwords, Secret data, tokens and authorization headers at the depths we log them', () => {
    const { lines, log } = capture();
    log.info({
      password: 'p1', spec: { password: 'p2' }, secret: { kind: 'Secret', data: { password: 'cDM=' }, stringData: { x: 'p4' } },
      request: { headers: { authorization: 'Bearer t1' } }, member: { pod: 'a-0', credentials: { password: 'p5' } },
    }, 'state');
    const out = lines.join('');
    for (const secret of ['p1', 'p2', 'cDM=', 'p4', 'Bearer t1', 'p5']) assert.ok(!out.includes(secret), `${secret} is redacted`);
    assert.ok(out.includes('a-0'), 'other fields stay');
  });

  it('logs errors under err with code, status, reason and cause, and no response body', () => {
    const { lines, log } = capture();
    const err = kubeApiErrorFromStatus('apply', 'pods ns/p', 409, { reason: 'Conflict', message: 'modified' });
    log.warn({ err }, 'write failed');
    const line = JSON.parse(lines[0] ?? '{}') as { err?: Record<string, unknown>; level?: string };
    assert.equal(line.level, 'warn');
    assert.equal(line.err?.['code'], 'OGO_ERR_KUBE_CONFLICT');
    assert.equal(line.err?.['status'], 409);
    assert.equal(line.err?.['reason'], 'Conflict');
    assert.match(String(line.err?.['message']), /apply pods ns\/p failed: 409 Conflict/);
  });
});
