import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';

// Runs Prism's mock server for the spec in its own process group, so that stopping
// it also stops the worker processes Prism starts, and nothing else.

export interface PrismServer {
  /** Prism serves the spec's paths at its root, so this has no /api/v3 suffix. */
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(url: string, child: ChildProcess, limitMs: number) {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`Prism exited early with code ${child.exitCode}`);
    }
    try {
      // Any HTTP answer, even a 404 for an unknown path, means Prism is listening.
      await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`Prism did not answer within ${limitMs} ms`);
}

export async function startPrism(specPath: string, root: string): Promise<PrismServer> {
  const port = await freePort();
  const bin = path.join(root, 'node_modules', '.bin', 'prism');
  // No --dynamic: answers come from the schema's static examples, the same every run.
  const child = spawn(bin, ['mock', specPath, '--host', '127.0.0.1', '--port', String(port)], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    const pid = child.pid;
    if (child.exitCode !== null || pid === undefined) {
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 3000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitUntilAnswering(url, child, 30_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
  }
  return { url, output: () => output, stop };
}
