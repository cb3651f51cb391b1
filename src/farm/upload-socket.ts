/**
 * The server end of a WebSocket (RFC 6455) that only receives: a page sends
 * binary messages and gets a short text reply to each. The farm moves each
 * job's pixels this way because the page's request interception, which
 * keeps pages on the asset server, would copy an HTTP request's body
 * through the DevTools protocol as base64; a WebSocket's frames do not
 * pass through it.
 *
 * Enough of the protocol for one local browser: frames from the client are
 * masked, messages may be fragmented, pings are answered, and a close ends
 * the connection. A message over `maxBytes` closes it (status 1009).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;

export class UploadSocket {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private readonly parts: Buffer[] = [];
  private partBytes = 0;
  private closed = false;

  private constructor(
    private readonly socket: Duplex,
    private readonly maxBytes: () => number,
    private readonly onMessage: (message: Buffer, reply: (text: string) => void) => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.take(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => (this.closed = true));
  }

  /**
   * Completes the handshake of `req` on `socket` and receives its messages;
   * false, leaving the socket to the caller, when it is no WebSocket request.
   */
  static accept(
    req: IncomingMessage,
    socket: Duplex,
    maxBytes: () => number,
    onMessage: (message: Buffer, reply: (text: string) => void) => void,
  ): boolean {
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string' || String(req.headers.upgrade).toLowerCase() !== 'websocket') return false;
    const accept = createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    new UploadSocket(socket, maxBytes, onMessage);
    return true;
  }

  private take(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (!this.closed && this.nextFrame());
  }

  /** The first `n` buffered bytes (a frame head: at most 14) as one buffer, without removing them. */
  private peek(n: number): Buffer {
    if (this.chunks[0].length < n) {
      const joined = Buffer.concat(this.chunks, this.buffered);
      this.chunks.length = 0;
      this.chunks.push(joined);
    }
    return this.chunks[0].subarray(0, n);
  }

  /** Removes the first `n` buffered bytes, copying them into `into` where given. */
  private drop(n: number, into?: Buffer): void {
    this.buffered -= n;
    let at = 0;
    while (n > 0) {
      const first = this.chunks[0];
      const used = Math.min(first.length, n);
      if (into) first.copy(into, at, 0, used);
      at += used;
      n -= used;
      if (used === first.length) this.chunks.shift();
      else this.chunks[0] = first.subarray(used);
    }
  }

  /** Handles one whole frame if it has arrived; false when more bytes are needed. */
  private nextFrame(): boolean {
    if (this.buffered < 2) return false;
    const head = this.peek(2);
    const fin = (head[0] & 0x80) !== 0;
    const op = head[0] & 0x0f;
    const masked = (head[1] & 0x80) !== 0;
    let length = head[1] & 0x7f;
    let at = 2;
    if (length === 126) {
      if (this.buffered < 4) return false;
      length = this.peek(4).readUInt16BE(2);
      at = 4;
    } else if (length === 127) {
      if (this.buffered < 10) return false;
      length = Number(this.peek(10).readBigUInt64BE(2));
      at = 10;
    }
    // Unmasked client frames, and control frames over 125 bytes, break the protocol.
    if (!masked || (op >= OP_CLOSE && length > 125)) {
      this.close(1002);
      return false;
    }
    if (this.partBytes + length > this.maxBytes()) {
      this.close(1009);
      return false;
    }
    if (this.buffered < at + 4 + length) return false;
    const mask = this.peek(at + 4).readUInt32LE(at);
    this.drop(at + 4);
    // Copied once, straight from the chunks, into a fresh buffer aligned for
    // unmasking four bytes at a time.
    const payload = Buffer.allocUnsafeSlow(length);
    this.drop(length, payload);
    unmask(payload, mask);

    if (op === OP_CLOSE) {
      this.close(1000);
      return false;
    }
    if (op === OP_PING) {
      this.send(0xa, payload);
      return true;
    }
    if (op !== OP_BINARY && op !== OP_TEXT && op !== OP_CONTINUATION) return true;
    this.parts.push(payload);
    this.partBytes += length;
    if (fin) {
      const message = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partBytes);
      this.parts.length = 0;
      this.partBytes = 0;
      this.onMessage(message, (text) => this.send(OP_TEXT, Buffer.from(text)));
    }
    return true;
  }

  private send(op: number, payload: Buffer): void {
    if (this.closed) return;
    const length = payload.length;
    // Replies are short texts and pongs of at most 125 bytes.
    if (length > 125) throw new Error(`upload socket: a reply of ${length} bytes; at most 125 go in one short frame`);
    const head = Buffer.from([0x80 | op, length]);
    this.socket.write(Buffer.concat([head, payload]));
  }

  private close(status = 1000): void {
    if (this.closed) return;
    const body = Buffer.alloc(2);
    body.writeUInt16BE(status);
    this.send(OP_CLOSE, body);
    this.closed = true;
    this.socket.end();
  }
}

/** XORs `payload` in place with the 4-byte `mask` (read little-endian), as the client masked it. */
function unmask(payload: Buffer, mask: number): void {
  const words = payload.length >> 2;
  if (payload.byteOffset % 4 === 0) {
    const view = new Uint32Array(payload.buffer, payload.byteOffset, words);
    for (let i = 0; i < words; i++) view[i] ^= mask;
  } else {
    for (let i = 0; i < words * 4; i++) payload[i] ^= (mask >>> (8 * (i & 3))) & 255;
  }
  for (let i = words * 4; i < payload.length; i++) payload[i] ^= (mask >>> (8 * (i & 3))) & 255;
}
