// The generated dmacvicar/libvirt bindings virtlab uses, in one place (loaded on demand).
export { Domain } from '../../.gen/providers/libvirt/domain';
export { Network } from '../../.gen/providers/libvirt/network';
export { Pool } from '../../.gen/providers/libvirt/pool';
export { LibvirtProvider } from '../../.gen/providers/libvirt/provider';
export { Volume } from '../../.gen/providers/libvirt/volume';
