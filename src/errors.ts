// The operator's catalogue of coded errors. Every code is documented in docs/errors.md;
// a unit test fails when a code here has no entry there.
const brand = Symbol.for('og-operator.OperatorError');

export const ErrorCodes = {
  /** The OpenGaussCluster spec breaks a rule the schema cannot express. */
  SPEC_INVALID: 'OGO_ERR_SPEC_INVALID',
  /** A Kubernetes API call failed; `status` and `reason` say how. */
  KUBE_API: 'OGO_ERR_KUBE_API',
  /** A Kubernetes object changed under us (HTTP 409); the work is re-queued. */
  KUBE_CONFLICT: 'OGO_ERR_KUBE_CONFLICT',
  /** Settings given to the operator (flags, environment) are wrong. */
  CONFIG_INVALID: 'OGO_ERR_CONFIG_INVALID',
  /** The kubeconfig or in-cluster ServiceAccount files are missing, invalid, or use unsupported auth. */
  KUBE_CONFIG: 'OGO_ERR_KUBE_CONFIG',
  /** A watch stream failed (dropped, idle, or an ERROR event); the informer relists with back-off. */
  KUBE_WATCH: 'OGO_ERR_KUBE_WATCH',
  /** This instance lost its leader Lease; all work stops and the process exits. */
  LEADER_LOST: 'OGO_ERR_LEADER_LOST',
  /** Shutdown did not finish within its deadline; unfinished reconciles were abandoned. */
  SHUTDOWN_TIMEOUT: 'OGO_ERR_SHUTDOWN_TIMEOUT',
  /** A reconcile handler reported a failure that retrying cannot fix; it waits for the object to change. */
  RECONCILE_TERMINAL: 'OGO_ERR_RECONCILE_TERMINAL',
  /** An in-pod command did not finish within its deadline; the exec socket was closed. */
  EXEC_TIMEOUT: 'OGO_ERR_EXEC_TIMEOUT',
  /** An in-pod command could not be run or its exit status never arrived (connection, pod gone). */
  EXEC_TRANSPORT: 'OGO_ERR_EXEC_TRANSPORT',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export type OperatorErrorOptions = {
  readonly retryable?: boolean;
  readonly cause?: unknown;
};

/** An error with a stable code, a message a user can act on, and its cause. */
export class OperatorError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: OperatorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OperatorError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    Object.defineProperty(this, brand, { value: true });
  }

  // Works across copies of this module (two installs, a test loader): the brand is global.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && brand in value;
  }
}

export function isOperatorError(value: unknown, code?: ErrorCode): value is OperatorError {
  return value instanceof OperatorError && (code === undefined || value.code === code);
}
