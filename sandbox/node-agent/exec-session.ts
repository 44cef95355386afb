// One `kubectl exec` over the channel protocol (reference 3.4): a "ready" frame, stdout and
// stderr as frames, stdin in, resize of a TTY's window (exec-terminal.ts), and at the end one Status on the error channel, then a graceful
// close that waits for the peer so the tail of the output is never lost.
import type { WebSocket } from 'ws';
import { Channel, decodeClientFrame, encodeFrame, readyChannel, renderExitStatus, renderFailureStatus, type ChannelProtocol } from './channel-protocol.ts';
import { exitStatusOf, spawnInContainer, type ExecTarget } from './exec-process.ts';
import { createTerminalResizer } from './exec-terminal.ts';
import type { ExecRequest } from './kubelet-requests.ts';
import type { Logger } from './log.ts';

const closeWaitMs = 5_000;

function sendFrame(ws: WebSocket, channel: number, data: Uint8Array | string): void {
  if (ws.readyState === ws.OPEN) ws.send(encodeFrame(channel, data));
}

function finish(ws: WebSocket, status: string): void {
  sendFrame(ws, Channel.error, status);
  if (ws.readyState !== ws.OPEN) return;
  ws.close(1000);
  // Destroying the socket while the peer still sends would reset the connection and lose data.
  const timer = setTimeout(() => ws.terminate(), closeWaitMs);
  ws.once('close', () => clearTimeout(timer));
}

export function runExecSession(ws: WebSocket, protocol: ChannelProtocol, request: ExecRequest, target: ExecTarget, options: { isolate: boolean; log: Logger }): void {
  sendFrame(ws, readyChannel(request), '');
  let child: ReturnType<typeof spawnInContainer>;
  try {
    child = spawnInContainer(target, request.command, options.isolate, request.tty);
  } catch (err) {
    finish(ws, renderFailureStatus(`failed to start exec: ${err instanceof Error ? err.message : String(err)}`));
    return;
  }
  let done = false;
  // Only a TTY has a window size; without one, resize frames are accepted and ignored.
  const terminal = request.tty && child.pid !== undefined ? createTerminalResizer(child.pid, options.log) : undefined;
  const killChild = (): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => sendFrame(ws, Channel.stdout, chunk));
  child.stderr?.on('data', (chunk: Buffer) => sendFrame(ws, request.tty ? Channel.stdout : Channel.stderr, chunk));
  child.stdin?.on('error', () => undefined);
  if (!request.stdin) child.stdin?.end();
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return;
    const frame = decodeClientFrame(data, protocol);
    switch (frame.kind) {
      case 'stdin':
        if (request.stdin && child.stdin?.writable) child.stdin.write(frame.data);
        return;
      case 'close':
        if (frame.channel === Channel.stdin) child.stdin?.end();
        return;
      case 'resize':
        terminal?.resize(frame);
        return;
      case 'invalid':
        options.log.warn({ message: frame.message }, 'ignored malformed exec frame');
    }
  });
  ws.on('close', () => {
    if (done) return;
    // v4 clients end stdin by closing; give the command a moment, then make sure it is gone.
    child.stdin?.end();
    setTimeout(killChild, 1_000).unref();
  });
  ws.on('error', () => killChild());
  child.once('error', (err) => {
    done = true;
    terminal?.close();
    finish(ws, renderFailureStatus(`failed to start exec: ${err.message}`));
  });
  child.once('close', (code, signal) => {
    if (done) return;
    done = true;
    terminal?.close();
    finish(ws, renderExitStatus(exitStatusOf(code, signal)));
  });
}
