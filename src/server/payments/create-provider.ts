import type { PaymentsConfig } from '../config.js';
import type { Clock } from '../context.js';
import type { Db } from '../db/client.js';
import { createLocalProvider } from './local-provider.js';
import { findProviderCustomer, saveProviderCustomer } from './payment.repository.js';
import type { PaymentProvider } from './provider.js';
import { createStripeProvider, type StripeOptions } from './stripe-provider.js';

/** The provider the configuration names: the embedded one by default, Stripe with its keys. */
export function createPaymentProvider(
  config: PaymentsConfig,
  db: Db,
  clock: Clock,
  stripeApi?: StripeOptions['api'],
): PaymentProvider {
  if (config.provider === 'local' || !config.stripe) return createLocalProvider(db, clock);
  return createStripeProvider({
    ...config.stripe,
    api: stripeApi,
    customers: {
      find: (userId) => findProviderCustomer(db, userId, 'stripe'),
      save: (userId, ref) => saveProviderCustomer(db, userId, 'stripe', ref),
    },
  });
}
