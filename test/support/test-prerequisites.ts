import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onPath, runningAsRoot } from '../../local/tool-cache';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/** The project's own Python environment: cfn-lint and moto's server at the versions requirements.txt pins. */
export const PYTHON_TOOLS = join(ROOT, '.venv');

/** The Chromium the browser tests drive: CHROMIUM_PATH, else the one on PATH. */
export function chromiumPath(): string | undefined {
  return process.env.CHROMIUM_PATH ?? onPath('chromium') ?? onPath('chromium-browser');
}

/**
 * Makes `.venv` from requirements.txt, once and again whenever requirements.txt changes (the copy kept inside says
 * which it was made from). Returns its bin folder.
 */
export async function ensurePythonTools(log: (line: string) => void, python = 'python3'): Promise<string> {
  const bin = join(PYTHON_TOOLS, 'bin');
  const wanted = await readFile(join(ROOT, 'requirements.txt'), 'utf8');
  const madeFrom = join(PYTHON_TOOLS, 'requirements.txt');
  if ((await readFile(madeFrom, 'utf8').catch(() => undefined)) === wanted) return bin;
  log(`making ${PYTHON_TOOLS} with requirements.txt (cfn-lint, moto's server), once`);
  await rm(PYTHON_TOOLS, { recursive: true, force: true });
  await run(python, ['-m', 'venv', PYTHON_TOOLS]).catch((error: NodeJS.ErrnoException & { stderr?: string }) => {
    throw new Error(
      `${python} could not make ${PYTHON_TOOLS} (${error.code === 'ENOENT' ? 'not installed' : (error.stderr ?? error.message).trim()}): ` +
        'install Python 3 with venv (Debian/Ubuntu: apt-get install python3-venv)',
    );
  });
  await run(
    join(bin, 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', '-r', join(ROOT, 'requirements.txt')],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  ).catch(async (error: { stderr?: string; message: string }) => {
    await rm(PYTHON_TOOLS, { recursive: true, force: true });
    throw new Error(
      `pip could not install requirements.txt into ${PYTHON_TOOLS}: ${(error.stderr || error.message).trim()}`,
    );
  });
  await writeFile(madeFrom, wanted);
  return bin;
}

/** Debian packages the tests need that no language registry offers: Chromium, and what fetches and runs OpenSearch. */
function missingSystemPackages(): string[] {
  const needed: [boolean, string][] = [
    [chromiumPath() !== undefined, 'chromium'],
    [onPath('unzip') !== undefined, 'unzip'],
    [onPath('java') !== undefined, 'default-jre-headless'],
    [onPath('mvn') !== undefined, 'maven'],
  ];
  return needed.filter(([present]) => !present).map(([, name]) => name);
}

/** Installed with apt when running as root on a machine that has it; otherwise an error with the one command to run. */
export async function ensureSystemPackages(log: (line: string) => void): Promise<void> {
  const missing = missingSystemPackages();
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (!runningAsRoot() || !onPath('apt-get')) {
    throw new Error(
      `the tests need ${missing.join(' and ')}, which only the system's package manager offers: run\n` +
        `  sudo sh -c '${command}'\n(or brew install --cask chromium; CHROMIUM_PATH may name any Chromium or Chrome)`,
    );
  }
  log(`installing ${missing.join(' and ')} with apt, once`);
  await run('apt-get', ['update', '-qq'], { maxBuffer: 64 * 1024 * 1024 });
  await run('apt-get', ['install', '-y', '-qq', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const stillMissing = missingSystemPackages();
  if (stillMissing.length > 0)
    throw new Error(`apt installed ${missing.join(' ')}, yet ${stillMissing.join(' ')} is not on PATH`);
}
