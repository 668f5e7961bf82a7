/**
 * One broken rule: where (construct path), what (field), the offending value, and the rule.
 * Every error virtlab reports about user input has this shape, so users can find and fix it.
 */
export interface ValidationIssue {
  /** Construct path, e.g. `xen-lab/vm01`. */
  readonly path: string;
  /** Field within the construct, e.g. `memory` or `interfaces[0].ip`. */
  readonly field: string;
  /** The rejected value as the user gave it. */
  readonly value: unknown;
  /** The rule the value breaks, phrased as what is required. */
  readonly rule: string;
}

/** Renders a value for an error message; JSON so that quotes, newlines and control characters show. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function formatIssue(issue: ValidationIssue): string {
  return `${issue.path}: ${issue.field} = ${describeValue(issue.value)}: ${issue.rule}`;
}

/** Thrown when input breaks one or more rules; carries every issue found, not just the first. */
export class ValidationError extends Error {
  public readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    const lines = issues.map(formatIssue);
    super(lines.length === 1 ? lines[0] : `${lines.length} problems:\n  ${lines.join('\n  ')}`);
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/**
 * Whether `error` is a {@link ValidationError}, also one thrown by another copy of virtlab (an
 * `--app` module may load its own), which `instanceof` would miss.
 */
export function isValidationError(error: unknown): error is ValidationError {
  return error instanceof ValidationError ||
    (error instanceof Error && error.name === 'ValidationError' && Array.isArray((error as Partial<ValidationError>).issues));
}

/** Collects the issues of one construct (or one lab) so they can be reported together. */
export class IssueCollector {
  private readonly found: ValidationIssue[] = [];

  constructor(private readonly path: string) {}

  /** Records an issue unless `ok` holds. Returns `ok` so callers can skip dependent checks. */
  check(ok: boolean, field: string, value: unknown, rule: string): boolean {
    if (!ok) this.found.push({ path: this.path, field, value, rule });
    return ok;
  }

  /** Applies a rule function returning `undefined` (valid) or the rule text (invalid). */
  apply<T>(field: string, value: T, rule: (value: T) => string | undefined): boolean {
    const broken = rule(value);
    return this.check(broken === undefined, field, value, broken ?? '');
  }

  add(issue: ValidationIssue): void {
    this.found.push(issue);
  }

  get issues(): readonly ValidationIssue[] {
    return this.found;
  }

  /** Throws a {@link ValidationError} carrying every recorded issue, if there is any. */
  throwIfAny(): void {
    if (this.found.length > 0) throw new ValidationError([...this.found]);
  }
}

/** A request that names something that does not exist, or is malformed (a usage error, exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
