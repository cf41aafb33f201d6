import type { LoadContext } from '../workspace/load-context';
import type { BinaryModel } from './model';

// Placeholder: the wasm area replaces this loader.
export async function loadBinaries(_context: LoadContext): Promise<BinaryModel> {
  return { files: [] };
}
