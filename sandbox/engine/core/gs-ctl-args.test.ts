import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseGsCtlArgs } from './gs-ctl-args.ts';

describe('parseGsCtlArgs', () => {
  it('accepts the verb and options in any order, with openGauss defaults', () => {
    const result = parseGsCtlArgs(['-D', '/data', 'start', '-M', 'primary']);
    assert.ok(result.ok);
    assert.equal(result.options.verb, 'start');
    assert.equal(result.options.dataDir, '/data');
    assert.equal(result.options.serverMode, 'primary');
    assert.equal(result.options.wait, true);
    assert.equal(result.options.timeoutSeconds, 60);
    assert.equal(result.options.term, 1);
    assert.equal(result.options.shutdownMode, 'fast');
  });

  it('reads inline values, long options, -W, -T and -b', () => {
    const result = parseGsCtlArgs(['build', '-D/d', '--mode=immediate', '-W', '-T', '7', '-b', 'incremental', '-q']);
    assert.ok(result.ok);
    assert.deepEqual(
      [result.options.dataDir, result.options.shutdownMode, result.options.wait, result.options.term, result.options.buildMode, result.options.noStart],
      ['/d', 'immediate', false, 7, 'incremental', true],
    );
  });

  it('turns an unknown build mode into auto', () => {
    const result = parseGsCtlArgs(['build', '-b', 'whatever']);
    assert.ok(result.ok);
    assert.equal(result.options.buildMode, 'auto');
  });

  const errors: readonly (readonly [string, readonly string[], string])[] = [
    ['an unknown verb', ['promote', '-D', '/d'], ' unrecognized operation mode "promote"'],
    ['no verb', ['-D', '/d'], ' no operation specified'],
    ['an unknown -M value', ['start', '-M', 'leader'], ' the options of -M is not recognized'],
    ['an unknown shutdown mode', ['stop', '-m', 'gentle'], ' unrecognized shutdown mode "gentle"'],
    ['a second positional word', ['start', 'now'], ' too many command-line arguments (first is "now")'],
  ];
  for (const [what, argv, message] of errors) {
    it(`refuses ${what} with the openGauss message and the --help hint`, () => {
      const result = parseGsCtlArgs(argv);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.error.prefixed, message);
      assert.equal(result.error.hint, true);
    });
  }

  it('reports an unknown option the way getopt does', () => {
    const result = parseGsCtlArgs(['start', '-k']);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.stderr, "gs_ctl: invalid option -- 'k'");
  });

  it('reports a missing option value', () => {
    const result = parseGsCtlArgs(['start', '-D']);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.stderr, "gs_ctl: option requires an argument -- 'D'");
  });

  it('parses smart so that stop can refuse it with its own message', () => {
    const result = parseGsCtlArgs(['stop', '-m', 'smart']);
    assert.ok(result.ok);
    assert.equal(result.options.shutdownMode, 'smart');
  });
});
