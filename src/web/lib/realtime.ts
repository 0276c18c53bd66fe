import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { ClientFrame, RealtimeEvent, ServerFrame } from '../../shared/realtime';

type Handler = (event: RealtimeEvent, cursor: number | undefined) => void;
type Topic = { cursor: number | undefined; handlers: Set<Handler> };
export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

/**
 * One WebSocket for the tab. Remembers the highest cursor per topic and re-subscribes with
 * `after` when it reconnects, so nothing is missed and nothing is delivered twice.
 */
class RealtimeClient {
  private socket: WebSocket | undefined;
  private topics = new Map<string, Topic>();
  private state: ConnectionState = 'connecting';
  private listeners = new Set<() => void>();
  private retries = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private started = false;
  private renewals = 0;
  private revokedDuringRenewal = false;

  start() {
    if (this.started) return;
    this.started = true;
    this.open();
    window.addEventListener('online', () => this.reconnectNow());
    setInterval(() => this.send({ type: 'ping' }), 25_000);
  }

  private open() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.retries = 0;
      this.setState('open');
      for (const [topic, entry] of this.topics) this.subscribeFrame(topic, entry);
    };
    // Frames are typed by the shared protocol, not checked here: the browser carries no schemas.
    socket.onmessage = (message) => this.onFrame(JSON.parse(String(message.data)) as ServerFrame);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      // 4401: the sign-in this socket carried was signed out or revoked.
      if (event.code === 4401) return void this.afterRevocation();
      this.setState('reconnecting');
      const delay = Math.min(10_000, 500 * 2 ** this.retries++);
      this.timer = setTimeout(() => this.open(), delay);
    };
  }

  /**
   * Runs a request that replaces this tab's sign-in: a password change revokes every session,
   * this tab's too, and hands it a new cookie in the same answer. The socket may hear of the
   * revocation first; until the request is over, that means "reconnect with the new cookie".
   */
  async renewingSignIn<T>(work: () => Promise<T>): Promise<T> {
    this.renewals++;
    try {
      return await work();
    } finally {
      this.renewals--;
      if (this.revokedDuringRenewal && this.renewals === 0) {
        this.revokedDuringRenewal = false;
        this.open();
      }
    }
  }

  /**
   * A revoked socket is a signed-out tab, unless the browser holds a newer sign-in (a renewal in
   * flight here, or one another tab of this browser just made): then it reconnects with that.
   */
  private async afterRevocation() {
    this.setState('reconnecting');
    if (this.renewals > 0) {
      this.revokedDuringRenewal = true;
      return;
    }
    const signedIn = await fetch('/api/me', { credentials: 'same-origin' }).then(
      (response) => response.ok,
      () => false,
    );
    if (signedIn) this.open();
    else location.assign('/sign-in');
  }

  private reconnectNow() {
    if (this.state === 'open') return;
    clearTimeout(this.timer);
    this.open();
  }

  private onFrame(frame: ServerFrame) {
    if (frame.type === 'subscribed') {
      const entry = this.topics.get(frame.topic);
      if (entry && entry.cursor === undefined) entry.cursor = frame.cursor;
    } else if (frame.type === 'event') {
      const entry = this.topics.get(frame.topic);
      if (!entry) return;
      if (frame.cursor !== undefined) {
        if (entry.cursor !== undefined && frame.cursor <= entry.cursor && !frame.event.kind.startsWith('queue.'))
          return;
        entry.cursor = Math.max(entry.cursor ?? 0, frame.cursor);
      }
      for (const handler of entry.handlers) handler(frame.event, frame.cursor);
    }
  }

  private subscribeFrame(topic: string, entry: Topic) {
    this.send({ type: 'subscribe', topic, ...(entry.cursor !== undefined ? { after: entry.cursor } : {}) });
  }

  send(frame: ClientFrame) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  subscribe(topic: string, handler: Handler): () => void {
    let entry = this.topics.get(topic);
    if (!entry) {
      entry = { cursor: undefined, handlers: new Set() };
      this.topics.set(topic, entry);
      if (this.state === 'open') this.subscribeFrame(topic, entry);
    }
    entry.handlers.add(handler);
    return () => {
      entry!.handlers.delete(handler);
      if (entry!.handlers.size === 0) {
        this.topics.delete(topic);
        this.send({ type: 'unsubscribe', topic });
      }
    };
  }

  private setState(state: ConnectionState) {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
  getState = () => this.state;
  onState = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

export const realtime = new RealtimeClient();

export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(realtime.onState, realtime.getState);
}

/** Calls `handler` for every event on `topic` while mounted (the latest handler, no resubscribe). */
export function useTopic(topic: string | null, handler: Handler) {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!topic) return;
    realtime.start();
    return realtime.subscribe(topic, (event, cursor) => latest.current(event, cursor));
  }, [topic]);
}
