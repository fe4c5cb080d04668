import * as assert from 'node:assert/strict';
import { SimRunner, Simulator, SimulatorServer, startSimulator } from '../../simulator/index';
import { call, items } from './helpers';

type Status = 'online' | 'idle' | 'offline';

function statusOf(runner: Record<string, unknown> | SimRunner, now: number): Status {
  const age = now - Date.parse(String(runner.last_connected));
  return age < 120_000 ? 'online' : age < 1_800_000 ? 'idle' : 'offline';
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function fleetView(sim: Simulator, now: number): Promise<string> {
  const parts: string[] = [];
  for (const namespace of ['acme', 'globex']) {
    const runners = items((await call(sim.url, 'GET', `/runner?namespace=${namespace}`)).json);
    parts.push(...runners.map((r) => `${String(r.name)}=${statusOf(r, now)}`));
  }
  for (const rc of sim.state.resourceClasses()) {
    const name = encodeURIComponent(rc.resource_class);
    const unclaimed = await call(sim.url, 'GET', `/runner/tasks?resource-class=${name}`);
    const running = await call(sim.url, 'GET', `/runner/tasks/running?resource-class=${name}`);
    parts.push(
      `${rc.resource_class}:${JSON.stringify(unclaimed.json)}${JSON.stringify(running.json)}`,
    );
  }
  return parts.join('\n');
}

describe('simulator: live mode', () => {
  it('changes task counts and runner statuses as ticks pass', async () => {
    // One real millisecond is one simulated second, so a second of test is minutes of fleet.
    const base = Date.now();
    const clock = (): number => base + (Date.now() - base) * 1000;
    const sim = await startSimulator({ live: { tickMs: 15, seed: 3 }, clock });
    try {
      const before = await fleetView(sim, clock());
      const seenBefore = sim.state.runners().map((r) => r.last_connected);
      await wait(900);
      const after = await fleetView(sim, clock());
      const seenAfter = sim.state.runners().map((r) => r.last_connected);

      const changed = (a: string, b: string, pattern: RegExp): number =>
        a.split('\n').filter((line, i) => pattern.test(line) && line !== b.split('\n')[i]).length;
      assert.ok(changed(before, after, /task_count|runner_tasks/) > 0, 'task counts changed');
      assert.ok(changed(before, after, /=(online|idle|offline)$/) > 0, 'statuses changed');
      assert.ok(
        seenAfter.filter((seen, i) => seen !== seenBefore[i]).length >= 3,
        'runners checked in',
      );
      // The queue whose runners have long been gone stays stuck.
      const stuck = sim.state.runners({ resourceClass: 'globex/legacy-build' });
      assert.ok(stuck.every((r) => statusOf(r, clock()) === 'offline'));
      assert.ok(sim.state.taskCounts('globex/legacy-build').unclaimed >= 6);
      assert.equal(sim.state.taskCounts('globex/legacy-build').running, 0);
    } finally {
      await sim.close();
    }
  });

  it('stops changing when switched off, and starts when switched on', async () => {
    const sim = await startSimulator({ live: { tickMs: 10 } });
    try {
      sim.setLive(false);
      const frozen = JSON.stringify(sim.state.runners()) + JSON.stringify(counts(sim));
      await wait(120);
      assert.equal(JSON.stringify(sim.state.runners()) + JSON.stringify(counts(sim)), frozen);

      sim.setLive(true);
      await wait(300);
      assert.notEqual(JSON.stringify(sim.state.runners()) + JSON.stringify(counts(sim)), frozen);
    } finally {
      await sim.close();
    }
  });

  it('repeats the same history for the same seed and clock', async () => {
    const now = Date.parse('2025-05-05T10:00:00Z');
    const histories: string[] = [];
    for (let run = 0; run < 2; run++) {
      let simulated = now;
      const sim = (await startSimulator({
        clock: () => simulated,
        live: { seed: 11 },
      })) as SimulatorServer;
      sim.setLive(false);
      for (let tick = 0; tick < 40; tick++) {
        simulated += 20_000;
        sim.tickLive();
      }
      histories.push(JSON.stringify(sim.state.runners()) + JSON.stringify(counts(sim)));
      await sim.close();
    }
    assert.equal(histories[0], histories[1]);
  });
});

function counts(sim: Simulator): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const rc of sim.state.resourceClasses()) {
    out[rc.resource_class] = sim.state.taskCounts(rc.resource_class);
  }
  return out;
}
