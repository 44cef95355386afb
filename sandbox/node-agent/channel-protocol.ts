// The Kubernetes remote-command WebSocket protocol (reference 3.4): every binary message is one
// channel byte then payload; v5 adds a close message (0xFF, channel). Pure framing and the
// metav1.Status bodies sent on the error channel.

export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export const supportedProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
export type ChannelProtocol = (typeof supportedProtocols)[number];

/** The first protocol the client offers that we speak; the client lists its preference first. */
export function negotiateProtocol(offered: Iterable<string>): ChannelProtocol | undefined {
  for (const raw of offered) {
    const name = raw.trim();
    const match = supportedProtocols.find((p) => p === name);
    if (match !== undefined) return match;
  }
  return undefined;
}

export function encodeFrame(channel: number, payload: Uint8Array | string = new Uint8Array()): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const frame = Buffer.allocUnsafe(body.length + 1);
  frame[0] = channel;
  frame.set(body, 1);
  return frame;
}

export type ClientFrame =
  | { readonly kind: 'stdin'; readonly data: Buffer }
  | { readonly kind: 'resize'; readonly width: number; readonly height: number }
  | { readonly kind: 'close'; readonly channel: number }
  | { readonly kind: 'invalid'; readonly message: string };

export function decodeClientFrame(frame: Buffer, protocol: ChannelProtocol): ClientFrame {
  if (frame.length === 0) return { kind: 'invalid', message: 'empty message' };
  const channel = frame[0];
  const payload = frame.subarray(1);
  if (channel === Channel.stdin) return { kind: 'stdin', data: payload };
  if (channel === Channel.resize) return decodeResize(payload);
  if (channel === Channel.close && protocol === 'v5.channel.k8s.io') {
    const closed = payload[0];
    return closed === undefined ? { kind: 'invalid', message: 'close message without a channel' } : { kind: 'close', channel: closed };
  }
  return { kind: 'invalid', message: `unexpected channel ${String(channel)} from client` };
}

// A terminal's rows and columns are unsigned 16-bit (struct winsize, remotecommand.TerminalSize).
const isWindowDimension = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 0xffff;

function decodeResize(payload: Buffer): ClientFrame {
  try {
    const size = JSON.parse(payload.toString('utf8')) as { Width?: unknown; Height?: unknown } | null;
    if (isWindowDimension(size?.Width) && isWindowDimension(size?.Height)) return { kind: 'resize', width: size.Width, height: size.Height };
  } catch {
    // fall through: a malformed resize is reported, never fatal
  }
  return { kind: 'invalid', message: 'resize message is not {"Width":n,"Height":n} with integers 0..65535' };
}

/** The channel byte clients treat as "streams ready": the first open output channel. */
export function readyChannel(streams: { readonly stdout: boolean; readonly stderr: boolean }): number {
  if (streams.stdout) return Channel.stdout;
  if (streams.stderr) return Channel.stderr;
  return Channel.error;
}

export function renderExitStatus(exitCode: number): string {
  if (exitCode === 0) return JSON.stringify({ metadata: {}, status: 'Success' });
  return JSON.stringify({
    metadata: {}, status: 'Failure', reason: 'NonZeroExitCode',
    message: `command terminated with non-zero exit code: error executing command, exit status ${String(exitCode)}`,
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  });
}

export function renderFailureStatus(message: string): string {
  return JSON.stringify({ metadata: {}, status: 'Failure', reason: 'InternalError', message });
}
