/**
 * Executing one TensorFlow op from a fusebench kernel on the `tensorflow` backend (tfjs-node), the way tfjs-node's
 * own kernels do: `backend.executeSingleOutput(opName, attrs, inputs)`, which calls the N-API binding's
 * `executeOp` (TFE_NewOp, attrs, TFE_Execute) and wraps the result as a tfjs tensor.
 *
 * tfjs-node is an optional peer, so its types are restated here, only as far as fusebench uses them.
 */
import { engine, Tensor, type DataType, type TensorInfo } from '@tensorflow/tfjs-core';

/** One op attribute as the binding takes it: `type` is one of the binding's TF_ATTR_* codes. */
export interface TfAttr {
  readonly name: string;
  readonly type: number;
  readonly value: boolean | number | string | readonly number[] | readonly string[];
}

interface TensorMetadata {
  readonly id: number;
  readonly shape: number[];
  readonly dtype: number;
}

export interface TfBinding {
  readonly TF_FLOAT: number;
  readonly TF_INT32: number;
  readonly TF_ATTR_STRING: number;
  readonly TF_ATTR_INT: number;
  readonly TF_ATTR_FLOAT: number;
  readonly TF_ATTR_BOOL: number;
  readonly TF_ATTR_TYPE: number;
  readonly TF_Version: string;
  createTensor(shape: number[], dtype: number, values: Float32Array | Int32Array): number;
  deleteTensor(id: number): void;
  tensorDataSync(id: number): Float32Array | Int32Array | Uint8Array;
  executeOp(opName: string, attrs: readonly TfAttr[], inputIds: number[], numOutputs: number): TensorMetadata[];
}

export interface NodeBackend {
  readonly binding: TfBinding;
  executeSingleOutput(opName: string, attrs: readonly TfAttr[], inputs: readonly TensorInfo[]): TensorInfo;
}

/** The kernel's backend as tfjs-node's NodeJSKernelBackend, or an error naming the kernel. */
export function nodeBackendOf(backend: unknown, kernel: string): NodeBackend {
  const b = backend as Partial<NodeBackend> | null;
  if (!b || typeof b.executeSingleOutput !== 'function' || typeof b.binding?.executeOp !== 'function') {
    throw new Error(`${kernel}: the tensorflow kernels need tfjs-node's backend (executeSingleOutput and binding.executeOp)`);
  }
  return b as NodeBackend;
}

export function tfDtype(binding: TfBinding, dtype: DataType): number {
  if (dtype === 'float32') return binding.TF_FLOAT;
  if (dtype === 'int32') return binding.TF_INT32;
  throw new Error(`fusebench tensorflow kernels take float32 or int32 tensors (got ${dtype})`);
}

/** Attribute builders bound to one binding's codes. A list of strings or types needs the patched binding. */
export function attrs(binding: TfBinding) {
  return {
    type: (name: string, dtype: DataType): TfAttr => ({ name, type: binding.TF_ATTR_TYPE, value: tfDtype(binding, dtype) }),
    types: (name: string, dtypes: readonly DataType[]): TfAttr => ({ name, type: binding.TF_ATTR_TYPE, value: dtypes.map((d) => tfDtype(binding, d)) }),
    string: (name: string, value: string | readonly string[]): TfAttr => ({ name, type: binding.TF_ATTR_STRING, value }),
    int: (name: string, value: number | readonly number[]): TfAttr => ({ name, type: binding.TF_ATTR_INT, value }),
    float: (name: string, value: number): TfAttr => ({ name, type: binding.TF_ATTR_FLOAT, value }),
    bool: (name: string, value: boolean): TfAttr => ({ name, type: binding.TF_ATTR_BOOL, value }),
  };
}

/** The first lines of a TensorFlow status error: `Invalid TF_Status: 12` and its `Message: …`. */
export const tfErrorText = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n').slice(0, 2).join(' ').slice(0, 300);

export interface ProbeInput {
  readonly shape: number[];
  readonly values: Float32Array;
}

/**
 * Runs one op on the binding directly (no tfjs tensors, no engine: nothing shows in tf.profile or tf.memory)
 * and compares its output with `want`; every handle it created is deleted. A probe says whether this build
 * of TensorFlow, through this binding, computes the op correctly, not merely whether it accepts it.
 */
export function probeOp(binding: TfBinding, opName: string, opAttrs: readonly TfAttr[], inputs: readonly ProbeInput[], want: readonly number[]): string | undefined {
  const ids: number[] = [];
  try {
    for (const x of inputs) ids.push(binding.createTensor(x.shape, binding.TF_FLOAT, x.values));
    const [out] = binding.executeOp(opName, opAttrs, ids.slice(), 1);
    ids.push(out.id);
    const got = binding.tensorDataSync(out.id);
    if (got.length !== want.length) return `${opName} returned ${got.length} values for ${want.length} (shape [${out.shape.join(', ')}])`;
    for (let i = 0; i < want.length; i++) {
      if (!(Math.abs(got[i] - want[i]) <= 1e-4 * Math.max(1, Math.abs(want[i])))) return `${opName} returned ${got[i]} at ${i}, expected ${want[i]}`;
    }
    return undefined;
  } catch (e) {
    return `${opName}: ${tfErrorText(e)}`;
  } finally {
    for (const id of ids) binding.deleteTensor(id);
  }
}

/**
 * A kernel input as a tfjs tensor, for kernels composed of tfjs ops (each one tfjs-node kernel, one TF op).
 * Inside `tf.tidy`, a tensor made here is released again; an input that already is a tensor is left alone.
 */
export function asTensor(info: TensorInfo): Tensor {
  return info instanceof Tensor ? info : engine().makeTensorFromTensorInfo(info);
}
