import { Aspects, LocalBackend, TerraformStack } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { posix } from 'node:path';
import { Construct, IConstruct } from 'constructs';
import { throwIfInvalid } from './construction';
import { IssueCollector, ValidationError, ValidationIssue, formatIssue } from '../errors';
import { checkLab } from '../model/lab-checks';
import { MacAllocator } from '../model/mac';
import { domainName } from '../model/rules';
import { LabModel, NicModel, VmModel } from '../model/types';
import { LibvirtResources, addLibvirtResources } from '../libvirt/resources';
import { writeXenOutput } from '../synth/xen-output';
import { LibvirtHost } from './libvirt-host';
import { Network } from './networks';
import { VirtualMachine } from './virtual-machine';
import { Volume } from './volume';

export interface LabStackProps {
  /** One line describing the lab, shown by `virtlab list`. @default none */
  readonly description?: string;
  /**
   * Terraform state file, relative to the stack's output directory. The default lies outside the
   * output directory (which every synth replaces), in the directory holding `cdktf.out/`.
   * @default "../../../terraform.<stack>.tfstate"
   */
  readonly stateFile?: string;
}

/**
 * A cdktf stack holding a lab: its VMs, networks and volumes. Besides the stack's Terraform JSON,
 * synthesis writes the Xen files (xl.cfg per VM, dom0 provisioning and network setup) to the
 * stack's output directory under `xen/`, so `cdktf synth` and `virtlab synth` agree.
 */
export class LabStack extends TerraformStack {
  public static isLabStack(x: unknown): x is LabStack {
    return x instanceof LabStack;
  }

  /** The lab stack a construct belongs to. */
  public static of(construct: IConstruct): LabStack {
    const stack = construct.node.scopes.slice().reverse().find(LabStack.isLabStack);
    if (!stack) throw new Error(`${construct.node.path} is not inside a LabStack`);
    return stack;
  }

  public readonly description?: string;
  private libvirt?: LibvirtResources;
  /** The model the libvirt resources were made from: the lab cannot change after that. */
  private closedModel?: LabModel;

  constructor(scope: Construct, id: string, props: LabStackProps = {}) {
    super(scope, checkStackId(scope, id));
    this.description = props.description;
    checkStateFile(this, props.stateFile);
    // cdktf's default backend path is absolute (cwd-based), which would make output differ per machine.
    new LocalBackend(this, { path: props.stateFile ?? `../../../terraform.${id}.tfstate` });
    this.node.addValidation({ validate: () => this.validateLab().map(formatIssue) });
    addCustomSynthesis(this, { onSynthesize: (session) => writeXenOutput(this, session) });
    // The libvirt resources depend on the whole lab (MACs, DHCP entries, pools per volume group):
    // they are made from the finished model when synthesis starts, unless asked for earlier.
    Aspects.of(this).add({ visit: (node) => { if (node === this) this.libvirtResources(); } });
  }

  /**
   * The lab's dmacvicar/libvirt resources (domains, volumes, pools, networks), made once from the
   * validated model. Call it after defining the lab to adjust a resource (an escape hatch);
   * synthesis calls it otherwise. Nothing can be added to the lab afterwards.
   */
  public libvirtResources(): LibvirtResources {
    if (!this.libvirt) {
      const hosts = new Map(this.hosts.map((host) => [host.name, { scope: host, provider: host.provider }]));
      const model = this.toModel();
      this.libvirt = addLibvirtResources(model, hosts);
      this.closedModel = model;
    }
    return this.libvirt;
  }

  /** @internal Refuses changes once the libvirt resources were made from the model. */
  public assertOpen(path: string, change: string): void {
    if (this.libvirt) {
      throw new Error(`${path}: cannot ${change} after the lab's libvirt resources were made (libvirtResources() or synthesis); define the whole lab first`);
    }
  }

  public get virtualMachines(): VirtualMachine[] {
    return this.parts().vms;
  }

  public get networks(): Network[] {
    return this.parts().networks;
  }

  public get hosts(): LibvirtHost[] {
    return this.parts().hosts;
  }

  public get volumes(): Volume[] {
    return this.parts().volumes;
  }

  /** The lab's constructs by kind, in tree order, from one walk of the tree. */
  private parts() {
    const parts = { vms: [] as VirtualMachine[], networks: [] as Network[], hosts: [] as LibvirtHost[], volumes: [] as Volume[] };
    for (const c of this.node.findAll()) {
      if (c instanceof VirtualMachine) parts.vms.push(c);
      else if (c instanceof Network) parts.networks.push(c);
      else if (c instanceof LibvirtHost) parts.hosts.push(c);
      else if (c instanceof Volume) parts.volumes.push(c);
    }
    return parts;
  }

  /** Every rule that spans the lab (uniqueness of names, MACs, IPs, LV paths). */
  public validateLab(): ValidationIssue[] {
    if (this.closedModel) return []; // checked when it was closed
    return checkLab(this.assemble());
  }

  /** The lab's plain model; throws a {@link ValidationError} listing every lab-wide issue. */
  public toModel(): LabModel {
    if (this.closedModel) return this.closedModel;
    const lab = this.assemble();
    const issues = checkLab(lab);
    if (issues.length) throw new ValidationError(issues);
    return lab;
  }

  private assemble(): LabModel {
    const parts = this.parts();
    const vms = parts.vms.map((vm) => vm.toDraft());
    // Explicit MACs first, so a derived MAC never takes one the user chose.
    const macs = new MacAllocator();
    for (const vm of vms) for (const nic of vm.nics) if (nic.mac) macs.reserve(nic.mac);
    const withMacs: VmModel[] = vms.map((vm) => {
      const perNetwork = new Map<string, number>();
      const nics: NicModel[] = vm.nics.map((nic) => {
        const ordinal = perNetwork.get(nic.network) ?? 0;
        perNetwork.set(nic.network, ordinal + 1);
        return { ...nic, mac: nic.mac ?? macs.derive(`${this.node.id}/${vm.name}/${nic.network}/${ordinal}`) };
      });
      return { ...vm, nics };
    });
    return {
      stackName: this.node.id,
      hosts: parts.hosts.map((h) => h.toModel()),
      vms: withMacs,
      networks: parts.networks.map((n) => n.toModel()),
      logicalVolumes: [
        ...parts.vms.flatMap((vm) => vm.ownedLogicalVolumes()),
        ...parts.volumes.map((v) => v.toModel()),
      ],
    };
  }
}

/** Stack ids name output directories and appear in generated files: checked before cdktf sees them. */
function checkStackId(scope: Construct, id: string): string {
  const issues = new IssueCollector(scope.node.path ? `${scope.node.path}/${id}` : id);
  issues.apply('id', id, domainName);
  issues.throwIfAny();
  return id;
}

/**
 * The state file must lie outside the output directory, which every synth replaces: a relative
 * path from the stack's directory (`stacks/<id>/`) that climbs out of it, with no Terraform
 * template syntax and no control characters.
 */
function checkStateFile(stack: LabStack, stateFile: string | undefined): void {
  if (stateFile === undefined) return;
  const issues = new IssueCollector(stack.node.path);
  const climbed = typeof stateFile === 'string' ? posix.normalize(posix.join('stacks', stack.node.id, stateFile)) : '';
  issues.check(typeof stateFile === 'string' && !stateFile.startsWith('/') && climbed.startsWith('../') && !/[\u0000-\u001f\u007f]|\$\{|%\{/.test(stateFile),
    'stateFile', stateFile,
    'must be a relative path that leads out of the output directory (which every synth replaces), e.g. "../../../terraform.tfstate", without control characters, "${" or "%{"');
  throwIfInvalid(stack, issues);
}
