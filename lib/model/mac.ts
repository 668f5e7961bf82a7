import { createHash } from 'node:crypto';

/** Xen's organisationally unique identifier: the prefix xl itself uses for guest NICs. */
export const XEN_OUI = '00:16:3e';

/**
 * Derives MAC addresses in the Xen OUI from a stable hash of the interface's identity, so the
 * same lab always gets the same MACs (never random: a DHCP lease or a plan diff depends on it).
 * Identities that hash to a MAC already in use are re-hashed with a counter, in the order they
 * are asked for, so collisions in large labs resolve deterministically.
 */
export class MacAllocator {
  private readonly used = new Set<string>();

  /** Reserves an explicitly given MAC so no derived MAC takes it. */
  reserve(mac: string): void {
    this.used.add(mac.toLowerCase());
  }

  derive(identity: string): string {
    for (let attempt = 0; ; attempt++) {
      const digest = createHash('sha256').update(`${identity}\u0000${attempt}`).digest();
      const mac = `${XEN_OUI}:${hex(digest[0])}:${hex(digest[1])}:${hex(digest[2])}`;
      if (!this.used.has(mac)) {
        this.used.add(mac);
        return mac;
      }
    }
  }
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
