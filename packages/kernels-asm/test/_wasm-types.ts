/**
 * A minimal reader of a wasm binary's type, import, function and export sections: enough to list the
 * exported functions' parameter and result types, which the JS API does not expose.
 */

const VALTYPES: Record<number, string> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128" };

/** Parameter and result types of one function. */
export type FuncType = { params: string[]; results: string[] };

/** The signature of every exported function, by export name. */
export function exportedSignatures(bytes: Uint8Array): Map<string, FuncType> {
  let p = 8; // magic and version
  const u32 = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++]!;
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  };
  const name = (): string => {
    const len = u32();
    const s = new TextDecoder().decode(bytes.subarray(p, p + len));
    p += len;
    return s;
  };
  const types: FuncType[] = [];
  const funcTypes: number[] = []; // type index per function index, imports first
  const exports = new Map<string, number>();
  while (p < bytes.length) {
    const id = bytes[p++]!;
    const size = u32();
    const end = p + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        if (bytes[p++] !== 0x60) throw new Error("unexpected type form");
        const params = Array.from({ length: u32() }, () => VALTYPES[bytes[p++]!] ?? "?");
        const results = Array.from({ length: u32() }, () => VALTYPES[bytes[p++]!] ?? "?");
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        name();
        name();
        const kind = bytes[p++]!;
        if (kind === 0) funcTypes.push(u32());
        else if (kind === 2) {
          // A memory (the threads builds import their shared memory): limits flags, min, and max when flagged.
          const flags = bytes[p++]!;
          u32();
          if (flags & 1) u32();
        } else throw new Error("the kernels import only functions or a memory, if anything");
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) funcTypes.push(u32());
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const nm = name();
        const kind = bytes[p++]!;
        const index = u32();
        if (kind === 0) exports.set(nm, index);
      }
    }
    p = end;
  }
  const out = new Map<string, FuncType>();
  for (const [nm, index] of exports) out.set(nm, types[funcTypes[index]!]!);
  return out;
}
