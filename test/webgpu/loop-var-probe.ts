/**
 * Runs a one-invocation WGSL probe on a GPUDevice: for 4 iterations, a loop body declares a variable, adds 1
 * to it and adds it to a total. WGSL zero-initialises a `var` at each start of its lifetime, so every total is
 * 4; a compiler that zeroes the variable once per invocation gives 1 + 2 + 3 + 4 = 10. The loop count comes
 * from a storage buffer so the compiler cannot fold the loop away.
 */
export const LOOP_VAR_PROBE_WGSL = `
@group(0) @binding(0) var<storage, read> count : array<i32>;
@group(0) @binding(1) var<storage, read_write> totals : array<f32>;

@compute @workgroup_size(1)
fn main() {
  let n = count[0];
  var t0 = 0.0;
  var t1 = 0.0;
  var t2 = 0.0;
  var t3 = 0.0;
  for (var i = 0; i < n; i++) {
    var a : array<f32, 2>;          // no initializer, array
    a[0] += 1.0;
    t0 += a[0];
    var x : f32;                    // no initializer, scalar
    x += 1.0;
    t1 += x;
    var v : vec4<f32>;              // no initializer, vector
    v.x += 1.0;
    t2 += v.x;
    var e = array<f32, 2>();        // explicit zero initializer (control)
    e[0] += 1.0;
    t3 += e[0];
  }
  totals[0] = t0;
  totals[1] = t1;
  totals[2] = t2;
  totals[3] = t3;
}`;

export interface LoopVarProbe {
  /** Totals for: array without initializer, scalar without, vec4 without, array with an explicit initializer. */
  readonly array: number;
  readonly scalar: number;
  readonly vector: number;
  readonly explicit: number;
}

export async function runLoopVarProbe(device: GPUDevice, iterations = 4): Promise<LoopVarProbe> {
  const module = device.createShaderModule({ code: LOOP_VAR_PROBE_WGSL });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const count = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(count, 0, new Int32Array([iterations, 0, 0, 0]));
  const totals = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const bind = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: count } }, { binding: 1, resource: { buffer: totals } }],
  });
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bind);
  pass.dispatchWorkgroups(1);
  pass.end();
  enc.copyBufferToBuffer(totals, 0, read, 0, 16);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const [array, scalar, vector, explicit] = Array.from(new Float32Array(read.getMappedRange().slice(0)));
  read.unmap();
  for (const b of [count, totals, read]) b.destroy();
  return { array: array!, scalar: scalar!, vector: vector!, explicit: explicit! };
}
