/**
 * cdktf records a full JavaScript stack trace each time it creates a token or a nested
 * configuration object (to point at the creation site if that token later fails to resolve).
 * The generated libvirt bindings create several per resource, and formatting those traces was
 * the largest cost of synthesizing a big lab (see docs/benchmarks.md). virtlab resolves only
 * tokens it made itself, so it turns the recording off; VIRTLAB_TOKEN_TRACES=1 keeps it, for
 * debugging a token that fails to resolve.
 */
let tuned = false;

export function disableTokenStackTraces(): void {
  if (tuned || process.env.VIRTLAB_TOKEN_TRACES) return;
  tuned = true;
  // Every caller looks the function up on this module's exports when it runs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const stackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };
  stackTrace.captureStackTrace = () => [];
}
