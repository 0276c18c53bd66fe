import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/*
 * Files on disk, stored once per content under their hash (`uploads/ab/abcdef…`). An upload is
 * streamed to a temporary file while it is hashed and measured — never held in memory whole —
 * and renamed into place only when complete, so a crash never leaves a half-written file under a
 * final name.
 */

export function storagePath(uploadsDir: string, sha256: string): string {
  return path.join(uploadsDir, sha256.slice(0, 2), sha256);
}

export type Received = {
  /** Where the bytes are now (a temporary file); `keep` moves them to their final place. */
  temporary: string;
  size: number;
  sha256: string;
  /** The first bytes, for sniffing the type. */
  head: Buffer;
};

const HEAD_BYTES = 16;

/** Streams `source` to a temporary file under `uploadsDir`, hashing and counting as it goes. */
export async function receive(uploadsDir: string, source: Readable): Promise<Received> {
  const dir = path.join(uploadsDir, 'tmp');
  await fsp.mkdir(dir, { recursive: true });
  const temporary = path.join(dir, `${process.pid}.${crypto.randomUUID()}.part`);
  const hash = crypto.createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, measure, fs.createWriteStream(temporary, { flags: 'wx' }));
  } catch (error) {
    await discard(temporary);
    throw error;
  }
  return { temporary, size, sha256: hash.digest('hex'), head };
}

/** Moves a received file to its content address; returns the storage key (relative to uploadsDir). */
export async function keep(uploadsDir: string, received: Received): Promise<string> {
  const target = storagePath(uploadsDir, received.sha256);
  await fsp.mkdir(path.dirname(target), { recursive: true });
  await fsp.rename(received.temporary, target);
  return path.relative(uploadsDir, target);
}

export async function discard(file: string): Promise<void> {
  await fsp.rm(file, { force: true });
}

export function openStored(uploadsDir: string, storageKey: string): Readable {
  return fs.createReadStream(path.join(uploadsDir, storageKey));
}

export async function isStored(uploadsDir: string, storageKey: string): Promise<boolean> {
  return fsp.access(path.join(uploadsDir, storageKey)).then(
    () => true,
    () => false,
  );
}
