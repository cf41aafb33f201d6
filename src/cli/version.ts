import { version } from '../../package.json';

export const TOOL = { name: 'wasm-perf', version } as const;
