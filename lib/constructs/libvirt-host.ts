import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { LibvirtProvider } from '../../.gen/providers/libvirt/provider';
import type * as Bindings from '../libvirt/bindings';
import { throwIfInvalid } from './construction';
import { IssueCollector } from '../errors';
import { terraformLiteral } from '../libvirt/literal';
import { libvirtUri, oneOf, terraformName } from '../model/rules';
import { HYPERVISORS, HostModel, Hypervisor } from '../model/types';

/** The dmacvicar/libvirt releases virtlab's mapping is written and schema-checked for. */
export const LIBVIRT_PROVIDER_CONSTRAINT = '~> 0.9.7';

export interface LibvirtHostProps {
  /** What the host runs: KVM (QEMU) or Xen (libvirt's libxl driver). @default "kvm" */
  readonly hypervisor?: Hypervisor;
  /**
   * libvirt connection URI, e.g. "qemu+ssh://admin@lab1/system".
   * @default "qemu:///system" for KVM, "xen:///system" for Xen
   */
  readonly uri?: string;
}

/**
 * A machine running libvirt, managed through the dmacvicar/libvirt Terraform provider. VMs placed
 * on it (`VirtualMachine` prop `host`) become `libvirt_domain` resources, their disks volumes of a
 * `logical` pool per volume group, and the networks they join `libvirt_network`s on the host.
 * The first host of a stack configures the default provider; every further one gets an alias
 * (its id), so a lab can span several machines.
 */
export class LibvirtHost extends Construct {
  public readonly name: string;
  public readonly hypervisor: Hypervisor;
  public readonly uri: string;
  /** The provider configuration for this host; every resource on the host uses it. */
  public readonly provider: LibvirtProvider;

  constructor(scope: Construct, id: string, props: LibvirtHostProps = {}) {
    super(scope, id);
    this.name = id;
    this.hypervisor = props.hypervisor ?? 'kvm';
    this.uri = props.uri ?? (this.hypervisor === 'xen' ? 'xen:///system' : 'qemu:///system');
    const issues = new IssueCollector(this.node.path);
    issues.apply('id', id, terraformName);
    if (issues.apply('hypervisor', this.hypervisor, oneOf(HYPERVISORS))) {
      issues.apply('uri', this.uri, libvirtUri(this.hypervisor === 'xen' ? 'xen' : 'qemu'));
    }
    throwIfInvalid(this, issues);
    const first = !TerraformStack.of(this).node.findAll().some((c) => c instanceof LibvirtHost && c !== this);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LibvirtProvider } = require('../libvirt/bindings') as typeof Bindings;
    this.provider = new LibvirtProvider(this, 'Provider', { uri: terraformLiteral(this.uri), alias: first ? undefined : id });
    if (first) {
      // cdktf pins the exact version the bindings were generated from; any 0.9 release from
      // the one whose schema virtlab checks against will do.
      TerraformStack.of(this).addOverride('terraform.required_providers.libvirt.version', LIBVIRT_PROVIDER_CONSTRAINT);
    }
  }

  /** @internal */
  public toModel(): HostModel {
    return { path: this.node.path, name: this.name, uri: this.uri, hypervisor: this.hypervisor, alias: this.provider.alias };
  }
}
