import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planVolumes, type VolumeAction } from './plan-volumes.ts';
import { aClaim, aVolume } from './fixtures.ts';

const summary = (actions: VolumeAction[]): string[] => actions.map((a) => {
  switch (a.kind) {
    case 'provision': return `provision ${a.volumeName} on ${a.node} ${a.capacity} (${a.sizeBytes})`;
    case 'delete': return `delete ${a.volumeName}`;
    case 'expand': return `expand ${a.volumeName} to ${a.capacity}${a.growVolume ? '' : ' (status only)'}`;
    case 'skip': return `skip ${a.subject}: ${a.reason}`;
  }
});

describe('planVolumes', () => {
  it('provisions a pending claim of our class once the scheduler picked a node', () => {
    assert.deepEqual(summary(planVolumes([aClaim({ node: 'node-1' })], [])), [`provision pvc-u1 on node-1 1Gi (${2 ** 30})`]);
  });

  it('answers to the storage-provisioner annotation as well as to the class name', () => {
    const claim = aClaim({ node: 'node-1', className: 'custom', provisioner: 'sandbox.local/hostpath' });
    assert.equal(planVolumes([claim], []).length, 1);
    assert.deepEqual(planVolumes([aClaim({ node: 'node-1', className: 'custom' })], []), []);
    assert.deepEqual(planVolumes([aClaim({ node: 'node-1', provisioner: 'other.io/x' })], []), []);
  });

  it('waits for the selected node, and leaves bound, deleting or already provisioned claims alone', () => {
    const claim = aClaim({ node: 'node-1' });
    assert.deepEqual(planVolumes([aClaim()], []), []);
    assert.deepEqual(planVolumes([aClaim({ node: 'node-1', volumeName: 'pv-x' })], []), []);
    assert.deepEqual(planVolumes([aClaim({ node: 'node-1', deleting: true })], []), []);
    assert.deepEqual(planVolumes([claim], [aVolume(claim, { phase: 'Available' })]), []);
  });

  it('rounds tiny requests up to 16Mi and to whole MiB, reporting the real capacity', () => {
    assert.deepEqual(summary(planVolumes([aClaim({ node: 'n', request: '1Mi' }), aClaim({ uid: 'u2', node: 'n', request: '100M' })], [])),
      [`provision pvc-u1 on n 16Mi (${16 * 2 ** 20})`, `provision pvc-u2 on n 96Mi (${96 * 2 ** 20})`]);
  });

  it('serves only its own node when it runs inside a node agent', () => {
    const claims = [aClaim({ node: 'node-1' }), aClaim({ uid: 'u2', node: 'node-2' })];
    assert.deepEqual(summary(planVolumes(claims, [], { nodeName: 'node-2' })), [`provision pvc-u2 on node-2 1Gi (${2 ** 30})`]);
  });

  it('says why it skips block claims and unreadable sizes', () => {
    assert.deepEqual(summary(planVolumes([aClaim({ node: 'n', block: true }), aClaim({ uid: 'u2', name: 'bad', node: 'n', request: 'lots' })], [])), [
      'skip PersistentVolumeClaim ns/data: volumeMode Block is not supported by the sandbox provisioner',
      'skip PersistentVolumeClaim ns/bad: storage request "lots" is not a size',
    ]);
  });

  it('deletes released volumes of ours with policy Delete, never Retain ones or other provisioners', () => {
    const claim = aClaim();
    assert.deepEqual(summary(planVolumes([], [aVolume(claim, { phase: 'Released' })])), ['delete pvc-u1']);
    assert.deepEqual(planVolumes([], [aVolume(claim, { phase: 'Released', policy: 'Retain' })]), []);
    assert.deepEqual(planVolumes([], [aVolume(claim, { phase: 'Released', ours: false })]), []);
    assert.deepEqual(planVolumes([], [aVolume(claim, { phase: 'Released', node: 'node-1' })], { nodeName: 'node-2' }), []);
  });

  it('expands a bound volume whose claim asks for more', () => {
    const claim = aClaim({ phase: 'Bound', request: '2Gi', capacity: '1Gi' });
    assert.deepEqual(summary(planVolumes([claim], [aVolume(claim)])), ['expand pvc-u1 to 2Gi']);
  });

  it('finishes an expansion whose volume already grew but whose claim status lags', () => {
    const claim = aClaim({ phase: 'Bound', request: '2Gi', capacity: '1Gi', conditions: ['FileSystemResizePending'] });
    assert.deepEqual(summary(planVolumes([claim], [aVolume(claim, { capacity: '2Gi' })])), ['expand pvc-u1 to 2Gi (status only)']);
    const done = aClaim({ phase: 'Bound', request: '2Gi', capacity: '2Gi' });
    assert.deepEqual(planVolumes([done], [aVolume(done, { capacity: '2Gi' })]), []);
  });
});
