// The one place where Kubernetes API failures become the operator's coded error: HTTP answers of
// our REST calls and watches (rest.ts, watch-source.ts), ApiException of client-node's generated
// APIs (tools and tests use them), and transport failures. Raw messages embed response bodies and
// headers (tokens, Secret data in echoes), so nothing of them is copied except the HTTP status,
// the Status reason and a bounded Status message.
import { ErrorCodes, OperatorError, isOperatorError } from '../errors.ts';

export const KubeReason = {
  NotFound: 'NotFound',
  Conflict: 'Conflict',
  AlreadyExists: 'AlreadyExists',
  Invalid: 'Invalid',
  Forbidden: 'Forbidden',
  Unauthorized: 'Unauthorized',
  BadRequest: 'BadRequest',
  Expired: 'Expired',
  Gone: 'Gone',
  TooManyRequests: 'TooManyRequests',
  InternalError: 'InternalError',
  ServiceUnavailable: 'ServiceUnavailable',
  Timeout: 'Timeout',
  UnsupportedMediaType: 'UnsupportedMediaType',
  /** No HTTP answer at all: connection refused or reset, DNS, TLS, a local timeout. */
  Unreachable: 'Unreachable',
  Unknown: 'Unknown',
} as const;
export type KubeReason = string;

const reasonByStatus: Readonly<Record<number, string>> = {
  400: KubeReason.BadRequest, 401: KubeReason.Unauthorized, 403: KubeReason.Forbidden, 404: KubeReason.NotFound,
  409: KubeReason.Conflict, 410: KubeReason.Gone, 415: KubeReason.UnsupportedMediaType, 422: KubeReason.Invalid,
  429: KubeReason.TooManyRequests, 500: KubeReason.InternalError, 503: KubeReason.ServiceUnavailable, 504: KubeReason.Timeout,
};

const apiMessageLimit = 300;

export type KubeApiErrorInit = {
  /** What was attempted, e.g. `apply`, `patch status of`. */
  readonly operation: string;
  /** What it was attempted on, e.g. `configmaps ns/name`. */
  readonly target: string;
  /** HTTP status; 0 when no answer arrived. */
  readonly status: number;
  readonly reason: string;
  /** The Status `message` from the API server, truncated; never the raw body. */
  readonly apiMessage?: string;
  readonly cause?: unknown;
};

/** A failed Kubernetes API call. `reason` follows metav1.StatusReason. */
export class KubeApiError extends OperatorError {
  readonly status: number;
  readonly reason: string;
  readonly apiMessage: string | undefined;

  constructor(init: KubeApiErrorInit) {
    const isConflict = init.status === 409 && init.reason === KubeReason.Conflict;
    super(isConflict ? ErrorCodes.KUBE_CONFLICT : ErrorCodes.KUBE_API,
      `${init.operation} ${init.target} failed: ${init.status === 0 ? 'no answer' : String(init.status)} ${init.reason}`,
      { retryable: isRetryableStatus(init.status, init.reason), cause: init.cause });
    this.name = 'KubeApiError';
    this.status = init.status;
    this.reason = init.reason;
    this.apiMessage = init.apiMessage;
  }
}

export function isRetryableStatus(status: number, reason: string): boolean {
  if (status === 0 || status === 429 || status >= 500) return true;
  return status === 409 && reason === KubeReason.Conflict;
}

export function isKubeApiError(value: unknown): value is KubeApiError {
  return isOperatorError(value) && typeof (value as Partial<KubeApiError>).status === 'number' && typeof (value as Partial<KubeApiError>).reason === 'string';
}

export function isNotFound(error: unknown): boolean {
  return isKubeApiError(error) && error.status === 404;
}

export function isConflict(error: unknown): boolean {
  return isKubeApiError(error) && error.status === 409 && error.reason === KubeReason.Conflict;
}

type StatusBody = { reason?: unknown; message?: unknown; code?: unknown };

function statusBodyOf(body: unknown): StatusBody {
  if (typeof body === 'string') {
    try {
      return statusBodyOf(JSON.parse(body));
    } catch {
      return {}; // not JSON: a proxy's HTML page, say; the HTTP status is all we keep
    }
  }
  return typeof body === 'object' && body !== null ? (body) : {};
}

/** Builds the error from an HTTP status and a metav1.Status body (raw JSON or parsed). */
export function kubeApiErrorFromStatus(operation: string, target: string, status: number, body: unknown): KubeApiError {
  const parsed = statusBodyOf(body);
  const reason = typeof parsed.reason === 'string' && parsed.reason !== '' ? parsed.reason : (reasonByStatus[status] ?? KubeReason.Unknown);
  const message = typeof parsed.message === 'string' ? parsed.message.slice(0, apiMessageLimit) : undefined;
  // The cause keeps only the status line: the original exception carries headers and body.
  const cause = new Error(`HTTP ${status}`);
  return new KubeApiError({ operation, target, status, reason, cause, ...(message === undefined ? {} : { apiMessage: message }) });
}

type ApiExceptionShape = { code?: unknown; body?: unknown };

/** Maps anything a Kubernetes call can throw to a KubeApiError (coded errors pass through). */
export function toKubeApiError(error: unknown, operation: string, target: string): KubeApiError {
  if (isKubeApiError(error)) return error;
  // ApiException, recognised by shape: a value import would load all of client-node's generated code.
  const failure = (typeof error === 'object' && error !== null ? error : {}) as ApiExceptionShape;
  if (typeof failure.code === 'number' && 'body' in failure) return kubeApiErrorFromStatus(operation, target, failure.code, failure.body);
  // Transport failures (ECONNREFUSED, resets, aborts) have no body to leak; keep them as the cause.
  return new KubeApiError({ operation, target, status: 0, reason: KubeReason.Unreachable, cause: error });
}
