/**
 * The part of a results.json (schemas/results.schema.json, owned by the results format) that the gate
 * relies on. The gate checks it itself so that a run's fault is named by JSON path even where the full
 * results schema is looser, and so that a measured size always carries paired rounds.
 */
const variant = {
  type: 'object',
  required: ['samplesMs'],
  properties: {
    samplesMs: { type: 'array', minItems: 1, items: { type: 'number', exclusiveMinimum: 0 } },
  },
} as const;

export const currentResultsSchema = {
  $id: 'fusebench/gate-current',
  type: 'object',
  required: ['schema', 'createdAt', 'command', 'quick', 'machine', 'patterns'],
  properties: {
    schema: { const: 'fusebench/results@1' },
    createdAt: { type: 'string' },
    command: { type: 'string' },
    quick: { type: 'boolean' },
    machine: {
      type: 'object',
      required: ['hostname', 'cpuModel', 'cores', 'node', 'tfjs'],
      properties: {
        hostname: { type: 'string' },
        node: { type: 'string' },
        tfjs: { type: 'string' },
        cpuModel: { type: 'string' },
        cores: { type: 'integer', minimum: 1 },
        gpu: { type: 'string' },
      },
    },
    backends: {
      type: 'array',
      items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    },
    patterns: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'results'],
        properties: {
          id: { type: 'string', minLength: 1 },
          minSpeedup: { type: 'object', additionalProperties: { type: 'number', exclusiveMinimum: 0 } },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['backend', 'size', 'status'],
              properties: {
                backend: { type: 'string', minLength: 1 },
                size: { type: 'string', minLength: 1 },
                status: { enum: ['ok', 'failed'] },
                error: { type: 'string' },
                unfused: variant,
                fused: variant,
                speedup: {
                  type: 'object',
                  required: ['ratio', 'lo', 'hi'],
                  properties: { ratio: { type: 'number', exclusiveMinimum: 0 }, lo: { type: 'number' }, hi: { type: 'number' } },
                },
                correctness: {
                  type: 'object',
                  required: ['fused'],
                  properties: { fused: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } } },
                },
              },
              if: { properties: { status: { const: 'ok' } } },
              then: { required: ['unfused', 'fused', 'speedup', 'correctness'] },
            },
          },
        },
      },
    },
  },
} as const;
