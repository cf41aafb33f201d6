import type { LoadContext } from '../workspace/load-context';
import type { HostCodeModel } from './model';

// Placeholder: the host-code area replaces this loader.
export async function loadHostCode(_context: LoadContext): Promise<HostCodeModel> {
  return { files: [] };
}
