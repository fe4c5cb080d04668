// Demo fleet for two fictional organizations. Times are relative to the clock at seeding, so
// the mix of online, idle, offline and long-silent runners is the same whenever it starts.
// Addresses are private-range strings held as data; nothing ever contacts them.

import type { SimulatorState, SimRunner } from './types';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface DemoRunner {
  name: string;
  host: string;
  ip?: string;
  os: string;
  arch: string;
  version: string;
  /** How long ago it last connected. */
  seenAgo: number;
  /** How long ago it last ran a task; absent when it never has. */
  usedAgo?: number;
  /** How long ago it first connected. */
  firstAgo: number;
}

interface DemoClass {
  name: string;
  description: string;
  unclaimed: number;
  running: number;
  runners: DemoRunner[];
}

const V3_NEW = '3.0.25-6a5d6b1';
const V3_OLD = '3.0.19-ba4d9e2';
const V1 = '1.1.73086-a5e5e5d';

function linux(
  name: string,
  ip: string,
  arch: string,
  seenAgo: number,
  usedAgo?: number,
): DemoRunner {
  return {
    name,
    host: `${name}.build.internal`,
    ip,
    os: 'linux',
    arch,
    version: V3_NEW,
    seenAgo,
    usedAgo,
    firstAgo: 40 * DAY + seenAgo,
  };
}

const DEMO: DemoClass[] = [
  {
    name: 'acme/linux-amd64',
    description: 'Linux x86-64 build hosts in the main data centre',
    unclaimed: 2,
    running: 3,
    runners: [
      linux('acme-build-01', '10.20.1.11', 'amd64', 15 * SECOND, 20 * SECOND),
      linux('acme-build-02', '10.20.1.12', 'amd64', 40 * SECOND, 3 * MINUTE),
      linux('acme-build-03', '10.20.1.13', 'amd64', 70 * SECOND, 90 * SECOND),
      linux('acme-build-04', '10.20.1.14', 'amd64', 12 * MINUTE, 14 * MINUTE),
      { ...linux('acme-build-05', '10.20.1.15', 'amd64', 3 * HOUR), version: V3_OLD },
    ],
  },
  {
    name: 'acme/linux-arm64',
    description: 'ARM64 builders for multi-arch container images',
    unclaimed: 0,
    running: 1,
    runners: [
      linux('acme-arm-01', '10.20.2.21', 'arm64', 25 * SECOND, 30 * SECOND),
      linux('acme-arm-02', '10.20.2.22', 'arm64', 5 * MINUTE, 2 * HOUR),
      linux('acme-arm-03', '10.20.2.23', 'arm64', 50 * SECOND),
    ],
  },
  {
    name: 'acme/macos',
    description: 'Apple silicon Mac minis for iOS and macOS builds',
    unclaimed: 4,
    running: 1,
    runners: [
      {
        name: 'acme-mac-mini-01',
        host: 'mac-mini-01.studio.internal',
        ip: '192.168.40.11',
        os: 'darwin',
        arch: 'arm64',
        version: V3_NEW,
        seenAgo: 30 * SECOND,
        usedAgo: 4 * MINUTE,
        firstAgo: 120 * DAY,
      },
      {
        name: 'acme-mac-mini-02',
        host: 'mac-mini-02.studio.internal',
        ip: '192.168.40.12',
        os: 'darwin',
        arch: 'arm64',
        version: V3_OLD,
        seenAgo: 3 * DAY,
        usedAgo: 3 * DAY + HOUR,
        firstAgo: 120 * DAY,
      },
    ],
  },
  {
    name: 'acme/windows',
    description: 'Windows Server 2022 hosts for .NET builds',
    unclaimed: 1,
    running: 0,
    runners: [
      {
        name: 'acme-win-01',
        host: 'WIN-BUILD-01',
        ip: '10.20.3.31',
        os: 'windows',
        arch: 'amd64',
        version: V3_NEW,
        seenAgo: 8 * MINUTE,
        usedAgo: 25 * MINUTE,
        firstAgo: 60 * DAY,
      },
      {
        name: 'acme-win-02',
        host: 'WIN-BUILD-02',
        ip: '10.20.3.32',
        os: 'windows',
        arch: 'amd64',
        version: V3_NEW,
        seenAgo: 45 * MINUTE,
        usedAgo: 50 * MINUTE,
        firstAgo: 60 * DAY,
      },
    ],
  },
  {
    name: 'acme/gpu',
    description: 'GPU hosts for model training (none provisioned yet)',
    unclaimed: 0,
    running: 0,
    runners: [],
  },
  {
    name: 'globex/deploy',
    description: 'Deployment runners inside the production network',
    unclaimed: 0,
    running: 1,
    runners: [
      linux('globex-deploy-a', '10.60.0.5', 'amd64', 10 * SECOND, 10 * SECOND),
      linux('globex-deploy-b', '10.60.0.6', 'amd64', 55 * SECOND, 6 * HOUR),
    ],
  },
  {
    name: 'globex/legacy-build',
    description: 'Old build farm whose hosts were switched off; jobs still target it',
    unclaimed: 6,
    running: 0,
    runners: [
      { ...linux('globex-old-1', '172.16.8.1', 'amd64', 2 * HOUR, 2 * HOUR), version: V1 },
      { ...linux('globex-old-2', '172.16.8.2', 'amd64', DAY + 3 * HOUR), version: V1 },
      { ...linux('globex-old-3', '172.16.8.3', 'amd64', 9 * DAY, 9 * DAY), version: V1 },
    ],
  },
  {
    name: 'globex/edge-arm',
    description: 'ARM edge devices for hardware-in-the-loop tests',
    unclaimed: 1,
    running: 2,
    runners: [
      linux('edge-pi-01', '10.61.4.1', 'arm64', 20 * SECOND, 25 * SECOND),
      linux('edge-pi-02', '10.61.4.2', 'arm64', 35 * SECOND, 40 * SECOND),
      linux('edge-pi-03', '10.61.4.3', 'arm64', 18 * MINUTE, 20 * MINUTE),
      { ...linux('edge-pi-04', '10.61.4.4', 'arm64', 5 * DAY), ip: undefined },
    ],
  },
  {
    name: 'globex/docker',
    description: 'Container runner on the shared Kubernetes cluster',
    unclaimed: 0,
    running: 0,
    runners: [linux('globex-container-runner-7d9f', '10.62.3.17', 'amd64', 45 * SECOND)],
  },
];

function toRunner(resourceClass: string, demo: DemoRunner, now: number): SimRunner {
  const iso = (ago: number): string => new Date(now - ago).toISOString();
  const runner: SimRunner = {
    resource_class: resourceClass,
    hostname: demo.host,
    name: demo.name,
    first_connected: iso(demo.firstAgo),
    last_connected: iso(demo.seenAgo),
    version: demo.version,
    os: demo.os,
    arch: demo.arch,
  };
  if (demo.usedAgo !== undefined) {
    runner.last_used = iso(demo.usedAgo);
  }
  if (demo.ip !== undefined) {
    runner.ip = demo.ip;
  }
  return runner;
}

export function seedDemoData(state: SimulatorState, now: number): void {
  for (const demo of DEMO) {
    state.addResourceClass(demo.name, demo.description);
    state.setTaskCounts(demo.name, { unclaimed: demo.unclaimed, running: demo.running });
    for (const runner of demo.runners) {
      state.addRunner(toRunner(demo.name, runner, now));
    }
  }
}
