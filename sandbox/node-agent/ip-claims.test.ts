// Real claim files in a temporary directory; the race runs in separate processes, as node agents do.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createIpClaims } from './ip-claims.ts';
import type { IpClaim } from './pod-ip.ts';

const run = promisify(execFile);
const owner = (uid: string, node = 'node1'): IpClaim => ({ uid, namespace: 'ns', name: uid, node, claimedAtMs: 1 });
const holderOf = (dir: string, ip: string): string => (JSON.parse(readFileSync(join(dir, ip), 'utf8')) as IpClaim).uid;

// One racer process: for each round, waits (spinning, to start as close together as possible)
// until the round's start time, then claims the round's address 127.10.9.<round>; prints the
// rounds it won. A claim of uid 'stale' counts as gone, so the takeover path races too.
const racer = `
  const [modulePath, dir, uid, startAt, rounds] = process.argv.slice(1);
  const { createIpClaims } = await import(modulePath);
  const claims = createIpClaims(dir);
  const won = [];
  for (let round = 0; round < Number(rounds); round++) {
    while (Date.now() < Number(startAt) + round * 20);
    const owner = { uid, namespace: 'ns', name: uid, node: uid, claimedAtMs: Date.now() };
    if (claims.claim('127.10.9.' + round, owner, (held) => held.uid === 'stale').won) won.push(round);
  }
  console.log(JSON.stringify(won));
`;

describe('sandbox-wide Pod IP claims', () => {
  let dir = '';
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'og-ip-claims-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets exactly one of several agents racing for one address win it, free or held by a gone Pod', async () => {
    const rounds = 30;
    const racers = ['a', 'b', 'c', 'd'];
    // Odd rounds race to take over a stale claim; even rounds race for a free address.
    for (let round = 1; round < rounds; round += 2) writeFileSync(join(dir, `127.10.9.${round}`), JSON.stringify(owner('stale')));
    const startAt = Date.now() + 1_500;
    const modulePath = new URL('./ip-claims.ts', import.meta.url).pathname;
    const results = await Promise.all(racers.map((uid) =>
      run(process.execPath, ['--input-type=module', '--eval', racer, modulePath, dir, uid, String(startAt), String(rounds)])));
    const wins = results.map((r) => JSON.parse(r.stdout) as number[]);
    for (let round = 0; round < rounds; round++) {
      const winners = racers.filter((_, i) => wins[i]?.includes(round));
      assert.deepEqual(winners, [holderOf(dir, `127.10.9.${round}`)], `round ${round}: one winner, named by the claim`);
    }
    assert.equal(readdirSync(dir).filter((name) => name.startsWith('.')).length, 0, 'no drafts left behind');
  });

  it('names the live claim that keeps an address, and lets its owner claim it again', () => {
    const claims = createIpClaims(dir);
    assert.deepEqual(claims.claim('127.10.1.5', owner('u1'), () => false), { won: true });
    assert.deepEqual(claims.claim('127.10.1.5', owner('u2', 'node2'), () => false), { won: false, holder: 'u1' });
    assert.deepEqual(claims.claim('127.10.1.5', owner('u1'), () => false), { won: true });
    assert.equal(holderOf(dir, '127.10.1.5'), 'u1');
  });

  it('takes over a claim judged stale, and an unreadable one', () => {
    const claims = createIpClaims(dir);
    claims.claim('127.10.1.5', owner('gone'), () => false);
    assert.deepEqual(claims.claim('127.10.1.5', owner('u2'), (held) => held.uid === 'gone'), { won: true });
    assert.equal(holderOf(dir, '127.10.1.5'), 'u2');
    writeFileSync(join(dir, '127.10.1.6'), 'not json');
    assert.deepEqual(claims.claim('127.10.1.6', owner('u3'), () => false), { won: true });
    assert.equal(holderOf(dir, '127.10.1.6'), 'u3');
  });

  it('leaves a stale claim alone while another agent holds the takeover lock, and breaks a lock left by a dead agent', () => {
    const claims = createIpClaims(dir);
    claims.claim('127.10.1.5', owner('gone'), () => false);
    const lock = join(dir, '.lock.127.10.1.5');
    writeFileSync(lock, '1');
    assert.deepEqual(claims.claim('127.10.1.5', owner('u2'), () => true), { won: false, holder: 'gone' });
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, longAgo, longAgo);
    claims.claim('127.10.1.5', owner('u2'), () => true);
    assert.deepEqual(claims.claim('127.10.1.5', owner('u2'), () => true), { won: true });
    assert.equal(holderOf(dir, '127.10.1.5'), 'u2');
  });

  it('releases only the claim the Pod still holds', () => {
    const claims = createIpClaims(dir);
    claims.claim('127.10.1.5', owner('u1'), () => false);
    claims.release('127.10.1.5', 'someone-else');
    assert.equal(holderOf(dir, '127.10.1.5'), 'u1');
    claims.release('127.10.1.5', 'u1');
    claims.release('127.10.1.7', 'u1');
    assert.deepEqual(readdirSync(dir), []);
  });
});
