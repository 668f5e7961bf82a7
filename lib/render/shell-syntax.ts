/**
 * POSIX shell quoting for the dom0 scripts: every value is one single-quoted word, so no value
 * can run a command, expand a variable or split into two arguments.
 */
export function shellWord(value: string): string {
  if (value.includes('\u0000')) throw new Error(`shell word ${JSON.stringify(value)} contains a NUL byte`);
  if (/^[A-Za-z0-9_./:@%+,-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
