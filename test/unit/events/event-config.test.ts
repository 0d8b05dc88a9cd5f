import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { resolveLimits } from '../../../src/config.js';
import { ERROR_CODES, type KeywardConfig } from '../../../src/index.js';

const DAY = 24 * 3600 * 1000;

const limitsOf = (config: Partial<KeywardConfig>) =>
  resolveLimits({ storage: memoryAdapter(), tokenPrefix: 'acme', ...config });

describe('event settings', () => {
  it('expiringSoonLeadMs defaults to 7 days and keeps a valid value', () => {
    expect(limitsOf({}).expiringSoonLeadMs).toBe(7 * DAY);
    expect(limitsOf({ expiringSoonLeadMs: 2 * DAY }).expiringSoonLeadMs).toBe(2 * DAY);
  });

  it('refuses a lead time that is not a whole number of ms between 1 ms and 365 days', () => {
    for (const expiringSoonLeadMs of [0, -1, 1.5, 366 * DAY, Number.NaN, '7d' as never]) {
      expect(() => limitsOf({ expiringSoonLeadMs })).toThrow(
        expect.objectContaining({ code: ERROR_CODES.INVALID_CONFIG }),
      );
    }
  });

  it('refuses an onEvent that is not a function', () => {
    for (const onEvent of ['https://hooks.example.com' as never, {} as never]) {
      expect(() => limitsOf({ onEvent })).toThrow(
        expect.objectContaining({ code: ERROR_CODES.INVALID_CONFIG }),
      );
    }
    expect(() => limitsOf({ onEvent: () => {} })).not.toThrow();
  });
});
