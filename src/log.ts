// The logger the whole extension writes through. `src/api` and the stores get
// this interface, not the vscode channel, so they stay testable without VS Code.

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
