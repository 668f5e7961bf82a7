import { IssueCollector } from '../errors';
import { absolutePath } from '../model/rules';
import { BootModel, GuestType } from '../model/types';
import { Installer } from './installer';

type BootSpec =
  | { readonly kind: 'installer'; readonly installer: Installer }
  | { readonly kind: 'pygrub' }
  | { readonly kind: 'hvm-disk' }
  | { readonly kind: 'hvm-iso'; readonly iso: string };

/** An installation ISO: an absolute path that survives an xl disk spec, which drops a trailing comma. */
function isoPath(value: unknown): string | undefined {
  return absolutePath(value) ?? (typeof value === 'string' && value.endsWith(',')
    ? 'must not end with "," (xl drops a trailing comma from a disk target)' : undefined);
}

/**
 * How a virtual machine boots.
 *
 * - {@link Boot.installer}: the classic lab flow for PV/PVH guests. The first boot runs the
 *   installer kernel (`<vm>.install.cfg`); every later boot uses pygrub on the installed disk
 *   (`<vm>.cfg`).
 * - {@link Boot.pygrub}: the disk already holds a system; boot it with pygrub.
 * - {@link Boot.hvmIso}: an HVM guest installs from an ISO (`<vm>.install.cfg` with the ISO as a
 *   cdrom), then boots from its disk.
 * - {@link Boot.hvmDisk}: an HVM guest boots from its disk.
 */
export class Boot {
  static installer(installer: Installer = Installer.debian12()): Boot {
    return new Boot({ kind: 'installer', installer });
  }

  static pygrub(): Boot {
    return new Boot({ kind: 'pygrub' });
  }

  static hvmDisk(): Boot {
    return new Boot({ kind: 'hvm-disk' });
  }

  /** @param iso absolute path of the installation ISO on dom0 */
  static hvmIso(iso: string): Boot {
    return new Boot({ kind: 'hvm-iso', iso });
  }

  /** The boot a guest of `type` gets when none is given. */
  static defaultFor(type: GuestType): Boot {
    return type === 'hvm' ? Boot.hvmDisk() : Boot.installer();
  }

  private constructor(private readonly spec: BootSpec) {}

  get kind(): BootSpec['kind'] {
    return this.spec.kind;
  }

  /** Validates the boot method for a guest type and maps it to the model. */
  toModel(issues: IssueCollector, field: string, type: GuestType): BootModel | undefined {
    const spec = this.spec;
    const forHvm = spec.kind === 'hvm-disk' || spec.kind === 'hvm-iso';
    if (!issues.check(forHvm === (type === 'hvm'), field, spec.kind,
      forHvm ? `boots only HVM guests, and this guest's type is "${type}"` : `boots only PV and PVH guests, and this guest's type is "${type}"`)) {
      return undefined;
    }
    switch (spec.kind) {
      case 'installer': {
        const installer = spec.installer.toModel(issues, `${field}.installer`);
        return installer && { kind: 'installer', installer };
      }
      case 'hvm-iso':
        return issues.apply(`${field}.iso`, spec.iso, isoPath) ? { kind: 'hvm-iso', iso: spec.iso } : undefined;
      default:
        return { kind: spec.kind };
    }
  }
}
