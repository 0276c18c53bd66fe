import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/server/config.js';
import { get } from '../helpers/http.js';
import { createTestApp } from '../helpers/test-app.js';

const STRIPE = {
  STRIPE_SECRET_KEY: 'sk_test_config0123456789',
  STRIPE_WEBHOOK_SECRET: 'whsec_config0123456789',
  STRIPE_PUBLISHABLE_KEY: 'pk_test_config0123456789',
};

describe('switching to Stripe', () => {
  it('a secret key makes Stripe the provider; a half-configured Stripe stops start-up', () => {
    expect(parseConfig({}).payments.provider).toBe('local');
    expect(parseConfig(STRIPE).payments.provider).toBe('stripe');
    expect(parseConfig({ ...STRIPE, PAYMENT_PROVIDER: 'local' }).payments.provider).toBe('local');
    expect(() => parseConfig({ PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: STRIPE.STRIPE_SECRET_KEY })).toThrow(
      ConfigError,
    );
    expect(() => parseConfig({ STRIPE_SECRET_KEY: 'not-a-key' })).toThrow(/STRIPE_SECRET_KEY/);
  });

  it('the browser is told to use Stripe’s Payment Element, and the page may load Stripe.js and its frames', async () => {
    const t = await createTestApp({ env: STRIPE });
    try {
      const config = await get(t, '/api/payments/config');
      expect(config.body).toMatchObject({
        provider: 'stripe',
        publishableKey: STRIPE.STRIPE_PUBLISHABLE_KEY,
        testCards: false,
      });
      const csp = String(config.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self' https://js.stripe.com");
      expect(csp).toContain('frame-src https://js.stripe.com https://hooks.stripe.com');
    } finally {
      await t.close();
    }
    const local = await createTestApp();
    try {
      const csp = String((await get(local, '/api/payments/config')).headers['content-security-policy']);
      expect(csp).not.toContain('stripe');
    } finally {
      await local.close();
    }
  });
});
