import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';
import { ErrorCodes, OperatorError } from '../errors.ts';
import { isConflict, isNotFound, KubeApiError, toKubeApiError } from './kube-api-error.ts';

const statusBody = (code: number, reason: string, message: string): string => JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

describe('Kubernetes API error mapping', () => {
  it('keeps status, reason and a bounded Status message, and never the body or headers in the message', () => {
    const body = statusBody(422, 'Invalid', 'Secret "db" is invalid: data[password]: Invalid value: "hunter2-secret"');
    const raw = new ApiException(422, `Unsuccessful HTTP Request\nBody: ${body}\nHeaders: {"authorization":"Bearer abc"}`, body, { authorization: 'Bearer abc' });
    const error = toKubeApiError(raw, 'apply', 'secrets ns/db');
    assert.ok(error instanceof KubeApiError && error instanceof OperatorError);
    assert.equal(error.message, 'apply secrets ns/db failed: 422 Invalid');
    assert.equal(error.status, 422);
    assert.equal(error.reason, 'Invalid');
    assert.equal(error.code, ErrorCodes.KUBE_API);
    assert.equal(error.retryable, false);
    assert.doesNotMatch(JSON.stringify({ ...error, message: error.message, cause: String(error.cause) }), /Bearer|authorization/);
    assert.ok((error.apiMessage ?? '').length <= 300);
  });

  const table: [string, number, string, { code: string; retryable: boolean; reason: string }][] = [
    ['a 409 Conflict is the conflict code and retryable', 409, statusBody(409, 'Conflict', 'the object has been modified'), { code: ErrorCodes.KUBE_CONFLICT, retryable: true, reason: 'Conflict' }],
    ['a 409 AlreadyExists is not a conflict and not retryable', 409, statusBody(409, 'AlreadyExists', 'exists'), { code: ErrorCodes.KUBE_API, retryable: false, reason: 'AlreadyExists' }],
    ['a 404 without a Status body gets its reason from the status', 404, 'not json', { code: ErrorCodes.KUBE_API, retryable: false, reason: 'NotFound' }],
    ['a 403 is not retryable', 403, statusBody(403, 'Forbidden', 'no'), { code: ErrorCodes.KUBE_API, retryable: false, reason: 'Forbidden' }],
    ['a 429 is retryable', 429, '', { code: ErrorCodes.KUBE_API, retryable: true, reason: 'TooManyRequests' }],
    ['a 503 is retryable', 503, statusBody(503, 'ServiceUnavailable', 'x'), { code: ErrorCodes.KUBE_API, retryable: true, reason: 'ServiceUnavailable' }],
  ];
  for (const [name, status, body, want] of table) {
    it(`maps ${name}`, () => {
      const error = toKubeApiError(new ApiException(status, 'x', body, {}), 'get', 'pods ns/p');
      assert.deepEqual({ code: error.code, retryable: error.retryable, reason: error.reason }, want);
    });
  }

  it('maps a transport failure to a retryable "no answer" error that keeps the cause', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
    const error = toKubeApiError(cause, 'list', 'pods');
    assert.equal(error.status, 0);
    assert.equal(error.reason, 'Unreachable');
    assert.equal(error.retryable, true);
    assert.equal(error.cause, cause);
    assert.equal(error.message, 'list pods failed: no answer Unreachable');
  });

  it('recognises not-found and conflict errors and passes coded errors through unchanged', () => {
    const nf = toKubeApiError(new ApiException(404, 'x', '', {}), 'get', 'x');
    const conflict = toKubeApiError(new ApiException(409, 'x', statusBody(409, 'Conflict', ''), {}), 'get', 'x');
    assert.ok(isNotFound(nf) && !isConflict(nf));
    assert.ok(isConflict(conflict) && !isNotFound(conflict));
    assert.equal(toKubeApiError(nf, 'other', 'y'), nf);
  });
});
