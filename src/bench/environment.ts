/** The machine and runtime a measurement ran on, recorded with every result. */
import { availableParallelism, cpus, totalmem } from 'node:os';
import type { EnvironmentInfo } from './types';

export function environmentInfo(): EnvironmentInfo {
  const cpuList = cpus();
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: typeof availableParallelism === 'function' ? availableParallelism() : cpuList.length,
    totalMemoryMb: Math.round(totalmem() / 2 ** 20),
    platform: process.platform,
    arch: process.arch,
    nodeVersion: process.versions.node,
    v8Version: process.versions.v8,
    execArgv: [...process.execArgv],
    electron: process.versions.electron !== undefined,
  };
}
