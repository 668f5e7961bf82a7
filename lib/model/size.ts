/**
 * Sizes of logical volumes, written as LVM's `lvcreate --size` takes them: a whole number and a
 * binary unit (K, M, G, T; `10G` is 10 GiB). Lower-case units and a trailing `iB` are accepted
 * and normalised, so `10GiB`, `10g` and `10G` are the same size.
 */
export const SIZE_MIN_BYTES = 4 * 1024 ** 2; // one default LVM extent
export const SIZE_MAX_BYTES = 64 * 1024 ** 4; // 64 TiB: anything larger is a typo in a lab

const UNIT_BYTES = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 } as const;
type Unit = keyof typeof UNIT_BYTES;

export interface DiskSize {
  /** Canonical text for lvcreate, e.g. `10G`. */
  readonly text: string;
  readonly bytes: number;
}

export const SIZE_RULE =
  'must be a whole number followed by a binary unit K, M, G or T (e.g. "10G", "512M"), from 4M to 64T';

/** Parses a size; returns `undefined` for anything that is not a valid size. */
export function parseSize(value: unknown): DiskSize | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^([1-9][0-9]{0,15})([KMGTkmgt])(iB)?$/.exec(value);
  if (!match) return undefined;
  const unit = match[2].toUpperCase() as Unit;
  const bytes = Number(match[1]) * UNIT_BYTES[unit];
  if (!Number.isSafeInteger(bytes) || bytes < SIZE_MIN_BYTES || bytes > SIZE_MAX_BYTES) return undefined;
  return { text: `${match[1]}${unit}`, bytes };
}

export function diskSizeRule(value: unknown): string | undefined {
  return parseSize(value) === undefined ? SIZE_RULE : undefined;
}
