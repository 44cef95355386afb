import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { channelOverrideValid } from './channel-cycle.ts';

const rotations = ["host=a,b port=1,2 passfile='/d/x''y\\\\z'", 'host=b,a port=2,1'];

// The file as og_compat.channel_tick() writes it: COPY's text format doubles backslashes.
function written(k: number, base: string, conninfo: string): string {
  const literal = (v: string): string => `'${v.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;
  return `og.channel = '${k}'\nog.channel_base = ${literal(base)}\nprimary_conninfo = ${literal(conninfo)}\n`;
}

describe('channelOverrideValid', () => {
  it('keeps a rotation written for the same peers', () => {
    assert.equal(channelOverrideValid(written(1, rotations[0] ?? '', rotations[1] ?? ''), rotations), true);
  });

  it('drops a rotation of other peers, out of range, or on an instance that does not cycle', () => {
    assert.equal(channelOverrideValid(written(1, 'host=c,b port=3,2', rotations[1] ?? ''), rotations), false);
    assert.equal(channelOverrideValid(written(1, rotations[0] ?? '', 'host=c'), rotations), false);
    assert.equal(channelOverrideValid(written(2, rotations[0] ?? '', rotations[1] ?? ''), rotations), false);
    assert.equal(channelOverrideValid(written(1, rotations[0] ?? '', rotations[1] ?? ''), []), false);
  });

  it('drops the rotation-0 marker and anything unreadable', () => {
    assert.equal(channelOverrideValid('# rotation 0: primary_conninfo of og_pg.conf\n', rotations), false);
    assert.equal(channelOverrideValid('', rotations), false);
  });
});
