import { MacAllocator, XEN_OUI } from '../lib/model/mac';

describe('derived MAC addresses', () => {
  it('lie in the Xen OUI and are unicast', () => {
    const mac = new MacAllocator().derive('xen-lab/vm01/lan/0');
    expect(mac).toMatch(/^00:16:3e(:[0-9a-f]{2}){3}$/);
    expect(mac.startsWith(XEN_OUI)).toBe(true);
  });

  it('are the same for the same identity in every run, on every machine', () => {
    // Pinned: the first three bytes of sha256("xen-lab/vm01/lan/0\0" + "0"). A change here changes every lab's MACs.
    expect(new MacAllocator().derive('xen-lab/vm01/lan/0')).toBe('00:16:3e:13:77:4b');
    expect(new MacAllocator().derive('xen-lab/vm01/lan/0')).toBe(new MacAllocator().derive('xen-lab/vm01/lan/0'));
  });

  it('differ between identities', () => {
    const macs = new MacAllocator();
    const derived = new Set(Array.from({ length: 1000 }, (_, i) => macs.derive(`lab/vm${i}/lan/0`)));
    expect(derived.size).toBe(1000);
  });

  it('never take a reserved (explicitly given) MAC', () => {
    const taken = new MacAllocator().derive('lab/vm01/lan/0');
    const macs = new MacAllocator();
    macs.reserve(taken.toUpperCase());
    const next = macs.derive('lab/vm01/lan/0');
    expect(next).not.toBe(taken);
    expect(next).toMatch(/^00:16:3e:/);
  });

  it('resolve collisions deterministically when the 24-bit space runs out of luck', () => {
    // 20,000 identities make birthday collisions in 2^24 likely; every MAC must still be unique.
    const derive = () => {
      const macs = new MacAllocator();
      return Array.from({ length: 20000 }, (_, i) => macs.derive(`big/vm${i}/lan/0`));
    };
    const first = derive();
    expect(new Set(first).size).toBe(first.length);
    expect(derive()).toEqual(first);
  });
});
