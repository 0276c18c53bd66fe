import { AppError } from '../errors.js';
import { PaymentDeclined, ProviderRefused, ProviderUnavailable } from './provider.js';

/** A provider's answer as the API's: a decline is 402 with its codes, an outage 503. */
export function providerError(error: unknown): unknown {
  if (error instanceof PaymentDeclined) {
    return new AppError('PAYMENT_DECLINED', error.message, {
      extra: { declineCode: error.declineCode ?? error.code, providerCode: error.code },
    });
  }
  if (error instanceof ProviderUnavailable) {
    return new AppError('SERVICE_UNAVAILABLE', 'The payment provider is briefly unavailable; please try again');
  }
  if (error instanceof ProviderRefused)
    return new AppError('INVALID_TRANSITION', `The payment provider refused: ${error.message}`);
  return error;
}
