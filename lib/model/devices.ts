import { GuestType } from './types';

/** The HVM cdrom's device; its index (2) is kept free of disks so IDE emulation never clashes. */
export const HVM_CDROM_VDEV = 'hdc';

/** Guests have xvda–xvdz (HVM guests one fewer, see {@link guestDiskNames}). */
export const MAX_DISKS = 25;

/**
 * Guest device names for `count` disks: xvda, xvdb, …. HVM guests skip xvdc, whose emulated IDE
 * twin is the cdrom's hdc, so adding an ISO never renames a disk.
 */
export function guestDiskNames(type: GuestType, count: number): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz'.split('').filter((l) => type !== 'hvm' || l !== 'c');
  return letters.slice(0, count).map((l) => `xvd${l}`);
}
