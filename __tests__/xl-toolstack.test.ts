/**
 * The xl dry-run harness itself: hand-written xl.cfg files go through the real
 * Xen 4.17 `xl -N create`, and we check what libxl made of them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeIfXl, parseWithXl, rejectedByXl, XlParsedDomain } from './support/xl-toolstack';

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

// xl.cfg sources, exactly as xl reads them (String.raw keeps the backslashes).
const PV_GUEST = `
name = "pv-guest"
type = "pv"
kernel = "/var/lib/virtlab/kernels/vmlinuz-6.1"
ramdisk = "/var/lib/virtlab/kernels/initrd.img-6.1"
extra = "console=hvc0 root=/dev/xvda1 ro"
memory = 512
vcpus = 2
disk = [ 'format=raw, vdev=xvda, access=rw, target=/var/lib/virtlab/disks/pv-guest.img' ]
vif = [ 'mac=00:16:3e:12:34:56, bridge=xenbr0' ]
on_reboot = "restart"
`;

const HVM_GUEST = `
name = "hvm-guest"
type = "hvm"
memory = 1024
maxmem = 2048
vcpus = 4
boot = "dc"
disk = [
  'format=qcow2, vdev=hda, access=rw, target=/var/lib/virtlab/disks/hvm-guest.qcow2',
  'format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/var/lib/virtlab/iso/installer.iso',
]
vif = [ 'bridge=xenbr1, ip=10.20.0.5, script=vif-route, gatewaydev=eth0' ]
on_poweroff = "destroy"
on_crash = "restart"
`;

const ESCAPES_GUEST = String.raw`
name = "escapes-guest"
bootloader = "pygrub"
memory = 256
disk = [ '/dev/vg0/escapes-guest,raw,xvda,rw' ]
extra = "init=/bin/sh -c \"echo hi\" path=C:\\boot"
`;

const MISSING_VALUE = `
name = "broken"
memory =
vcpus = 1
`;

const UNKNOWN_SYNTAX = `
name = "broken-syntax"
memory = 512
this line is not xl.cfg syntax
`;

describeIfXl('xl dry-run harness (real Xen 4.17 toolstack)', () => {
  let dir: string;
  const cfg = (name: string) => path.join(dir, name);

  let pv: XlParsedDomain;
  let hvm: XlParsedDomain;
  let escapes: XlParsedDomain;
  let all: XlParsedDomain[];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'virtlab-xl-toolstack-'));
    fs.writeFileSync(cfg('pv.cfg'), PV_GUEST);
    fs.writeFileSync(cfg('hvm.cfg'), HVM_GUEST);
    fs.writeFileSync(cfg('escapes.cfg'), ESCAPES_GUEST);
    fs.writeFileSync(cfg('missing-value.cfg'), MISSING_VALUE);
    fs.writeFileSync(cfg('unknown-syntax.cfg'), UNKNOWN_SYNTAX);

    // One xl-dryrun run for all accepted files.
    all = parseWithXl([cfg('pv.cfg'), cfg('hvm.cfg'), cfg('escapes.cfg')]);
    [pv, hvm, escapes] = all as [XlParsedDomain, XlParsedDomain, XlParsedDomain];
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('parseWithXl', () => {
    test('returns one domain per file, in the order given', () => {
      expect(all).toHaveLength(3);
      expect(all.map((d) => d.c_info.name)).toEqual(['pv-guest', 'hvm-guest', 'escapes-guest']);
    });

    test('output is plain JSON: booleans are "True" strings, empty objects parse, uuid is zeroed', () => {
      const raw = pv as unknown as {
        c_info: { uuid: string; run_hotplug_scripts: string };
        b_info: { sched_params: object };
      };
      expect(raw.c_info.uuid).toBe(ZERO_UUID);
      expect(raw.c_info.run_hotplug_scripts).toBe('True');
      expect(raw.b_info.sched_params).toEqual({});
    });

    test('returns [] for no files', () => {
      expect(parseWithXl([])).toEqual([]);
    });
  });

  describe('a PV guest with kernel, ramdisk and extra', () => {
    test('is a PV domain with the given name', () => {
      expect(pv.c_info).toMatchObject({ type: 'pv', name: 'pv-guest' });
    });

    test('memory = 512 (MiB) becomes 524288 KiB, both maximum and target', () => {
      expect(pv.b_info.max_memkb).toBe(524288);
      expect(pv.b_info.target_memkb).toBe(524288);
    });

    test('vcpus = 2 becomes max_vcpus 2', () => {
      expect(pv.b_info.max_vcpus).toBe(2);
    });

    test('kernel and ramdisk are kept; extra becomes the kernel cmdline', () => {
      expect(pv.b_info.kernel).toBe('/var/lib/virtlab/kernels/vmlinuz-6.1');
      expect(pv.b_info.ramdisk).toBe('/var/lib/virtlab/kernels/initrd.img-6.1');
      expect(pv.b_info.cmdline).toBe('console=hvc0 root=/dev/xvda1 ro');
      expect(pv.b_info.bootloader).toBeUndefined();
    });

    test('access=rw disk is writable (readwrite 1) and not a cdrom', () => {
      expect(pv.disks).toEqual([
        { pdev_path: '/var/lib/virtlab/disks/pv-guest.img', vdev: 'xvda', format: 'raw', readwrite: 1 },
      ]);
    });

    test('vif keeps mac and bridge, numbered from devid 0', () => {
      expect(pv.nics).toEqual([{ devid: 0, mac: '00:16:3e:12:34:56', bridge: 'xenbr0' }]);
    });

    test('on_reboot = "restart" is kept; default actions (destroy) are omitted', () => {
      expect(pv.on_reboot).toBe('restart');
      expect(pv.on_poweroff).toBeUndefined();
      expect(pv.on_crash).toBeUndefined();
    });
  });

  describe('an HVM guest with a cdrom', () => {
    test('is an HVM domain', () => {
      expect(hvm.c_info).toMatchObject({ type: 'hvm', name: 'hvm-guest' });
    });

    test('memory is the target and maxmem the maximum, in KiB', () => {
      expect(hvm.b_info.target_memkb).toBe(1048576);
      expect(hvm.b_info.max_memkb).toBe(2097152);
      expect(hvm.b_info.max_vcpus).toBe(4);
    });

    test('boot order lands in b_info["type.hvm"].boot', () => {
      expect(hvm.b_info['type.hvm']?.boot).toBe('dc');
      expect(hvm.b_info.kernel).toBeUndefined();
    });

    test('the hard disk is writable; the cdrom is read-only (no readwrite) with is_cdrom 1', () => {
      expect(hvm.disks).toHaveLength(2);
      expect(hvm.disks?.[0]).toMatchObject({
        pdev_path: '/var/lib/virtlab/disks/hvm-guest.qcow2',
        vdev: 'hda',
        format: 'qcow2',
        readwrite: 1,
      });
      expect(hvm.disks?.[0]?.is_cdrom).toBeUndefined();
      expect(hvm.disks?.[1]).toMatchObject({
        pdev_path: '/var/lib/virtlab/iso/installer.iso',
        vdev: 'hdc',
        format: 'raw',
        is_cdrom: 1,
      });
      expect(hvm.disks?.[1]?.readwrite).toBeUndefined();
    });

    test('a routed vif keeps ip, script and gatewaydev', () => {
      expect(hvm.nics).toEqual([
        { devid: 0, bridge: 'xenbr1', ip: '10.20.0.5', script: 'vif-route', gatewaydev: 'eth0' },
      ]);
    });

    test('on_crash = "restart" is kept; explicit on_poweroff = "destroy" is the default and omitted', () => {
      expect(hvm.on_crash).toBe('restart');
      expect(hvm.on_poweroff).toBeUndefined();
    });
  });

  describe('a string with escaped \\" and \\\\', () => {
    test('round-trips: \\" is a double quote and \\\\ a single backslash', () => {
      expect(escapes.b_info.cmdline).toBe('init=/bin/sh -c "echo hi" path=C:\\boot');
    });

    test('a bootloader guest defaults to PV and keeps its bootloader', () => {
      expect(escapes.c_info.type).toBe('pv');
      expect(escapes.b_info.bootloader).toBe('pygrub');
      expect(escapes.b_info.max_memkb).toBe(262144);
    });
  });

  describe('rejected files', () => {
    test('an accepted file is not rejected', () => {
      expect(rejectedByXl(cfg('pv.cfg'))).toBeNull();
    });

    test('`memory =` with no value is rejected with xl\'s parse error', () => {
      const message = rejectedByXl(cfg('missing-value.cfg'));
      expect(message).not.toBeNull();
      expect(message).toContain(cfg('missing-value.cfg'));
      expect(message).toMatch(/config parsing error .*syntax error/);
      expect(message).toContain('Failed to parse config');
      expect(message).not.toContain('Parsing config from');
    });

    test('a line that is not xl.cfg syntax is rejected with the line number', () => {
      const message = rejectedByXl(cfg('unknown-syntax.cfg'));
      expect(message).toContain(`${cfg('unknown-syntax.cfg')}:4: config parsing error`);
      expect(message).toMatch(/syntax error/);
    });

    test('a missing file is rejected', () => {
      expect(rejectedByXl(cfg('does-not-exist.cfg'))).toMatch(/Failed to read config file/);
    });

    test('parseWithXl throws naming the rejected file and quoting xl', () => {
      const files = [cfg('pv.cfg'), cfg('missing-value.cfg')];
      expect(() => parseWithXl(files)).toThrow(/xl rejected .*missing-value\.cfg/);
      expect(() => parseWithXl(files)).toThrow(/syntax error/);
    });
  });
});
