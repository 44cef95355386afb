import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podNetworkEnv } from './pod-network-env.ts';

describe('podNetworkEnv', () => {
  it('preloads the shim and names the Pod IP', () => {
    assert.deepEqual(podNetworkEnv('127.10.1.5', '/c/libnetshim.so'), { LD_PRELOAD: '/c/libnetshim.so', POD_IP: '127.10.1.5' });
  });
  it('keeps a preload the Pod asked for, after the shim', () => {
    assert.equal(podNetworkEnv('127.10.1.5', '/c/libnetshim.so', '/x/libjemalloc.so').LD_PRELOAD, '/c/libnetshim.so:/x/libjemalloc.so');
  });
  it('refuses a Pod IP outside loopback', () => {
    assert.throws(() => podNetworkEnv('10.0.0.5', '/c/libnetshim.so'), /only talks to 127/);
  });
});
