import { IssueCollector } from '../errors';
import { absolutePath, downloadUrl, domainName, printableText } from '../model/rules';
import { InstallerFileModel, InstallerModel } from '../model/types';

/** Where dom0 keeps downloaded installer kernels and ramdisks. */
export const DEFAULT_IMAGE_DIRECTORY = '/var/lib/xen/images';

export interface InstallerProps {
  /** Short name; downloaded files are kept under `<imageDirectory>/<name>/`. */
  readonly name: string;
  /** One line for `virtlab list` and generated comments. @default the name */
  readonly description?: string;
  /** Kernel: an `http(s)://` URL to download, or an absolute path already on dom0. */
  readonly kernel: string;
  /** Initial ramdisk: a URL or an absolute path. @default no ramdisk */
  readonly ramdisk?: string;
  /** Kernel command line (xl.cfg `extra`). @default "console=hvc0" */
  readonly extra?: string;
  /** Directory on dom0 for downloaded files. @default /var/lib/xen/images */
  readonly imageDirectory?: string;
}

export interface CatalogInstallerOptions {
  /** Kernel command line. @default the catalog entry's command line */
  readonly extra?: string;
  /** Mirror base URL replacing the catalog's (e.g. a local apt mirror). @default the official mirror */
  readonly mirror?: string;
  /** @default /var/lib/xen/images */
  readonly imageDirectory?: string;
}

interface CatalogEntry {
  readonly description: string;
  readonly mirror: string;
  /** Directory of the netboot Xen images below the mirror. */
  readonly directory: string;
  readonly extra: string;
}

/**
 * The netboot installers virtlab knows. Debian's images boot as Xen PV guests and end the
 * install with a halt, which the install phase's `on_reboot = "destroy"` turns into a clean stop.
 */
export const INSTALLER_CATALOG = {
  'debian-12': {
    description: 'Debian 12 (bookworm) netboot installer for Xen PV',
    mirror: 'https://deb.debian.org/debian',
    directory: 'dists/bookworm/main/installer-amd64/current/images/netboot/xen',
    extra: 'debian-installer/exit/always_halt=true -- console=hvc0',
  },
  'debian-13': {
    description: 'Debian 13 (trixie) netboot installer for Xen PV',
    mirror: 'https://deb.debian.org/debian',
    directory: 'dists/trixie/main/installer-amd64/current/images/netboot/xen',
    extra: 'debian-installer/exit/always_halt=true -- console=hvc0',
  },
  'ubuntu-18.04': {
    description: 'Ubuntu 18.04 (bionic) netboot installer for Xen PV, as in the classic Xen lab notes',
    mirror: 'http://archive.ubuntu.com/ubuntu',
    directory: 'dists/bionic-updates/main/installer-amd64/current/images/netboot/xen',
    extra: 'console=hvc0',
  },
} as const satisfies Record<string, CatalogEntry>;

export type CatalogInstallerName = keyof typeof INSTALLER_CATALOG;

/**
 * A kernel and ramdisk that install an operating system onto a PV or PVH guest's disk.
 * Use a catalog entry ({@link Installer.debian12}) or {@link Installer.custom}.
 */
export class Installer {
  /** Debian 12 netboot (the default installer). */
  static debian12(options: CatalogInstallerOptions = {}): Installer {
    return Installer.fromCatalog('debian-12', options);
  }

  /** Debian 13 netboot. */
  static debian13(options: CatalogInstallerOptions = {}): Installer {
    return Installer.fromCatalog('debian-13', options);
  }

  /** The legacy Ubuntu 18.04 Xen netboot installer used by the classic lab notes. */
  static ubuntu1804(options: CatalogInstallerOptions = {}): Installer {
    return Installer.fromCatalog('ubuntu-18.04', options);
  }

  static fromCatalog(name: CatalogInstallerName, options: CatalogInstallerOptions = {}): Installer {
    const entry: CatalogEntry | undefined = (INSTALLER_CATALOG as Record<string, CatalogEntry>)[name];
    if (!entry) {
      return new Installer({ name, kernel: '' }, { field: 'name', value: name, rule: `must be one of ${Object.keys(INSTALLER_CATALOG).map((n) => `"${n}"`).join(', ')}` });
    }
    if (options.mirror !== undefined) {
      const mirrorRule = (value: unknown) => (typeof value === 'string' && downloadUrl(`${value.replace(/\/+$/, '')}/x`) === undefined
        ? undefined : 'must be an http:// or https:// base URL without whitespace or control characters');
      const broken = mirrorRule(options.mirror);
      if (broken) return new Installer({ name, kernel: '' }, { field: 'mirror', value: options.mirror, rule: broken });
    }
    const base = `${(options.mirror ?? entry.mirror).replace(/\/+$/, '')}/${entry.directory}`;
    return new Installer({
      name,
      description: entry.description,
      kernel: `${base}/vmlinuz`,
      ramdisk: `${base}/initrd.gz`,
      extra: options.extra ?? entry.extra,
      imageDirectory: options.imageDirectory,
    });
  }

  /** Any kernel/ramdisk pair, by URL or by path on dom0. */
  static custom(props: InstallerProps): Installer {
    return new Installer(props);
  }

  private constructor(public readonly props: InstallerProps, private readonly invalid?: { field: string; value: unknown; rule: string }) {}

  /** Validates the installer and maps it to the model; records issues under `field`. */
  toModel(issues: IssueCollector, field: string): InstallerModel | undefined {
    if (this.invalid) {
      issues.check(false, `${field}.${this.invalid.field}`, this.invalid.value, this.invalid.rule);
      return undefined;
    }
    const { props } = this;
    const imageDirectory = props.imageDirectory ?? DEFAULT_IMAGE_DIRECTORY;
    const ok = [
      issues.apply(`${field}.name`, props.name, domainName),
      issues.apply(`${field}.imageDirectory`, imageDirectory, absolutePath),
      issues.apply(`${field}.extra`, props.extra ?? 'console=hvc0', printableText),
      props.description === undefined || issues.apply(`${field}.description`, props.description, printableText),
    ].every(Boolean);
    const kernel = fileModel(issues, `${field}.kernel`, props.kernel, `${imageDirectory}/${props.name}`);
    const ramdisk =
      props.ramdisk === undefined
        ? undefined
        : fileModel(issues, `${field}.ramdisk`, props.ramdisk, `${imageDirectory}/${props.name}`);
    if (!ok || !kernel || (props.ramdisk !== undefined && !ramdisk)) return undefined;
    if (ramdisk && kernel.path === ramdisk.path) {
      issues.check(false, `${field}.ramdisk`, props.ramdisk, 'must not be the same file as the kernel');
      return undefined;
    }
    return {
      name: props.name,
      description: props.description ?? props.name,
      kernel,
      ramdisk,
      extra: props.extra ?? 'console=hvc0',
    };
  }
}

function fileModel(issues: IssueCollector, field: string, source: unknown, directory: string): InstallerFileModel | undefined {
  if (typeof source === 'string' && source.startsWith('/')) {
    return issues.apply(field, source, absolutePath) ? { path: source } : undefined;
  }
  if (!issues.apply(field, source, (value) => (downloadUrl(value) === undefined ? undefined : `${downloadUrl(value)}, or an absolute path on dom0`))) {
    return undefined;
  }
  let fileName: string;
  try {
    fileName = decodeURIComponent(new URL(source as string).pathname.split('/').pop() ?? '');
  } catch {
    fileName = '';
  }
  if (!issues.check(/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/.test(fileName), field, source, 'the URL must end in a plain file name ([A-Za-z0-9_.+-])')) {
    return undefined;
  }
  return { path: `${directory}/${fileName}`, url: source as string };
}
