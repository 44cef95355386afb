// Who may use the kubelet API. A real kubelet authenticates client certificates against the
// cluster CA (`--client-ca-file`) and refuses anonymous requests; the apiserver reaches it with its
// kubelet client certificate (`--kubelet-client-certificate`). Without this check any process on
// the machine, a Pod included, could exec into every Pod and bypass RBAC. The agent authorizes
// statically instead of asking the apiserver (webhook mode): the apiserver's kubelet client and
// members of `system:masters` only, which is what a kubeadm cluster grants by default.
import { apiServerKubeletClientName } from '../control-plane/component-args.ts';

export type PeerCertificate = {
  /** The TLS layer verified the chain against the cluster CA. */
  readonly authorized: boolean;
  readonly commonName?: string | undefined;
  readonly organizations: readonly string[];
};

export type KubeletAccess = { readonly ok: true } | { readonly ok: false; readonly status: 401 | 403; readonly message: string };

/** What the kubelet calls the request in its authorization attributes: `nodes/<subresource>`. */
function subresource(route: string): string {
  return route === 'containerLogs' ? 'log' : 'proxy';
}

export function authorizeKubeletRequest(peer: PeerCertificate, route: string, method: string): KubeletAccess {
  if (route === 'healthz') return { ok: true };
  if (!peer.authorized || peer.commonName === undefined) return { ok: false, status: 401, message: 'Unauthorized: a client certificate signed by the cluster CA is required' };
  if (peer.commonName === apiServerKubeletClientName || peer.organizations.includes('system:masters')) return { ok: true };
  const verb = method === 'GET' ? 'get' : 'create';
  return { ok: false, status: 403, message: `Forbidden (user=${peer.commonName}, verb=${verb}, resource=nodes, subresource=${subresource(route)})` };
}

/** Reads the peer of a TLS socket (Node's `getPeerCertificate()` shape: O may be one or many). */
export function peerOf(socket: { readonly authorized?: boolean; getPeerCertificate?: () => { subject?: Record<string, string | string[] | undefined> } }): PeerCertificate {
  const subject = socket.getPeerCertificate?.().subject ?? {};
  const cn = subject['CN'];
  const o = subject['O'];
  return {
    authorized: socket.authorized === true,
    commonName: Array.isArray(cn) ? cn[0] : cn,
    organizations: o === undefined ? [] : Array.isArray(o) ? o : [o],
  };
}
