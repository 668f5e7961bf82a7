import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

const root = resolve(__dirname, '..');
let scratch: string;
beforeAll(() => { scratch = mkdtempSync(join(tmpdir(), 'virtlab-init-')); });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (command: string, args: string[], cwd: string) => spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
const virtlab = (args: string[], cwd = scratch) => run(process.execPath, [join(root, 'bin', 'virtlab'), ...args], cwd);

describe('virtlab init', () => {
  it.each(['yaml', 'typescript'])('scaffolds a %s project that installs, tests and synthesizes out of the box', (template) => {
    const created = virtlab(['init', `lab-${template}`, '--template', template]);
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const dir = join(scratch, `lab-${template}`);
    for (const [what, args] of [['install', ['install', '--no-audit', '--no-fund']], ['test', ['test']], ['synth', ['run', 'synth']]] as const) {
      const step = run('npm', [...args], dir);
      expect([what, step.status, step.status === 0 ? '' : step.stdout + step.stderr]).toEqual([what, 0, '']);
    }
    expect(readFileSync(join(dir, 'cdktf.out', 'stacks', `lab-${template}`, 'xen', 'vm01.cfg'), 'utf8')).toMatch(/^bootloader = "pygrub"$/m);
    expect(existsSync(join(dir, '.gitignore'))).toBe(true);
  }, 180_000);

  it('names the stack after the directory, quoted so YAML reads it as text', () => {
    expect(virtlab(['init', 'null']).status).toBe(0);
    expect(parseYaml(readFileSync(join(scratch, 'null', 'lab.yaml'), 'utf8')).name).toBe('null');
  });

  it('refuses a non-empty directory and a name that cannot be a stack id', () => {
    mkdirSync(join(scratch, 'busy'));
    writeFileSync(join(scratch, 'busy', 'notes.txt'), 'mine');
    expect(virtlab(['init', 'busy'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/refusing to initialise .*busy: it is not empty/) });
    expect(virtlab(['init', 'my lab'])).toMatchObject({ status: 1, stderr: expect.stringMatching(/name \(from the directory name; set --name\) = "my lab"/) });
    expect(virtlab(['init', 'my lab', '--name', 'mylab']).status).toBe(0);
  });
});

describe('the GitHub Actions workflow', () => {
  const workflow = parseYaml(readFileSync(join(root, '.github', 'workflows', 'virtlab.yml'), 'utf8'));
  const steps = (job: string) => workflow.jobs[job].steps.map((s: { run?: string }) => s.run ?? '').join('\n');

  it('tests pull requests with the README\'s test command', () => {
    expect(workflow.on).toHaveProperty('pull_request');
    expect(steps('test')).toContain('npm test');
  });

  it('plans against the target branch as Markdown and posts it', () => {
    expect(steps('plan')).toMatch(/virtlab plan --base "origin\/\$\{\{ github\.base_ref \}\}" --markdown/);
    expect(steps('plan')).toContain('gh pr comment');
  });

  it('has an optional terraform plan job for a libvirt host', () => {
    expect(workflow.jobs['terraform-plan'].if).toContain('vars.LIBVIRT_TERRAFORM_PLAN');
    expect(steps('terraform-plan')).toContain('--terraform');
  });
});
