/**
 * The errors every layer may throw. A UsageError is unusable input from the user (a flag, an env var, a file,
 * a config field) and maps to exit code 2; a SuiteDeclarationError (or PipelineDeclarationError) names the file and the field.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export class SuiteDeclarationError extends Error {
  constructor(file: string, field: string, problem: string, kind: 'suite' | 'pipeline' = 'suite') {
    super(`${file}: ${kind} field "${field}" ${problem}`);
    this.name = 'SuiteDeclarationError';
  }
}

/** A fault of a `definePipeline` declaration, naming the file and the field (a declaration error like a suite's). */
export class PipelineDeclarationError extends SuiteDeclarationError {
  constructor(file: string, field: string, problem: string) {
    super(file, field, problem, 'pipeline');
    this.name = 'PipelineDeclarationError';
  }
}
