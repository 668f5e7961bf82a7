import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskSpec, vifSpec, xlInteger, xlString } from '../lib/render/xl-syntax';
import { shellWord } from '../lib/render/shell-syntax';
import { describeIfXl, parseWithXl } from './support/xl-toolstack';

describe('xl.cfg strings', () => {
  it.each([
    ['plain text', 'vm01', '"vm01"'],
    ['a double quote', 'say "hi"', '"say \\"hi\\""'],
    ['a backslash', 'a\\b', '"a\\\\b"'],
    ['a newline', 'a\nb', '"a\\nb"'],
    ['a tab', 'a\tb', '"a\\tb"'],
    ['a carriage return', 'a\rb', '"a\\rb"'],
    ['a single quote', "it's", '"it\'s"'],
    ['unicode', 'ünï ✓', '"ünï ✓"'],
    ['the empty string', '', '""'],
  ])('escape %s', (_what, value, quoted) => {
    expect(xlString(value)).toBe(quoted);
  });

  it.each(['\u0000', '\u0007', '\u001b', '\u007f', '\u000b'])('refuse the control character %j', (c) => {
    expect(() => xlString(`a${c}b`)).toThrow(/control characters/);
  });

  it('are always one line, whatever the input', () => {
    expect(xlString('x"\nbootloader = "evil')).toBe('"x\\"\\nbootloader = \\"evil"');
    expect(xlString('x"\nbootloader = "evil')).not.toContain('\n');
  });

  it('write integers only as whole numbers', () => {
    expect(xlInteger(1024)).toBe('1024');
    expect(() => xlInteger(1.5)).toThrow();
    expect(() => xlInteger(-1)).toThrow();
  });
});

describe('vif and disk specs', () => {
  it('join vif keys with commas and leave out missing values', () => {
    expect(vifSpec([['mac', '00:16:3e:00:00:01'], ['bridge', undefined], ['ip', '10.0.0.2'], ['script', 'vif-route']]))
      .toBe('mac=00:16:3e:00:00:01,ip=10.0.0.2,script=vif-route');
  });

  it.each(['xenbr0,script=evil', 'a=b', 'a b', ''])('refuse the vif value %j, which would change the spec', (value) => {
    expect(() => vifSpec([['bridge', value]])).toThrow(/no comma/);
  });

  it('put target last, so commas in a path cannot add keys', () => {
    expect(diskSpec({ vdev: 'hdc', access: 'ro', cdrom: true, target: '/iso/a,access=rw.iso' }))
      .toBe('format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/iso/a,access=rw.iso');
  });
});

describe('shell words', () => {
  it.each([
    ['vm01', 'vm01'], ['/dev/vg0/vm01-disk', '/dev/vg0/vm01-disk'], ['a b', "'a b'"], ["it's", "'it'\\''s'"],
    ['$(reboot)', "'$(reboot)'"], ['`id`', "'`id`'"], ['a=b', "'a=b'"], ['', "''"],
  ])('quote %j as %s', (value, word) => {
    expect(shellWord(value)).toBe(word);
  });
});

describeIfXl('the real xl parser reads quoted strings back exactly', () => {
  const hostile = [
    'plain', 'with "double" quotes', "with 'single' quotes", 'back\\slash\\\\es', 'new\nline', 'tab\there',
    'carriage\rreturn', 'ünïcödé ✓ 日本', 'trailing backslash\\', '"', '\\"', 'a"\nbootloader = "x',
  ];

  const dir = mkdtempSync(join(tmpdir(), 'virtlab-xlstr-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(hostile)('%j', (text) => {
    const file = join(dir, 'probe.cfg');
    writeFileSync(file, `name = "probe"\ntype = "pv"\nmemory = 64\nkernel = "/k"\nextra = ${xlString(text)}\n`);
    const [domain] = parseWithXl([file]);
    expect(domain.b_info.cmdline).toBe(text);
    expect(domain.b_info.bootloader).toBeUndefined();
  });
});
