/** What `fusebench setup` found missing or broken, by cause, so that the message and a test can name it. */
export type SetupCause =
  | 'no-wheel' | 'no-python' | 'no-compiler' | 'no-node-headers' | 'no-node-gyp' | 'no-nm'
  | 'missing-symbol' | 'npm' | 'build' | 'smoke' | 'no-gpu';

export class SetupError extends Error {
  constructor(readonly cause: SetupCause, message: string) {
    super(`${cause}: ${message}`);
    this.name = 'SetupError';
  }
}

/** The last lines of a tool's output, for an error message (a compiler error is at the end). */
export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
