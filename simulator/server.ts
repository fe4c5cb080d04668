// The HTTP side of the simulator: node:http only, bound to loopback.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults, renderAnswer, WireAnswer } from './faults';
import { DEFAULT_LIVE_SEED, DEFAULT_TICK_MS, LiveMode } from './live';
import { RequestLog } from './requestLog';
import { Answer, ApiRequest, findHandler, notFound } from './routes';
import { SimState } from './state';
import {
  DEMO_TOKEN,
  FaultSpec,
  RecordedRequest,
  ResourceClassEndpointSet,
  Simulator,
  SimulatorOptions,
} from './types';

const API_PREFIX = '/api/v3';
const CONTROL_PREFIX = '/__simulator/';
const MAX_BODY_BYTES = 1024 * 1024;
const ENDPOINT_SETS: readonly string[] = ['spec', 'circleci-cli', 'both', 'none'];
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function statusText(status: number): string {
  return http.STATUS_CODES[status] ?? 'Error';
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the body as text; undefined when it exceeds the limit. */
function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

function parseRecordedBody(text: string): unknown {
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function sendJson(res: http.ServerResponse, status: number, json: unknown): void {
  const body = Buffer.from(JSON.stringify(json), 'utf8');
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(body.length),
  });
  res.end(body);
}

export class SimulatorServer implements Simulator {
  readonly state: SimState;
  readonly faults = new Faults();
  private readonly log = new RequestLog();
  private readonly server: http.Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly tokens: Set<string>;
  private readonly clock: () => number;
  private readonly live: LiveMode;
  private latencyMs: number;
  private endpoints: ResourceClassEndpointSet;
  private port = 0;
  private closed = false;

  constructor(options: SimulatorOptions) {
    this.clock = options.clock ?? Date.now;
    this.tokens = new Set(options.tokens ?? [DEMO_TOKEN]);
    this.latencyMs = options.latencyMs ?? 0;
    this.endpoints = options.resourceClassEndpoints ?? 'spec';
    this.state = new SimState(this.clock);
    this.state.reset(options.data ?? 'demo');
    const liveOptions = typeof options.live === 'object' ? options.live : {};
    this.live = new LiveMode(
      this.state,
      this.clock,
      liveOptions.tickMs ?? DEFAULT_TICK_MS,
      liveOptions.seed ?? DEFAULT_LIVE_SEED,
    );
    this.server = http.createServer((req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 5000;
    if (options.live !== undefined && options.live !== false) {
      this.live.start();
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}${API_PREFIX}`;
  }

  get requests(): readonly RecordedRequest[] {
    return this.log.all;
  }

  /** Steps live mode once, whether or not its timer runs; for tests that want no waiting. */
  tickLive(): void {
    this.live.tick();
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  clearRequests(): void {
    this.log.clear();
  }

  setLatency(ms: number): void {
    if (!(ms >= 0)) {
      throw new Error(`latency must be a number from 0: ${ms}`);
    }
    this.latencyMs = ms;
  }

  setResourceClassEndpoints(set: ResourceClassEndpointSet): void {
    if (!ENDPOINT_SETS.includes(set)) {
      throw new Error(`endpoint set must be one of ${ENDPOINT_SETS.join(', ')}: ${String(set)}`);
    }
    this.endpoints = set;
  }

  setLive(live: boolean): void {
    if (live && !this.closed) {
      this.live.start();
    } else {
      this.live.stop();
    }
  }

  close(): Promise<void> {
    if (this.closed) {
      return Promise.resolve();
    }
    this.closed = true;
    this.live.stop();
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      // Hung and trickling answers would otherwise hold close() open.
      this.server.closeAllConnections();
    });
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private delay(ms: number): Promise<void> {
    return ms > 0 ? new Promise((resolve) => this.later(ms, resolve)) : Promise.resolve();
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const rawPath = req.url ?? '/';
    const pathname = rawPath.split('?')[0] ?? '/';
    if (pathname.startsWith(CONTROL_PREFIX)) {
      this.control(req, res, pathname.slice(CONTROL_PREFIX.length)).catch((err: unknown) =>
        sendJson(res, 500, { message: String(err) }),
      );
      return;
    }
    if (pathname !== API_PREFIX && !pathname.startsWith(`${API_PREFIX}/`)) {
      sendJson(res, 404, { message: 'Not Found' });
      return;
    }
    this.api(req, res, rawPath, pathname.slice(API_PREFIX.length) || '/').catch((err: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, { message: `Simulator error: ${String(err)}` });
      }
    });
  }

  private async api(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rawPath: string,
    path: string,
  ): Promise<void> {
    const bodyText = await readBody(req);
    const queryAt = rawPath.indexOf('?');
    const query = new URLSearchParams(queryAt < 0 ? '' : rawPath.slice(queryAt + 1));
    const method = (req.method ?? 'GET').toUpperCase();
    const record: RecordedRequest = {
      method,
      path,
      rawPath,
      query: Object.fromEntries(query),
      circleToken: header(req, 'circle-token'),
      accept: header(req, 'accept'),
      userAgent: header(req, 'user-agent'),
      body: parseRecordedBody(bodyText ?? ''),
      status: 0,
      at: this.clock(),
    };
    this.log.add(record);

    const fault = this.faults.take(method, path);
    const request: ApiRequest = {
      method,
      segments: path.split('/').slice(1),
      query,
      bodyText: bodyText ?? '',
    };
    const operate = (): Answer =>
      bodyText === undefined
        ? { status: 413, json: { message: 'The request body is too large.' } }
        : this.operate(request, record.circleToken);
    const spoilsAnswer =
      fault?.drop === true || fault?.hang === true || fault?.status !== undefined;
    let answer = fault?.applyOperation === true || !spoilsAnswer ? operate() : undefined;

    await this.delay(this.latencyMs + (fault?.latencyMs ?? 0));
    if (this.closed) {
      return;
    }
    if (fault?.drop === true) {
      req.socket.destroy();
      return;
    }
    if (fault?.hang === true) {
      return;
    }
    answer ??= { status: fault?.status ?? 500 };
    const wire = renderAnswer(answer, fault, statusText);
    record.status = wire.status;
    this.send(res, wire, fault);
  }

  private operate(request: ApiRequest, token: string | undefined): Answer {
    const found = findHandler(request, this.endpoints);
    if (!found) {
      return notFound();
    }
    if (token === undefined || !this.tokens.has(token)) {
      return { status: 401, json: { message: 'You must log in first.' } };
    }
    return 'answer' in found ? found.answer : found.handler(request, this.state);
  }

  private send(res: http.ServerResponse, wire: WireAnswer, fault: FaultSpec | undefined): void {
    const trickle = fault?.trickle;
    if (!trickle || wire.body.length === 0) {
      res.writeHead(wire.status, wire.headers);
      res.end(wire.body);
      return;
    }
    res.socket?.setNoDelay(true);
    res.writeHead(wire.status, wire.headers);
    res.flushHeaders();
    let offset = 0;
    const step = (): void => {
      if (res.destroyed || this.closed) {
        return;
      }
      const chunk = wire.body.subarray(offset, offset + trickle.bytesPerChunk);
      offset += chunk.length;
      if (offset >= wire.body.length) {
        res.end(chunk);
        return;
      }
      res.write(chunk);
      this.later(trickle.intervalMs, step);
    };
    this.later(trickle.intervalMs, step);
  }

  private async control(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    action: string,
  ): Promise<void> {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      sendJson(res, 403, { message: 'The control endpoints answer loopback only.' });
      return;
    }
    const text = (await readBody(req)) ?? '';
    let body: Record<string, unknown> = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        sendJson(res, 400, { message: 'The request body is not valid JSON.' });
        return;
      }
    }
    const key = `${req.method ?? 'GET'} ${action}`;
    try {
      switch (key) {
        case 'GET state':
          sendJson(res, 200, this.snapshot());
          return;
        case 'POST faults':
          this.faults.inject(body);
          sendJson(res, 200, { faults: this.faults.list() });
          return;
        case 'DELETE faults':
          this.faults.clear();
          sendJson(res, 200, { faults: [] });
          return;
        case 'GET requests':
          sendJson(res, 200, { total: this.log.all.length, byPath: this.log.countsByPath() });
          return;
        case 'DELETE requests':
          this.log.clear();
          sendJson(res, 200, { total: 0 });
          return;
        case 'POST reset':
          this.state.reset(body.data === 'empty' ? 'empty' : 'demo');
          sendJson(res, 200, this.snapshot());
          return;
        case 'POST live':
          this.setLive(body.live === true);
          sendJson(res, 200, { live: this.live.running });
          return;
        case 'POST latency':
          this.setLatency(Number(body.ms));
          sendJson(res, 200, { latencyMs: this.latencyMs });
          return;
        case 'POST endpoints':
          this.setResourceClassEndpoints(body.set as ResourceClassEndpointSet);
          sendJson(res, 200, { endpoints: this.endpoints });
          return;
        default:
          sendJson(res, 404, { message: `No control endpoint ${key}.` });
      }
    } catch (err) {
      sendJson(res, 400, { message: err instanceof Error ? err.message : String(err) });
    }
  }

  private snapshot(): unknown {
    return {
      url: this.url,
      live: this.live.running,
      endpoints: this.endpoints,
      latencyMs: this.latencyMs,
      faults: this.faults.list(),
      requests: this.log.all.length,
      namespaces: this.state.namespaces(),
      resourceClasses: this.state.resourceClasses().map((rc) => ({
        ...rc,
        ...this.state.taskCounts(rc.resource_class),
        runners: this.state.liveRunners({ resourceClass: rc.resource_class }).length,
      })),
      runners: this.state.liveRunners().length,
    };
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const simulator = new SimulatorServer(options);
  try {
    await simulator.listen(options.port ?? 0);
  } catch (err) {
    await simulator.close();
    throw err;
  }
  return simulator;
}
