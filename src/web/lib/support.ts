/** Where people write to a human: shown in the footer and on the terms and privacy pages. */
export const SUPPORT_EMAIL = 'support@autodoctor.example';
