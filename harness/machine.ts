/** What machine a run came from, for every report and profile. */
import { cpus, hostname, totalmem, type as osType, release } from 'node:os';
import { execFileSync } from 'node:child_process';
import { version_core as tfjsVersion } from '@tensorflow/tfjs-core';
import type { MachineInfo } from './core/types.ts';

function gpuName(): string | undefined {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    const first = out.trim().split('\n')[0];
    if (!first) return undefined;
    const [name, driver] = first.split(',').map((s) => s.trim());
    return driver ? `${name} (driver ${driver})` : name;
  } catch {
    return undefined;
  }
}

export function machineInfo(): MachineInfo {
  const gpu = gpuName();
  return {
    hostname: hostname(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osType()} ${release()}`,
    node: process.version,
    tfjs: tfjsVersion,
    ...(gpu ? { gpu } : {}),
  };
}
