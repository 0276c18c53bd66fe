import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      seedDemo: true,
      sweepIntervalMs: 5000,
    });
    expect(config.windows).toEqual({
      offerSeconds: 900,
      urgentOfferSeconds: 300,
      joinSeconds: 600,
      abandonSeconds: 300,
      exclusiveSeconds: 120,
      liveGraceSeconds: 120,
    });
    expect(config.publicUrl).toBe('http://localhost:3000');
  });
  it('does not seed demo accounts on PostgreSQL unless asked', () => {
    expect(parseConfig({ DATABASE_URL: 'postgres://x@localhost/db' }).seedDemo).toBe(false);
    expect(parseConfig({ DATABASE_URL: 'postgres://x@localhost/db', SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });
  it.each([
    ['PORT', 'eighty'],
    ['OFFER_WINDOW_SECONDS', '-5'],
    ['DATABASE_URL', 'mysql://nope'],
    ['ICE_SERVERS', '{not json'],
    ['LOG_LEVEL', 'loud'],
    ['SEED_DEMO', 'maybe'],
    ['TRUST_PROXY', 'everyone'],
    ['TRUST_PROXY', '10.0.0.0/40'],
    ['METRICS_TOKEN', 'short'],
    ['SMTP_URL', 'http://mail.example.com'],
    ['WEBHOOKS_ALLOW_PRIVATE', 'sometimes'],
  ])('an invalid %s stops start-up with a message naming it', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrowError(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrowError(new RegExp(name));
  });
  it('email: the outbox unless SMTP_URL is set, which needs EMAIL_FROM', () => {
    expect(parseConfig({}).notifications).toMatchObject({ smtpUrl: null, allowPrivateWebhooks: false });
    expect(() => parseConfig({ SMTP_URL: 'smtp://mail.example.com:587' })).toThrowError(/EMAIL_FROM/);
    expect(
      parseConfig({ SMTP_URL: 'smtps://u:p@mail.example.com', EMAIL_FROM: 'AutoDoctor <a@example.com>' }).notifications,
    ).toMatchObject({ smtpUrl: 'smtps://u:p@mail.example.com', emailFrom: 'AutoDoctor <a@example.com>' });
  });
  it('refuses production without AUTH_SECRET', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrowError(/AUTH_SECRET/);
  });
  it('parses ICE servers', () => {
    expect(parseConfig({ ICE_SERVERS: '[{"urls":"stun:stun.example.org"}]' }).iceServers).toEqual([
      { urls: 'stun:stun.example.org' },
    ]);
  });
  it('reads TRUST_PROXY as a hop count or a list of proxies', () => {
    expect(parseConfig({}).trustProxy).toBeUndefined();
    expect(parseConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(parseConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,::1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      '::1',
    ]);
  });
});
