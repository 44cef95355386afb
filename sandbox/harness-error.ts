// Errors of the sandbox harness. The CLI prints `message` as one line (no stack trace), so the
// message must name what is missing and where to look. Codes are listed in docs/sandbox.md.
export const HarnessErrorCodes = {
  MISSING_TOOL: 'SBX_ERR_MISSING_TOOL',
  GO_TOO_OLD: 'SBX_ERR_GO_TOO_OLD',
  NOT_ROOT: 'SBX_ERR_NOT_ROOT',
  BUILD_FAILED: 'SBX_ERR_BUILD_FAILED',
  NO_FREE_PORT: 'SBX_ERR_NO_FREE_PORT',
  START_FAILED: 'SBX_ERR_START_FAILED',
  NOT_READY: 'SBX_ERR_NOT_READY',
  INTERRUPTED: 'SBX_ERR_INTERRUPTED',
  STATE: 'SBX_ERR_STATE',
  USAGE: 'SBX_ERR_USAGE',
} as const;
export type HarnessErrorCode = (typeof HarnessErrorCodes)[keyof typeof HarnessErrorCodes];

export class HarnessError extends Error {
  readonly code: HarnessErrorCode;

  constructor(code: HarnessErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HarnessError';
    this.code = code;
  }
}
