import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bestCandidate, compareCandidates, rankCandidates, type Candidate, type CandidateProbe } from './rank-candidates.ts';

const healthy = (name: string, order: number, probe: Partial<Extract<CandidateProbe, { ok: true }>> = {}): Candidate => ({
  name, order, probe: { ok: true, localRole: 'Standby', term: 1, lsn: 100n, ...probe },
});
const failed = (name: string, order: number): Candidate => ({ name, order, probe: { ok: false, error: 'exec timeout' } });
const names = (c: readonly Candidate[]) => c.map((x) => x.name);

describe('rankCandidates', () => {
  const scenarios: [string, Candidate[], string[]][] = [
    ['a higher LSN wins', [healthy('a', 0, { lsn: 10n }), healthy('b', 1, { lsn: 20n })], ['b', 'a']],
    ['a higher term beats a higher LSN', [healthy('a', 0, { term: 2, lsn: 10n }), healthy('b', 1, { term: 1, lsn: 99n })], ['a', 'b']],
    ['a member claiming Primary comes first', [healthy('a', 0, { lsn: 99n }), healthy('b', 1, { localRole: 'Primary', lsn: 1n })], ['b', 'a']],
    ['an errored member ranks last, whatever it is', [failed('a', 0), healthy('b', 1, { lsn: 0n })], ['b', 'a']],
    ['a member without a position ranks below one with', [healthy('a', 0, { lsn: undefined }), healthy('b', 1, { lsn: 0n })], ['b', 'a']],
    ['a member without a term ranks below one with', [healthy('a', 0, { term: undefined }), healthy('b', 1, { term: 0 })], ['b', 'a']],
    ['Sync beats Potential at the same position', [healthy('a', 0, { syncState: 'Potential' }), healthy('b', 1, { syncState: 'Sync' })], ['b', 'a']],
    ['iplist order breaks remaining ties', [healthy('b', 1), healthy('a', 0)], ['a', 'b']],
    ['the name breaks ties between equal orders', [failed('b', 5), failed('a', 5)], ['a', 'b']],
  ];
  for (const [name, input, expected] of scenarios) {
    it(`orders so that ${name}`, () => assert.deepEqual(names(rankCandidates(input)), expected));
  }

  it('picks no candidate when every probe failed (2.0 picked an empty placeholder)', () => {
    assert.equal(bestCandidate([failed('a', 0), failed('b', 1)]), undefined);
    assert.equal(bestCandidate([failed('a', 0), healthy('b', 1)])?.name, 'b');
  });

  it('does not reorder its input', () => {
    const input = [healthy('a', 0, { lsn: 1n }), healthy('b', 1, { lsn: 2n })];
    rankCandidates(input);
    assert.deepEqual(names(input), ['a', 'b']);
  });
});

const probeArb: fc.Arbitrary<CandidateProbe> = fc.oneof(
  fc.record({ ok: fc.constant(false as const), error: fc.constant('x') }),
  fc.record({
    ok: fc.constant(true as const),
    localRole: fc.constantFrom('Primary', 'Standby', 'Pending', 'Normal'),
    term: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    lsn: fc.option(fc.bigInt({ min: 0n, max: 5n }), { nil: undefined }),
    syncState: fc.constantFrom('Sync', 'Potential', 'Async', ''),
  }),
);
const candidatesArb = fc.uniqueArray(
  fc.record({ name: fc.string({ minLength: 1, maxLength: 3 }), order: fc.integer({ min: 0, max: 9 }), probe: probeArb }),
  { selector: (c) => c.name, maxLength: 8 },
);
const settings = { seed: 20240506, numRuns: 1000 };

describe('compareCandidates is a total order', () => {
  it('is antisymmetric and zero only for the same name', () => {
    fc.assert(fc.property(candidatesArb, (cs) => cs.every((a) => cs.every((b) => {
      const ab = Math.sign(compareCandidates(a, b));
      return ab === -Math.sign(compareCandidates(b, a)) && (ab === 0) === (a.name === b.name);
    }))), settings);
  });

  it('is transitive', () => {
    fc.assert(fc.property(candidatesArb, (cs) => cs.every((a) => cs.every((b) => cs.every((c) =>
      !(compareCandidates(a, b) < 0 && compareCandidates(b, c) < 0) || compareCandidates(a, c) < 0)))), settings);
  });

  it('is deterministic: any permutation ranks the same', () => {
    fc.assert(fc.property(candidatesArb.chain((cs) => fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length }))), ([cs, shuffled]) =>
      JSON.stringify(names(rankCandidates(cs))) === JSON.stringify(names(rankCandidates(shuffled)))), settings);
  });

  it('never puts an errored member first while a healthy one exists', () => {
    fc.assert(fc.property(candidatesArb, (cs) => {
      const first = rankCandidates(cs)[0];
      return first === undefined || first.probe.ok || cs.every((c) => !c.probe.ok);
    }), settings);
  });
});
