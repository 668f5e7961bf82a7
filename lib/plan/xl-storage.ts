/**
 * What a change does to guests' storage on dom0, read from the Xen files themselves: xl.cfg disk
 * lines and provision.sh's `ensure_lv` lines. provision.sh never removes or resizes a logical
 * volume, so the risks are a guest's disk pointing elsewhere (its data is no longer what it sees)
 * and changes provision.sh will silently not apply.
 */

export interface StorageFinding {
  /** The VM or volume concerned. */
  readonly subject: string;
  readonly message: string;
}

export interface StorageChanges {
  /** A guest loses a disk it had: detached, or the device now points at another volume. */
  readonly dataLoss: readonly StorageFinding[];
  /** Changes provision.sh will not carry out on dom0. */
  readonly notes: readonly StorageFinding[];
}

interface Disk {
  readonly target: string;
  readonly cdrom: boolean;
}

/** Disk lines of an xl.cfg that virtlab wrote: vdev → target (strings unquoted). */
export function disksOf(cfg: string): Map<string, Disk> {
  const disks = new Map<string, Disk>();
  for (const match of cfg.matchAll(/^ {4}"format=raw, vdev=([a-z]+), access=r[ow](, devtype=cdrom)?, target=((?:[^"\\]|\\.)*)",$/gm)) {
    disks.set(match[1], { target: match[3].replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' }[c] ?? c)), cdrom: Boolean(match[2]) });
  }
  return disks;
}

/** provision.sh's logical volumes: `vg/lv` → size. */
export function logicalVolumesOf(script: string): Map<string, string> {
  const volumes = new Map<string, string>();
  for (const match of script.matchAll(/^ {2}ensure_lv (\S+) (\S+) (\S+)$/gm)) volumes.set(`${match[1]}/${match[2]}`, match[3]);
  return volumes;
}

export function diffStorage(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): StorageChanges {
  const dataLoss: StorageFinding[] = [];
  const notes: StorageFinding[] = [];
  for (const [path, old] of before) {
    const vm = /^([^/]+)\.cfg$/.exec(path)?.[1];
    if (!vm || vm.endsWith('.install')) continue;
    const next = after.get(path);
    if (next === undefined) {
      notes.push({ subject: vm, message: `${vm} is no longer in the lab: its logical volumes stay on dom0, and a running ${vm} keeps running (xl destroy it by hand)` });
      continue;
    }
    const newDisks = disksOf(next);
    for (const [vdev, disk] of disksOf(old)) {
      if (disk.cdrom) continue;
      const now = newDisks.get(vdev);
      if (!now || now.cdrom) dataLoss.push({ subject: vm, message: `${vm} loses its disk ${vdev} (${disk.target})` });
      else if (now.target !== disk.target) dataLoss.push({ subject: vm, message: `${vm}'s disk ${vdev} changes from ${disk.target} to ${now.target}: the guest sees other data there` });
    }
  }
  const oldVolumes = logicalVolumesOf(before.get('dom0/provision.sh') ?? '');
  const newVolumes = logicalVolumesOf(after.get('dom0/provision.sh') ?? '');
  for (const [volume, size] of oldVolumes) {
    const now = newVolumes.get(volume);
    if (now === undefined) notes.push({ subject: volume, message: `${volume} is no longer provisioned: provision.sh keeps it and its data (lvremove it by hand if intended)` });
    else if (now !== size) notes.push({ subject: volume, message: `${volume} changes size ${size} -> ${now}: provision.sh never resizes an existing volume (lvextend it by hand)` });
  }
  return { dataLoss, notes };
}
