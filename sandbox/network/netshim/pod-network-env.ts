// The environment a container needs so its processes use the Pod's own loopback address
// (see netshim.c). The agent merges it over the container's env, after `env`/`envFrom`, so a
// Pod spec cannot switch the shim off by accident; an LD_PRELOAD the Pod sets itself is kept.
import { assertSandboxAddress } from '../../address-guard.ts';

export type PodNetworkEnv = { readonly LD_PRELOAD: string; readonly POD_IP: string };

export function podNetworkEnv(podIp: string, shimPath: string, podLdPreload?: string): PodNetworkEnv {
  assertSandboxAddress(podIp);
  const preload = podLdPreload === undefined || podLdPreload === '' ? shimPath : `${shimPath}:${podLdPreload}`;
  return { LD_PRELOAD: preload, POD_IP: podIp };
}
