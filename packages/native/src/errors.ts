/**
 * MnemoError: the one error type every Mnemo package throws, with a stable `code`.
 * It lives in the lowest layer so `err instanceof MnemoError` holds across packages.
 * Codes are documented in docs/errors.md; never rename one (users match on them).
 */

export type ErrorCode =
  | 'PARSE_ERROR'
  | 'UNKNOWN_SPACE'
  | 'SPACE_EXISTS'
  | 'UNKNOWN_MEMORY'
  | 'DUPLICATE_ID'
  | 'DIMENSION_MISMATCH'
  | 'TYPE_ERROR'
  | 'INVALID_ARGUMENT'
  | 'MISSING_PARAMETER'
  | 'LIMIT_EXCEEDED'
  | 'CORRUPTION'
  | 'BUSY'
  | 'IO_ERROR'
  | 'READ_ONLY'
  | 'CLOSED'
  | 'RELEASED'
  | 'TRANSACTION_ERROR'
  | 'NOT_SUPPORTED'
  | 'INTERNAL';

export interface MnemoErrorDetails {
  /** Underlying OS error name (e.g. 'EAGAIN') when a system call failed. */
  errno?: string;
  syscall?: string;
  path?: string;
  /** Anything else worth showing; must be JSON-serialisable. */
  [key: string]: unknown;
}

export class MnemoError extends Error {
  readonly code: ErrorCode;
  readonly details: MnemoErrorDetails;

  constructor(code: ErrorCode, message: string, details: MnemoErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MnemoError';
    this.code = code;
    this.details = details;
  }

  /** One-line form: `CODE: message`. Query-layer errors override this with line/column/caret. */
  format(): string {
    return `${this.code}: ${this.message}`;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.details };
  }
}

export function isMnemoError(e: unknown, code?: ErrorCode): e is MnemoError {
  return e instanceof MnemoError && (code === undefined || e.code === code);
}

/** Wrap a Node/OS error (which has `code`/`syscall`/`path`) into an IO_ERROR or BUSY MnemoError. */
export function fromSystemError(e: unknown, action: string): MnemoError {
  if (e instanceof MnemoError) return e;
  const err = e as NodeJS.ErrnoException;
  const errno = typeof err?.code === 'string' ? err.code : undefined;
  const code: ErrorCode = errno === 'EAGAIN' || errno === 'EWOULDBLOCK' ? 'BUSY' : 'IO_ERROR';
  const details: MnemoErrorDetails = {};
  if (errno !== undefined) details.errno = errno;
  if (err?.syscall !== undefined) details.syscall = err.syscall;
  if (err?.path !== undefined) details.path = err.path;
  return new MnemoError(code, `${action}: ${err?.message ?? String(e)}`, details, { cause: e });
}
