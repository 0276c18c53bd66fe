import { useCallback, useRef, useState } from 'react';
import { chat, type Message } from '../../../shared/contract';
import { ApiError, call } from '../../lib/api';

/** A photo for the chat: the file and the name it is shared under. */
export type Photo = { file: Blob; name: string };

/** A message on its way: shown as "sending…" (or "not sent", with Retry) until the server has it. */
export type Outgoing = { clientId: string; body: string; photo?: Photo; attachmentIds: string[]; failed: boolean };

export type Outbox = ReturnType<typeof useOutbox>;

async function upload(sessionId: string, photo: Photo): Promise<string> {
  const form = new FormData();
  form.append('file', photo.file, photo.name);
  const attachment = await call(chat.upload, { params: { id: sessionId }, body: form });
  return attachment.id;
}

/**
 * The one way the room posts to the chat — the chat form, the photos chosen at intake, video
 * snapshots. `send` gives the message a fresh clientId, uploads its photo if it has one, then
 * posts it. A failed message stays in `outgoing`; `retry` reuses its clientId (and an upload that
 * already succeeded), so a retry after a network error never duplicates it.
 */
export function useOutbox(sessionId: string, onSent: (message: Message) => void) {
  const [outgoing, setOutgoing] = useState<Outgoing[]>([]);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef({ sessionId, onSent });
  latest.current = { sessionId, onSent };

  const update = (clientId: string, change: Partial<Outgoing>) =>
    setOutgoing((all) => all.map((o) => (o.clientId === clientId ? { ...o, ...change } : o)));

  const deliver = useCallback(async (item: Outgoing) => {
    const id = latest.current.sessionId;
    let uploading = false;
    try {
      let attachmentIds = item.attachmentIds;
      if (item.photo && attachmentIds.length === 0) {
        uploading = true;
        attachmentIds = [await upload(id, item.photo)];
        uploading = false;
        update(item.clientId, { attachmentIds });
      }
      const message = await call(chat.send, {
        params: { id },
        body: { body: item.body, clientId: item.clientId, ...(attachmentIds.length ? { attachmentIds } : {}) },
      });
      latest.current.onSent(message);
      setOutgoing((all) => all.filter((o) => o.clientId !== item.clientId));
    } catch (caught) {
      update(item.clientId, { failed: true });
      setError(caught instanceof ApiError ? caught.message : uploading ? 'Upload failed.' : 'Not sent.');
    }
  }, []);

  /** Posts a new message; resolves when it is delivered or has failed (it never rejects). */
  const send = useCallback(
    (body: string, photo?: Photo) => {
      const item: Outgoing = { clientId: crypto.randomUUID(), body, photo, attachmentIds: [], failed: false };
      setOutgoing((all) => [...all, item]);
      setError(null);
      return deliver(item);
    },
    [deliver],
  );

  const retry = useCallback(
    (item: Outgoing) => {
      update(item.clientId, { failed: false });
      return deliver(item);
    },
    [deliver],
  );

  return { outgoing, error, send, retry };
}
