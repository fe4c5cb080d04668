// A minimal typed event emitter, so the queue logic stays free of `vscode`.
// The views adapt it to the editor's own events at the edge.

export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (event: T) => void;

/** Subscribe with a listener; dispose the result to unsubscribe. */
export type Event<T> = (listener: Listener<T>) => Disposable;

export class Emitter<T> {
  private listeners: Listener<T>[] = [];
  private disposed = false;

  /**
   * @param onListenerError called when a listener throws, so that one faulty
   *   view cannot stop the others (or the poller) from hearing about a change.
   */
  constructor(private readonly onListenerError?: (error: unknown) => void) {}

  readonly event: Event<T> = (listener) => {
    if (this.disposed) {
      return { dispose: () => undefined };
    }
    this.listeners.push(listener);
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  };

  fire(event: T): void {
    // A copy, so a listener that unsubscribes during delivery does not skip another.
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError?.(error);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.length;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}
