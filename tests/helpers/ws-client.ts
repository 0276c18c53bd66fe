import WebSocket from 'ws';

export type Frame = { type: string; topic?: string; cursor?: number; code?: string; event?: any; [key: string]: any };

/** A WebSocket test client that records every frame and waits for the ones a test expects. */
export async function connect(
  baseUrl: string,
  headers: Record<string, string> = {},
  options: Omit<WebSocket.ClientOptions, 'headers'> = {},
) {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/ws`, { ...options, headers });
  const frames: Frame[] = [];
  const waiters: { predicate: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Frame;
    frames.push(frame);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(frame)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    }
  });
  const closed = new Promise<{ code: number }>((resolve) => socket.on('close', (code) => resolve({ code })));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`upgrade refused: ${res.statusCode}`));
    });
  });
  return {
    socket,
    frames,
    closed,
    send: (frame: unknown) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    /** The first frame (already received or future) matching `predicate`. */
    next(predicate: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
      const seen = frames.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(frames)}`)),
          timeoutMs,
        );
        waiters.push({ predicate, resolve: (f) => (clearTimeout(timer), resolve(f)) });
      });
    },
    events: (kind: string) => frames.filter((f) => f.type === 'event' && f.event.kind === kind),
    close: async () => {
      socket.close();
      await closed;
    },
  };
}

export type TestSocket = Awaited<ReturnType<typeof connect>>;

export const settle = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms));
