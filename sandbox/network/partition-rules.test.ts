import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkPartitionAddress, checkTableName, openPairsFor, parseSetElements, renderEnsureTable, renderHeal, renderIsolate } from './partition-rules.ts';

describe('partition rules', () => {
  it('drops by source and by destination after letting open pairs through', () => {
    const lines = renderEnsureTable('og_sandbox').split('\n');
    const rules = lines.filter((l) => l.startsWith('add rule'));
    assert.deepEqual(rules, [
      'add rule inet og_sandbox output ip saddr . ip daddr @open_pairs accept',
      'add rule inet og_sandbox output ip saddr @isolated drop',
      'add rule inet og_sandbox output ip daddr @isolated drop',
    ]);
    assert.ok(lines.indexOf('flush chain inet og_sandbox output') < lines.indexOf(rules[0] ?? ''), 'rewriting the rules never duplicates them');
  });

  it('keeps a Pod talking to itself and to allowed peers both ways', () => {
    assert.deepEqual(openPairsFor('127.10.1.2', ['127.10.1.1', '127.10.1.2']), [['127.10.1.2', '127.10.1.2'], ['127.10.1.2', '127.10.1.1'], ['127.10.1.1', '127.10.1.2']]);
  });

  it('replaces the open pairs of a Pod isolated again', () => {
    assert.equal(renderIsolate('t', '127.10.1.2', [], [['127.10.1.2', '127.10.1.9']]), [
      'delete element inet t open_pairs { 127.10.1.2 . 127.10.1.9 }',
      'add element inet t isolated { 127.10.1.2 }',
      'add element inet t open_pairs { 127.10.1.2 . 127.10.1.2 }',
      '',
    ].join('\n'));
  });

  it('heals by deleting the Pod and its pairs', () => {
    assert.equal(renderHeal('t', '127.10.1.2', [['127.10.1.2', '127.10.1.2']]), 'delete element inet t isolated { 127.10.1.2 }\ndelete element inet t open_pairs { 127.10.1.2 . 127.10.1.2 }\n');
  });

  it('reads addresses and pairs from nft JSON output', () => {
    const json = '{"nftables": [{"metainfo": {}}, {"set": {"name": "open_pairs", "elem": [{"concat": ["127.1.2.3", "127.0.0.1"]}, "127.9.9.9", {"other": 1}]}}]}';
    assert.deepEqual(parseSetElements(json), [['127.1.2.3', '127.0.0.1'], '127.9.9.9']);
    assert.deepEqual(parseSetElements('{"nftables": [{"set": {"name": "isolated"}}]}'), []);
  });

  it('accepts only loopback IPv4 literals and plain table names, as they go into nft text', () => {
    assert.equal(checkPartitionAddress('127.10.1.2'), undefined);
    for (const bad of ['10.0.0.1', '::1', '127.0.0.1 }; flush ruleset', '']) assert.ok(checkPartitionAddress(bad), bad);
    assert.equal(checkTableName('og_sandbox'), undefined);
    assert.ok(checkTableName('og sandbox; flush ruleset'));
  });
});
