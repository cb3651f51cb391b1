/**
 * The page's end of the upload socket (see farm/upload-socket): one
 * WebSocket to the farm, opened on first use and kept across jobs, on
 * which each job sends its pixels as one binary message and waits for the
 * farm's word that they arrived.
 */

/** Longest the farm may take to confirm an upload. */
const REPLY_TIMEOUT_MS = 60_000;

export class UploadChannel {
  private socket: WebSocket | null = null;
  private opening: Promise<WebSocket> | null = null;
  private readonly waiting = new Map<number, { done: () => void; fail: (error: Error) => void }>();

  /** Sends `body` (upload `upload.id`, then the bytes) and resolves once the farm has it. */
  async send(upload: { id: number; socket: string }, body: Blob): Promise<void> {
    const socket = await this.open(upload.socket);
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => finish(new Error(`upload ${upload.id}: no answer from the farm within ${REPLY_TIMEOUT_MS / 1000} s`)), REPLY_TIMEOUT_MS);
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.waiting.delete(upload.id);
        if (error) fail(error);
        else done();
      };
      this.waiting.set(upload.id, { done: () => finish(), fail: finish });
      socket.send(body);
    });
  }

  private open(url: string): Promise<WebSocket> {
    if (this.socket?.readyState === WebSocket.OPEN && this.socket.url === url) return Promise.resolve(this.socket);
    this.opening ??= new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => {
        this.socket = socket;
        this.opening = null;
        resolve(socket);
      };
      socket.onmessage = (event) => {
        const [id, ...rest] = String(event.data).split(' ');
        const waiter = this.waiting.get(Number(id));
        if (!waiter) return;
        const answer = rest.join(' ');
        if (answer === 'ok') waiter.done();
        else waiter.fail(new Error(`upload ${id}: the farm ${answer}`));
      };
      socket.onclose = (event) => {
        this.opening = null;
        if (this.socket === socket) this.socket = null;
        const error = new Error(`the upload socket closed (status ${event.code})`);
        for (const waiter of [...this.waiting.values()]) waiter.fail(error);
        reject(error);
      };
    });
    return this.opening;
  }
}
