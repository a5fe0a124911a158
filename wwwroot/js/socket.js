// The connection to /ws: reconnects with backoff, resumes with since=<last id> so nothing is missed, and
// keeps every unconfirmed send (by clientId) until the server's echo confirms it, re-sending after a reconnect.

const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 5000]; // capped at 5 s: a restarted server is found quickly
const PING_INTERVAL_MS = 25_000;
const SILENCE_LIMIT_MS = PING_INTERVAL_MS * 2 + 5_000; // two missed pongs: the connection is dead though not closed
const PROGRESS_POLL_MS = 100;

export function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
}

export class ChatSocket {
  /**
   * @param {object} handlers onEvent(event, bytes?), onRoster(users), onReplayed({truncated, since, firstId}), onError(frame), onState(state, detail),
   *   and optionally onWelcome(frame) and onStuck() (connections keep failing)
   * @param {number} since the newest event id the page already shows
   */
  constructor(handlers, since) {
    this.handlers = handlers;
    this.lastId = since;
    this.unconfirmed = new Map(); // clientId -> frame, in sending order
    this.fileWaiters = new Map(); // clientId -> { resolve, reject }
    this.attempt = 0;
    this.socket = null;
    this.ready = false; // open and past the replay: sends go out directly
    this.retryTimer = 0;
    this.pingTimer = 0;
    this.lastHeard = 0;
    this.awaitingBytes = null; // a file event whose content is the next binary frame
    this.readyWaiters = [];
  }

  connect() {
    clearTimeout(this.retryTimer);
    if (this.socket) return;
    const url = new URL('/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('since', String(this.lastId));
    this.resumedFrom = this.lastId;
    this.firstReplayedId = 0;
    this.awaitingBytes = null;
    this.handlers.onState('connecting');
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.lastHeard = Date.now();
      this.pingTimer = setInterval(() => this.keepAlive(), PING_INTERVAL_MS);
    });
    socket.addEventListener('message', message => this.receive(message));
    socket.addEventListener('close', () => this.dropped(socket));
  }

  /** Reconnects at once (the network is back, or the reader asked). */
  retryNow() {
    if (!this.socket) { this.attempt = 0; this.connect(); }
  }

  receive(message) {
    this.lastHeard = Date.now();
    // A file's content follows its header when binary is true: the event is handed on with its bytes.
    if (typeof message.data !== 'string') {
      const event = this.awaitingBytes;
      this.awaitingBytes = null;
      if (event) this.deliver(event, message.data);
      return;
    }
    let frame;
    try { frame = JSON.parse(message.data); } catch { return; }
    switch (frame.type) {
      case 'welcome':
        this.handlers.onWelcome?.(frame);
        break;
      case 'file':
        if (frame.binary) { this.awaitingBytes = frame; break; }
        this.deliver(frame);
        break;
      case 'message':
      case 'system':
      case 'edit':
      case 'delete':
        this.deliver(frame);
        break;
      case 'replayed':
        if (frame.lastId > this.lastId) this.lastId = frame.lastId;
        this.ready = true;
        this.attempt = 0;
        this.handlers.onState('open');
        this.handlers.onReplayed({ truncated: frame.truncated === true, since: this.resumedFrom, firstId: this.firstReplayedId });
        this.flush();
        for (const resolve of this.readyWaiters.splice(0)) resolve();
        break;
      case 'roster':
        this.handlers.onRoster(frame.users ?? []);
        break;
      case 'error':
        this.refused(frame);
        break;
    }
  }

  deliver(frame, bytes) {
    this.confirm(frame);
    if (frame.replay && !this.firstReplayedId) this.firstReplayedId = frame.id;
    if (frame.id > this.lastId) this.lastId = frame.id;
    this.handlers.onEvent(frame, bytes);
  }

  /** Resolves once the connection is open and past its replay (at once when it is). */
  whenReady() {
    return this.ready ? Promise.resolve() : new Promise(resolve => this.readyWaiters.push(resolve));
  }

  /** The echo (live or replayed) is the server's confirmation: that send is done. */
  confirm(frame) {
    if (!frame.clientId) return;
    this.unconfirmed.delete(frame.clientId);
    const waiter = this.fileWaiters.get(frame.clientId);
    if (waiter) { this.fileWaiters.delete(frame.clientId); waiter.resolve(frame); }
  }

  refused(frame) {
    if (frame.clientId) {
      this.unconfirmed.delete(frame.clientId);
      const waiter = this.fileWaiters.get(frame.clientId);
      if (waiter) {
        this.fileWaiters.delete(frame.clientId);
        waiter.reject(Object.assign(new Error(frame.message ?? frame.code), { code: frame.code }));
      }
    }
    this.handlers.onError(frame);
  }

  /** Sends a message; it is kept until confirmed, so a dropped connection only delays it. */
  sendMessage({ text, to, clientId }) {
    const frame = { type: 'message', text, clientId };
    if (to) frame.to = to;
    this.unconfirmed.set(clientId, frame);
    if (this.ready) this.socket.send(JSON.stringify(frame));
  }

  /** Sends the unconfirmed messages after a (re)connect, in the order they were typed. */
  flush() {
    for (const frame of this.unconfirmed.values()) this.socket.send(JSON.stringify(frame));
  }

  /**
   * Shares a file: the JSON header, then the file itself as one binary frame (the browser streams it; it is not
   * read into memory here). While the chat is offline the file waits, like text; a connection that drops before
   * the echo sends it again with the same clientId, so it is stored once. Resolves with the stored event,
   * rejects on a refusal.
   */
  async sendFile(file, { to, clientId = newClientId(), onProgress } = {}) {
    for (;;) {
      await this.whenReady();
      try {
        return await this.sendFileOnce(file, { to, clientId, onProgress });
      } catch (error) {
        if (error.code !== 'offline') throw error;
      }
    }
  }

  sendFileOnce(file, { to, clientId, onProgress }) {
    if (!this.ready) return Promise.reject(Object.assign(new Error('Not connected.'), { code: 'offline' }));
    const confirmed = new Promise((resolve, reject) => this.fileWaiters.set(clientId, { resolve, reject }));
    const header = { type: 'file', name: file.name, contentType: file.type || 'application/octet-stream', size: file.size, clientId };
    if (to) header.to = to;
    const socket = this.socket;
    // Both sends are queued in order on this socket, so no other frame can come between header and bytes.
    socket.send(JSON.stringify(header));
    socket.send(file);
    if (onProgress) this.reportProgress(socket, file.size, onProgress, confirmed);
    return confirmed;
  }

  /** Calls onProgress(sentBytes, totalBytes) until the server confirms the file. */
  reportProgress(socket, total, onProgress, confirmed) {
    let done = false;
    confirmed.then(() => { done = true; onProgress(total, total); }, () => { done = true; });
    const poll = () => {
      if (done) return;
      // What has left the browser: the bytes still buffered are the file's tail (the header went first).
      onProgress(Math.max(0, Math.min(total, total - socket.bufferedAmount)), total);
      if (socket.readyState === WebSocket.OPEN) setTimeout(poll, PROGRESS_POLL_MS);
    };
    poll();
  }

  keepAlive() {
    if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) { this.socket?.close(); return; }
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send('{"type":"ping"}');
  }

  dropped(socket) {
    if (this.socket !== socket) return;
    clearInterval(this.pingTimer);
    this.socket = null;
    this.ready = false;
    for (const [clientId, waiter] of this.fileWaiters) {
      waiter.reject(Object.assign(new Error('The connection dropped before the file was confirmed.'), { code: 'offline' }));
      this.fileWaiters.delete(clientId);
    }
    // attempt counts closes since the last complete replay; every few, the page checks it is still signed in.
    if (this.attempt > 0 && this.attempt % 3 === 0) this.handlers.onStuck?.();
    const base = RETRY_DELAYS_MS[Math.min(this.attempt, RETRY_DELAYS_MS.length - 1)];
    const delay = Math.round(base * (0.8 + Math.random() * 0.4)); // jitter: a restarted server is not hit by every page at once
    this.attempt++;
    this.handlers.onState('closed', { retryInMs: delay });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
