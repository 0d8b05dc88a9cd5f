import { describe, expect, it } from 'vitest';
import { errorResponse, KEYWARD_ERROR_STATUS, PROBLEM_CONTENT_TYPE } from '../../../src/entries/http.js';
import { ERROR_CODES, type ErrorCode, KeywardError } from '../../../src/errors/index.js';

describe('errorResponse', () => {
  it('maps every KeywardError code to a status', () => {
    for (const code of Object.values(ERROR_CODES)) {
      expect(KEYWARD_ERROR_STATUS[code as ErrorCode]).toBeGreaterThanOrEqual(400);
    }
    const expected: Record<string, number> = {
      INVALID_INPUT: 400,
      NOT_FOUND: 404,
      FORBIDDEN: 403,
      CONFLICT: 409,
      KEY_LIMIT_REACHED: 409,
      ROLE_NOT_ASSIGNABLE: 422,
      EXCEEDS_CREATOR_RIGHTS: 403,
      DATASET_OUTSIDE_BINDING: 422,
      INVALID_STATE: 409,
      INVALID_EXPIRY: 400,
      STORAGE_UNAVAILABLE: 503,
    };
    for (const [code, status] of Object.entries(expected)) {
      const response = errorResponse(new KeywardError(code as ErrorCode, 'x'));
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(response.body.status).toBe(status);
    }
  });

  it('turns validation issues into RFC 9457 errors with JSON Pointers', () => {
    const error = new KeywardError(ERROR_CODES.INVALID_INPUT, 'Invalid service account input', {
      issues: [
        { code: 'too_small', path: ['name'], message: 'Too small' },
        { code: 'invalid_type', path: ['datasetAccess', 'datasetIds', 0], message: 'Expected string' },
        { code: 'custom', path: ['a/b~c'], message: 'Odd' },
        { code: 'custom', path: [], message: 'Nothing to update' },
      ],
    });
    expect(errorResponse(error).body).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      code: 'invalid_input',
      detail: 'Invalid service account input',
      errors: [
        { pointer: '#/name', code: 'too_small', detail: 'Too small' },
        { pointer: '#/datasetAccess/datasetIds/0', code: 'invalid_type', detail: 'Expected string' },
        { pointer: '#/a~1b~0c', code: 'custom', detail: 'Odd' },
        { pointer: '#', code: 'custom', detail: 'Nothing to update' },
      ],
    });
  });

  it('names the decision reason and required permission of a FORBIDDEN', () => {
    const error = new KeywardError(ERROR_CODES.FORBIDDEN, 'Not allowed', {
      details: {
        reason: 'not_granted',
        required: 'api_keys:manage',
        decision: { trace: ['internal'] } as never,
      },
    });
    const body = errorResponse(error).body;
    expect(body).toMatchObject({ status: 403, code: 'not_granted', required: 'api_keys:manage' });
    expect(JSON.stringify(body)).not.toContain('trace');
  });

  it('lists the exceeding permissions of EXCEEDS_CREATOR_RIGHTS', () => {
    const error = new KeywardError(ERROR_CODES.EXCEEDS_CREATOR_RIGHTS, 'Exceeds', {
      details: { exceeding: ['datasets:delete'], datasets: [] },
    });
    expect(errorResponse(error).body).toMatchObject({
      code: 'exceeds_creator_rights',
      exceeding: ['datasets:delete'],
    });
  });

  it('answers any other error with a 500 that says nothing about it', () => {
    const response = errorResponse(new Error('connection string postgres://user:secret@db'));
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('secret');
    const config = errorResponse(new KeywardError(ERROR_CODES.INVALID_CONFIG, 'pepper too short'));
    expect(config.status).toBe(500);
    expect(config.body.code).toBe('internal_error');
    expect(JSON.stringify(config.body)).not.toContain('pepper');
  });
});
