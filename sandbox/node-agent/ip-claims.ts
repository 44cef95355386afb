// Pod IP claims shared by every node agent of one sandbox: all agents run on this machine and share
// the state directory, so one file per address (`<stateDir>/pod-ip-claims/<ip>`, JSON
// IpClaim) makes a claim atomic sandbox-wide. A claim is published with link(), which either
// creates the complete file or fails with EEXIST, so of two agents claiming one address at the
// same moment exactly one wins. Deciding whether a held claim is stale is pod-ip.ts's job;
// removing one (takeover, release) happens under a per-address lock file.
import { linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IpClaim } from './pod-ip.ts';

export type ClaimResult = { readonly won: true } | { readonly won: false; readonly holder: string };

export type IpClaims = {
  /**
   * Claims `ip` for `owner`: won when the claim is now the owner's (new or already held); otherwise
   * `holder` names the uid keeping it. A claim `isStale` judges gone is taken over.
   */
  claim(ip: string, owner: IpClaim, isStale: (held: IpClaim) => boolean): ClaimResult;
  /** Drops the claim on `ip` if the Pod `uid` still holds it. */
  release(ip: string, uid: string): void;
};

/** A takeover lock this old belongs to an agent that died in the middle of one. */
const lockStaleMs = 10_000;

export function createIpClaims(dir: string): IpClaims {
  mkdirSync(dir, { recursive: true });
  let sequence = 0;

  // Claims are only ever removed under the address's lock, after re-reading them: a claim that was
  // judged stale cannot be swapped for a fresh one between the judgement and the removal.
  function underLock(ip: string, action: () => void): boolean {
    const lock = join(dir, `.lock.${ip}`);
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > lockStaleMs) rmSync(lock, { force: true });
      return false;
    }
    try {
      action();
    } finally {
      rmSync(lock, { force: true });
    }
    return true;
  }

  return {
    claim(ip, owner, isStale) {
      const path = join(dir, ip);
      const draft = join(dir, `.${ip}.${String(process.pid)}.${String(sequence++)}`);
      writeFileSync(draft, JSON.stringify(owner));
      try {
        // Each round publishes our claim, finds a live one, or removes a stale one and tries again.
        for (;;) {
          if (publish(draft, path)) return { won: true };
          const text = readText(path);
          if (text === undefined) continue;
          const held = parseClaim(text);
          if (held?.uid === owner.uid) return { won: true };
          if (held !== undefined && !isStale(held)) return { won: false, holder: held.uid };
          const removed = underLock(ip, () => {
            if (readText(path) === text) rmSync(path);
          });
          // Another agent is taking the address over this very moment: it wins, or we retry later.
          if (!removed) return { won: false, holder: held?.uid ?? 'a claim being taken over' };
        }
      } finally {
        rmSync(draft, { force: true });
      }
    },
    release(ip, uid) {
      const path = join(dir, ip);
      // Busy lock: another agent is taking the address over, which removes this claim anyway.
      underLock(ip, () => {
        if (parseClaim(readText(path) ?? '')?.uid === uid) rmSync(path);
      });
    },
  };
}

/** link() either publishes the complete file or fails because a claim exists. */
function publish(draft: string, path: string): boolean {
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

// link() never publishes half a file; anything unreadable is not a claim anyone can rely on.
function parseClaim(text: string): IpClaim | undefined {
  try {
    const value = JSON.parse(text) as Partial<IpClaim>;
    return typeof value.uid === 'string' && typeof value.node === 'string' && typeof value.claimedAtMs === 'number' ? (value as IpClaim) : undefined;
  } catch {
    return undefined;
  }
}
