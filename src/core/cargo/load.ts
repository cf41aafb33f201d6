import type { LoadContext } from '../workspace/load-context';
import { emptyCargoModel, type CargoModel } from './model';

// Placeholder: the cargo area replaces this loader.
export async function loadCargo(_context: LoadContext): Promise<CargoModel> {
  return emptyCargoModel();
}
