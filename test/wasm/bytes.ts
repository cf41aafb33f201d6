/** Hand-assembly of small binaries for the reader's tests: LEB128, sections, names, custom sections. */
import { section, uleb } from '../../src/core/wasm/encode';

export { section, uleb };

export function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

export function custom(sectionName: string, payload: number[]): number[] {
  return section(0, [...name(sectionName), ...payload]);
}

/**
 * `bytes` followed by a `.debug_info` custom section that makes the whole at least `size` bytes:
 * built in typed arrays, since a module of megabytes as a number[] costs seconds.
 */
export function paddedTo(bytes: Uint8Array | readonly number[], size: number): Uint8Array {
  const label = name('.debug_info');
  const payload = Math.max(0, size - bytes.length);
  const header = [0, ...uleb(label.length + payload), ...label];
  const out = new Uint8Array(bytes.length + header.length + payload).fill(7);
  out.set(bytes);
  out.set(header, bytes.length);
  return out;
}

export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
export const COMPONENT_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

export function wasm(...sections: number[][]): Uint8Array {
  return Uint8Array.from([...HEADER, ...sections.flat()]);
}

/** A body: `[locals…]` declarations then instructions (the final `end` is added). */
export function body(instructions: number[], locals: number[] = [0]): number[] {
  const content = [...locals, ...instructions, 0x0b];
  return [...uleb(content.length), ...content];
}

/** A module with one `() -> ()` function per body, plus the extra sections given (placed by id). */
export function moduleWithBodies(
  bodies: number[][],
  extra: { memory?: number[]; before?: number[][]; after?: number[][] } = {},
): Uint8Array {
  return wasm(
    section(1, [1, 0x60, 0, 0]),
    section(3, [...uleb(bodies.length), ...bodies.map(() => 0)]),
    ...(extra.memory ? [section(5, extra.memory)] : []),
    ...(extra.before ?? []),
    section(10, [...uleb(bodies.length), ...bodies.flatMap((b) => body(b))]),
    ...(extra.after ?? []),
  );
}

export const V128_CONST = (fill = 0): number[] => [0xfd, 0x0c, ...new Array<number>(16).fill(fill)];
