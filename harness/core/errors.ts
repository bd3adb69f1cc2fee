/**
 * The errors every layer may throw. A UsageError is unusable input from the user (a flag, an env var, a file,
 * a config field) and maps to exit code 2; a SuiteDeclarationError names the suite file and the field.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export class SuiteDeclarationError extends Error {
  constructor(file: string, field: string, problem: string) {
    super(`${file}: suite field "${field}" ${problem}`);
    this.name = 'SuiteDeclarationError';
  }
}
