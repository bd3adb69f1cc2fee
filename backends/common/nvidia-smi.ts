/**
 * Facts NVML knows and the tfjs backends do not, read through nvidia-smi (present wherever the NVIDIA driver is):
 * the driver version, and the SM clock, temperature and power, to see clock drops and throttling across a run.
 */
import { execFileSync } from 'node:child_process';
import type { DeviceState } from '../../harness/core/types.ts';

function query(fields: string): string[] | undefined {
  try {
    const out = execFileSync('nvidia-smi', [`--query-gpu=${fields}`, '--format=csv,noheader,nounits'], {
      encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'],
    });
    const line = out.trim().split('\n')[Number(process.env.FUSEBENCH_CUDA_DEVICE ?? 0)] ?? out.trim().split('\n')[0];
    return line?.split(',').map((s) => s.trim());
  } catch {
    return undefined;
  }
}

/** The NVIDIA driver version, or undefined where there is none. */
export function nvidiaDriverVersion(): string | undefined {
  return query('driver_version')?.[0] || undefined;
}

/** SM clock (MHz), temperature (°C) and power draw (W) now, or undefined where nvidia-smi cannot tell. */
export function nvidiaDeviceState(): DeviceState | undefined {
  const v = query('clocks.sm,temperature.gpu,power.draw');
  if (!v || v.length < 3) return undefined;
  const [clock, temp, power] = v.map(Number) as [number, number, number];
  if (![clock, temp].every(Number.isFinite)) return undefined;
  return { at: new Date().toISOString(), smClockMHz: clock, temperatureC: temp, powerW: Number.isFinite(power) ? power : 0 };
}
