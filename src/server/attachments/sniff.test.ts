import { describe, expect, it } from 'vitest';
import { safeFilename, sniffContentType } from './sniff.js';

describe('upload sniffing', () => {
  it('recognises the four accepted types by their bytes', () => {
    expect(sniffContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]))).toBe('image/jpeg');
    expect(sniffContentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffContentType(Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(sniffContentType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
  });
  it('refuses text that only claims to be an image', () => {
    expect(sniffContentType(Buffer.from('hello, I am a .png'))).toBeNull();
    expect(sniffContentType(Buffer.from('<svg onload=alert(1)>'))).toBeNull();
  });
  it('keeps filenames harmless', () => {
    expect(safeFilename('../../etc/passwd', 'image/png')).toBe('passwd.png');
    expect(safeFilename('a"b\r\n.jpg', 'image/jpeg')).toBe('a_b_.jpg');
    expect(safeFilename(undefined, 'application/pdf')).toBe('file.pdf');
  });
});
