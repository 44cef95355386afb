// The IP pool of one node (127.10.n.2–254), kept by the node agent. Pure state: callers pass
// the time. An address a Pod released is not handed to another Pod for a minute, so a client
// still talking to the old Pod never reaches a new one by accident; the same Pod name (a
// StatefulSet Pod recreated with its fixed IP annotation) may take its own address back.
import { IP_REUSE_DELAY_MS, reservedReason, type IpResult } from './pod-ip.ts';

export type AllocateRequest = {
  /** Pod UID: one allocation per Pod object. */
  readonly uid: string;
  /** `namespace/name`, used in messages and to let a recreated Pod reuse its fixed IP. */
  readonly name: string;
  /** From parseRequestedPodIp; absent → next free pool address. */
  readonly requested?: string;
  readonly nowMs: number;
  /** Pod IPs in use on other nodes (the agent's cluster-wide view), refused as duplicates. */
  readonly takenElsewhere?: ReadonlySet<string>;
};

export type PodIpPool = {
  allocate(request: AllocateRequest): IpResult;
  /** Re-registers a running Pod after an agent restart; refuses a duplicate. */
  adopt(uid: string, name: string, ip: string): IpResult;
  release(uid: string, nowMs: number): void;
  ipOf(uid: string): string | undefined;
};

type Holder = { readonly uid: string; readonly name: string };
type Released = { readonly name: string; readonly atMs: number };

export function createPodIpPool(options: { readonly nodeIndex: number; readonly reuseDelayMs?: number }): PodIpPool {
  const { nodeIndex } = options;
  const reuseDelayMs = options.reuseDelayMs ?? IP_REUSE_DELAY_MS;
  const byIp = new Map<string, Holder>();
  const byUid = new Map<string, string>();
  const released = new Map<string, Released>();
  let cursor = 0;

  function refusal(ip: string, request: AllocateRequest): string | undefined {
    const holder = byIp.get(ip);
    if (holder !== undefined) return `${ip} is already the IP of Pod ${holder.name}`;
    if (request.takenElsewhere?.has(ip) === true) return `${ip} is already the IP of a Pod on another node`;
    const last = released.get(ip);
    const waitMs = last === undefined ? 0 : last.atMs + reuseDelayMs - request.nowMs;
    if (last !== undefined && waitMs > 0 && last.name !== request.name) {
      return `${ip} was released by Pod ${last.name} and is reusable in ${Math.ceil(waitMs / 1000)} s`;
    }
    return undefined;
  }

  function assign(uid: string, name: string, ip: string): IpResult {
    byIp.set(ip, { uid, name });
    byUid.set(uid, ip);
    released.delete(ip);
    return { ok: true, ip };
  }

  function allocateFromPool(request: AllocateRequest): IpResult {
    for (let step = 0; step < 253; step++) {
      const host = ((cursor + step) % 253) + 2;
      const ip = `127.10.${nodeIndex}.${host}`;
      if (refusal(ip, request) === undefined) {
        cursor = host - 1;
        return assign(request.uid, request.name, ip);
      }
    }
    return { ok: false, reason: `no free address left in 127.10.${nodeIndex}.2-254 (addresses are kept for ${reuseDelayMs / 1000} s after release)` };
  }

  return {
    allocate(request) {
      const existing = byUid.get(request.uid);
      if (existing !== undefined) {
        if (request.requested === undefined || request.requested === existing) return { ok: true, ip: existing };
        return { ok: false, reason: `Pod ${request.name} already has ${existing}; a Pod IP never changes` };
      }
      if (request.requested === undefined) return allocateFromPool(request);
      const reason = reservedReason(request.requested) ?? refusal(request.requested, request);
      return reason === undefined ? assign(request.uid, request.name, request.requested) : { ok: false, reason };
    },
    adopt(uid, name, ip) {
      const holder = byIp.get(ip);
      if (holder !== undefined && holder.uid !== uid) return { ok: false, reason: `${ip} is already the IP of Pod ${holder.name}` };
      return assign(uid, name, ip);
    },
    release(uid, nowMs) {
      const ip = byUid.get(uid);
      if (ip === undefined) return;
      const holder = byIp.get(ip);
      byUid.delete(uid);
      byIp.delete(ip);
      released.set(ip, { name: holder?.name ?? '', atMs: nowMs });
    },
    ipOf: (uid) => byUid.get(uid),
  };
}
