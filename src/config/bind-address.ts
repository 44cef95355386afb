// controller-runtime's bind-address syntax (pure): `host:port`, `:port` for every interface,
// `[v6]:port`, and `0` for "off". Port 0 picks a free port (tests, several operators on one host).

export type BindAddress = { readonly kind: 'off' } | { readonly kind: 'listen'; readonly host: string; readonly port: number };

export type BindAddressResult = { readonly ok: true; readonly address: BindAddress } | { readonly ok: false; readonly message: string };

// Go's ":8081" listens on every interface; in Node that is 0.0.0.0 (IPv4). An IPv6-only cluster
// passes [::]:8081 explicitly.
const EVERY_INTERFACE = '0.0.0.0';

export function parseBindAddress(text: string): BindAddressResult {
  const value = text.trim();
  if (value === '0') return { ok: true, address: { kind: 'off' } };
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*):(\d{1,5})$/.exec(value);
  if (match === null) return { ok: false, message: `not host:port, :port or 0: ${JSON.stringify(text)}` };
  const rawHost = match[1] ?? '';
  const port = Number(match[2]);
  if (port > 65_535) return { ok: false, message: `port ${port} is above 65535` };
  const host = rawHost === '' ? EVERY_INTERFACE : rawHost.replace(/^\[(.*)\]$/, '$1');
  return { ok: true, address: { kind: 'listen', host, port } };
}

/** True when both addresses name the same listener, so one server serves both. */
export function sameListener(a: BindAddress, b: BindAddress): boolean {
  return a.kind === 'listen' && b.kind === 'listen' && a.host === b.host && a.port === b.port && a.port !== 0;
}
