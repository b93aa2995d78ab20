import { ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../local/free-port';

export interface MotoServer {
  readonly endpoint: string;
  /** Signing details moto accepts: any credentials, one region. */
  readonly clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  close(): Promise<void>;
}

/**
 * moto's server (PyPI `moto[server]`, installed from requirements.txt) on 127.0.0.1: the stand-in here for the AWS
 * services no other local server speaks, Firehose and STS among them. It keeps everything in memory.
 */
export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = new Promise<never>((_, reject) =>
    child.once('error', (error) =>
      reject(new Error(`moto_server could not start (${error.message}): pip install -r requirements.txt`)),
    ),
  );
  failed.catch(() => undefined);
  const close = async () => {
    if (child.exitCode === null) child.kill();
    await exited;
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await Promise.race([
      fetch(`${endpoint}/moto-api/`).then(
        (response) => response.ok,
        () => false,
      ),
      failed,
    ]).catch(async (error: Error) => {
      await close();
      throw error;
    });
    if (ready) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`moto_server did not answer on ${endpoint} within 30 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint,
    clientConfig: { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' } },
    close,
  };
}
