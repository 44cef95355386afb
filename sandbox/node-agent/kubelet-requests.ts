// Parsing of the kubelet API requests the apiserver forwards (reference 3.4). Pure: a malformed
// request becomes an HTTP status and message, never an exception in the server.

export type PodRef = { readonly namespace: string; readonly pod: string; readonly uid?: string; readonly container: string };

export type ExecRequest = PodRef & {
  readonly command: readonly string[];
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
};

export type LogRequest = PodRef & {
  readonly follow: boolean;
  readonly previous: boolean;
  readonly timestamps: boolean;
  readonly tailLines?: number;
  readonly limitBytes?: number;
  /** Only lines at or after this time (ms since epoch). */
  readonly sinceMs?: number;
};

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: number; readonly message: string };

const fail = (status: number, message: string): { ok: false; status: number; message: string } => ({ ok: false, status, message });

function podRef(segments: readonly string[]): PodRef | undefined {
  const decoded = segments.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return '';
    }
  });
  if (decoded.some((s) => s === '')) return undefined;
  const [namespace, pod, third, fourth] = decoded as [string, string, string, string | undefined];
  if (decoded.length === 3) return { namespace, pod, container: third };
  if (decoded.length === 4 && fourth !== undefined) return { namespace, pod, uid: third, container: fourth };
  return undefined;
}

function flag(query: URLSearchParams, ...names: string[]): boolean {
  return names.some((n) => {
    const v = query.get(n);
    return v === '1' || v === 'true' || v === 'True';
  });
}

/** `/exec/{ns}/{pod}/{container}` or `/exec/{ns}/{pod}/{uid}/{container}`. */
export function parseExecRequest(url: URL): Parsed<ExecRequest> {
  const segments = url.pathname.split('/').slice(2);
  const ref = podRef(segments);
  if (ref === undefined) return fail(400, 'exec path must be /exec/{namespace}/{pod}/{container}');
  const q = url.searchParams;
  const command = q.getAll('command');
  if (command.length === 0) return fail(400, 'exec needs at least one command parameter');
  const request = { ...ref, command, stdin: flag(q, 'input', 'stdin'), stdout: flag(q, 'output', 'stdout'), stderr: flag(q, 'error', 'stderr'), tty: flag(q, 'tty') };
  if (request.tty && request.stderr) return fail(400, 'stderr cannot be requested with tty (tty=1 merges stderr into stdout)');
  if (!request.stdin && !request.stdout && !request.stderr) return fail(400, 'you must specify at least 1 of stdin, stdout, stderr');
  return { ok: true, value: request };
}

function nonNegativeInt(text: string | null, name: string): number | undefined | string {
  if (text === null || text === '') return undefined;
  if (!/^\d+$/.test(text)) return `${name} must be a non-negative integer, got ${JSON.stringify(text)}`;
  return Number(text);
}

export function parseLogRequest(url: URL, nowMs: number): Parsed<LogRequest> {
  const ref = podRef(url.pathname.split('/').slice(2));
  if (ref === undefined) return fail(400, 'log path must be /containerLogs/{namespace}/{pod}/{container}');
  const q = url.searchParams;
  const tail = nonNegativeInt(q.get('tailLines'), 'tailLines');
  const limit = nonNegativeInt(q.get('limitBytes'), 'limitBytes');
  const sinceSeconds = nonNegativeInt(q.get('sinceSeconds'), 'sinceSeconds');
  for (const v of [tail, limit, sinceSeconds]) if (typeof v === 'string') return fail(400, v);
  const sinceTime = q.get('sinceTime');
  const sinceTimeMs = sinceTime ? Date.parse(sinceTime) : undefined;
  if (sinceTimeMs !== undefined && Number.isNaN(sinceTimeMs)) return fail(400, `sinceTime must be an RFC 3339 time, got ${JSON.stringify(sinceTime)}`);
  if (sinceTimeMs !== undefined && sinceSeconds !== undefined) return fail(400, 'at most one of sinceTime or sinceSeconds may be specified');
  const sinceMs = typeof sinceSeconds === 'number' ? nowMs - sinceSeconds * 1000 : sinceTimeMs;
  return {
    ok: true,
    value: {
      ...ref, follow: flag(q, 'follow'), previous: flag(q, 'previous'), timestamps: flag(q, 'timestamps'),
      ...(typeof tail === 'number' ? { tailLines: tail } : {}), ...(typeof limit === 'number' ? { limitBytes: limit } : {}),
      ...(sinceMs !== undefined ? { sinceMs } : {}),
    },
  };
}
