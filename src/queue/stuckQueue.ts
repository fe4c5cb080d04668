// Stuck-queue episodes: a resource class with queued tasks and no online runner.
//
//   new StuckQueueTracker({ enabled, muted })
//   tracker.update(observations): StuckQueueUpdate
//     call after each successful poll with, per polled class,
//     { resourceClass, queued: number | undefined, onlineRunners: number | undefined }
//     returns { started, ended, activeChanged }; `started` lists the episodes to alert
//   tracker.setOptions({ enabled, muted }): boolean   true when the active set changed
//   tracker.onEpisodeStart(listener: (resourceClass: string) => void): Disposable
//   tracker.isActive(resourceClass), tracker.activeEpisodes(), tracker.anyActive
//   tracker.retain(resourceClasses)   forget classes no longer configured
//
// An episode starts when a class is seen stuck (queued > 0 and 0 online runners) on
// two polls in a row, and ends when it is seen recovered (queued == 0 or a runner
// online). An unknown count neither extends the streak nor ends an episode. Episodes
// are tracked for every class; muting a class or disabling alerts only hides them:
// no report and not active. So unmuting a class mid-episode shows it as active but
// does not report it again: it was the same episode.

import { Emitter, type Event } from './emitter';

/** Consecutive stuck polls that make an episode. */
export const STUCK_POLLS_FOR_EPISODE = 2;

export interface StuckQueueObservation {
  resourceClass: string;
  /** Unclaimed task count, or undefined when this poll did not get it. */
  queued: number | undefined;
  /** Online runners of the class from the fleet data, or undefined when unknown. */
  onlineRunners: number | undefined;
}

export interface StuckQueueOptions {
  /** The global alert setting. */
  enabled: boolean;
  /** Resource classes (`namespace/name`) the user muted. */
  muted: readonly string[];
}

export interface StuckQueueUpdate {
  /** Episodes that started in this update and should be reported (unmuted, enabled). */
  readonly started: readonly string[];
  /** Classes whose episode ended in this update (muted ones included). */
  readonly ended: readonly string[];
  /** Whether the set of active episodes (see `anyActive`) changed. */
  readonly activeChanged: boolean;
}

interface ClassTrack {
  streak: number;
  inEpisode: boolean;
}

export class StuckQueueTracker {
  private readonly tracks = new Map<string, ClassTrack>();
  private enabled: boolean;
  private muted: Set<string>;
  private readonly emitter: Emitter<string>;

  readonly onEpisodeStart: Event<string>;

  constructor(options: StuckQueueOptions, onListenerError?: (error: unknown) => void) {
    this.enabled = options.enabled;
    this.muted = new Set(options.muted);
    this.emitter = new Emitter<string>(onListenerError);
    this.onEpisodeStart = this.emitter.event;
  }

  update(observations: readonly StuckQueueObservation[]): StuckQueueUpdate {
    const before = this.activeKey();
    const started: string[] = [];
    const ended: string[] = [];

    for (const observation of observations) {
      const track = this.track(observation.resourceClass);
      const verdict = judge(observation);
      if (verdict === 'recovered') {
        track.streak = 0;
        if (track.inEpisode) {
          track.inEpisode = false;
          ended.push(observation.resourceClass);
        }
        continue;
      }
      if (verdict === 'unknown') {
        track.streak = 0;
        continue;
      }

      track.streak = Math.min(track.streak + 1, STUCK_POLLS_FOR_EPISODE);
      if (!track.inEpisode && track.streak >= STUCK_POLLS_FOR_EPISODE) {
        track.inEpisode = true;
        if (this.shows(observation.resourceClass)) {
          started.push(observation.resourceClass);
        }
      }
    }

    for (const resourceClass of started) {
      this.emitter.fire(resourceClass);
    }
    return { started, ended, activeChanged: before !== this.activeKey() };
  }

  /** Changes the alert settings; returns whether the active set changed. */
  setOptions(options: StuckQueueOptions): boolean {
    const before = this.activeKey();
    this.enabled = options.enabled;
    this.muted = new Set(options.muted);
    return before !== this.activeKey();
  }

  isActive(resourceClass: string): boolean {
    return this.tracks.get(resourceClass)?.inEpisode === true && this.shows(resourceClass);
  }

  activeEpisodes(): string[] {
    return [...this.tracks.keys()].filter((name) => this.isActive(name)).sort();
  }

  /** True while any unmuted class is in an episode and alerts are enabled. */
  get anyActive(): boolean {
    return this.activeEpisodes().length > 0;
  }

  /** Forgets every class not listed (deleted classes, removed namespaces). */
  retain(resourceClasses: readonly string[]): boolean {
    const before = this.activeKey();
    const keep = new Set(resourceClasses);
    for (const name of [...this.tracks.keys()]) {
      if (!keep.has(name)) {
        this.tracks.delete(name);
      }
    }
    return before !== this.activeKey();
  }

  dispose(): void {
    this.emitter.dispose();
  }

  private shows(resourceClass: string): boolean {
    return this.enabled && !this.muted.has(resourceClass);
  }

  private track(resourceClass: string): ClassTrack {
    let track = this.tracks.get(resourceClass);
    if (track === undefined) {
      track = { streak: 0, inEpisode: false };
      this.tracks.set(resourceClass, track);
    }
    return track;
  }

  private activeKey(): string {
    return this.activeEpisodes().join('\n');
  }
}

function judge(observation: StuckQueueObservation): 'stuck' | 'recovered' | 'unknown' {
  const { queued, onlineRunners } = observation;
  if (queued === 0 || (onlineRunners !== undefined && onlineRunners > 0)) {
    return 'recovered';
  }
  if (queued === undefined || onlineRunners === undefined) {
    return 'unknown';
  }
  return queued > 0 && onlineRunners === 0 ? 'stuck' : 'unknown';
}
