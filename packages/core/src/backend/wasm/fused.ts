/**
 * Fused elementwise groups on the module's block interpreter (kernels-asm fused_f32): a jit plan's
 * chain of float32/bool elementwise equations becomes one small program that runs over cache-sized
 * chunks, so each input element crosses into wasm memory once and each output once, and the
 * intermediates never leave L1/L2. Every operation is the same SIMD kernel the eager wasm backend
 * uses, so a fused chain rounds exactly as the eager wasm ops do.
 */
import type { Atom, JaxprEqn, Var } from "../../interpreters/jaxpr-types.js";
import { Lit } from "../../interpreters/jaxpr-types.js";
import type { BinaryPrim, ComparePrim, UnaryPrim } from "../../primitives.js";
import type { CompiledFusion, FusedCompiler } from "../backend.js";
import { broadcastBlock } from "../../jit/scalar-code.js";
import { BinaryOp, CompareOp, FusedLayout, FusedOp, UnaryOp, checkStatus } from "@fluxion/kernels-asm";
import { type WasmContext, withArena } from "./context.js";
import { WASM_BINARY, WASM_UNARY } from "./elementwise.js";
import type { WasmThresholds } from "./thresholds.js";

/** Below this many elements a generated JS loop beats staging the chunk into wasm memory. */
const MIN_ELEMENTS = 256;

/** Elements per chunk staged into wasm memory: a few streams of 32 KiB stay in L2. */
const CHUNK = 8192;

const BINARY_CODES: Partial<Record<BinaryPrim, number>> = { ...pick(WASM_BINARY, BinaryOp), rem: BinaryOp.rem };
const UNARY_CODES: Partial<Record<UnaryPrim, number>> = pick(WASM_UNARY, UnaryOp);

function pick<K extends string>(keys: Record<K, unknown>, codes: Record<string, number>): Partial<Record<K, number>> {
  return Object.fromEntries(Object.keys(keys).map((k) => [k, codes[k]!])) as Partial<Record<K, number>>;
}

const isCompare = (p: string): p is ComparePrim => p in CompareOp;
const f32OrBool = (a: Atom) => a.aval.dtype === "float32" || a.aval.dtype === "bool";

/** Whether one equation has a fused instruction form (dtypes float32 and bool only). */
function supported(e: JaxprEqn): boolean {
  if (!e.inputs.every(f32OrBool) || !e.outBinders.every(f32OrBool)) return false;
  const out = e.outBinders[0]!.aval.dtype;
  const p = e.prim;
  if (p === "broadcast_in_dim") return broadcastBlock(e) !== null;
  if (p === "select_n") return e.inputs.length === 3 && e.inputs[0]!.aval.dtype === "bool";
  if (p === "convert_element_type" || p === "stop_gradient" || isCompare(p)) return true;
  if (p === "not") return out === "bool";
  if (p === "and" || p === "or" || p === "xor") return out === "bool";
  return out === "float32" && ((p in UNARY_CODES) || (p in BINARY_CODES));
}

/** A value's home while the program runs: a slot index, and whether it holds bytes (a bool array) or f32. */
type Home = { slot: number; u8: boolean };

/** How the host fills a slot before each chunk. */
type SlotKind =
  | { kind: "register" }
  | { kind: "input"; index: number; u8: boolean } // a full-size input, staged chunk by chunk
  | { kind: "fixed"; index: number } // a broadcast source or 0-d input, staged once as f32
  | { kind: "output"; index: number; u8: boolean };

/** Builds the instruction list and slot table of one group. */
class ProgramBuilder {
  readonly words: number[] = [];
  readonly slots: SlotKind[] = [];
  readonly inputs: Atom[] = [];
  private readonly free: number[] = [];
  private readonly constants = new Map<number, number>();
  private readonly pinned = new Set<number>();

  emit(op: number, dst: number, a = 0, b = 0, c = 0, imm = 0): void {
    this.words.push(op, dst, a, b, c, imm);
  }

  register(): number {
    return this.free.pop() ?? this.slots.push({ kind: "register" }) - 1;
  }

  release(slot: number): void {
    if (this.slots[slot]!.kind === "register" && !this.pinned.has(slot)) this.free.push(slot);
  }

  /** A register holding the f32 with these bits: one per distinct constant, filled once (the kernel's FILL runs in the first block only). */
  constant(bits: number): number {
    let slot = this.constants.get(bits);
    if (slot === undefined) {
      slot = this.slots.push({ kind: "register" }) - 1;
      this.constants.set(bits, slot);
      this.pinned.add(slot);
      this.emit(FusedOp.fill, slot, 0, 0, 0, bits);
    }
    return slot;
  }

  input(a: Atom, kind: "input" | "fixed"): number {
    const index = this.inputs.push(a) - 1;
    return this.slots.push(kind === "input" ? { kind, index, u8: a.aval.dtype === "bool" } : { kind, index }) - 1;
  }

  output(index: number, u8: boolean): number {
    return this.slots.push({ kind: "output", index, u8 }) - 1;
  }
}

/** The f32 bit pattern of a literal (booleans as 0/1). */
function literalBits(l: Lit): number {
  const v = Number((l.val as { item(): number | boolean }).item());
  return new Int32Array(new Float32Array([v]).buffer)[0]!;
}

/** Translate a group; null when some equation has no instruction form. */
function compile(eqns: readonly JaxprEqn[], outputs: readonly Var[]): { b: ProgramBuilder; outSlots: number[] } | null {
  if (!eqns.every(supported)) return null;
  const b = new ProgramBuilder();
  const home = new Map<Atom, Home>();
  const lastUse = new Map<Atom, number>();
  eqns.forEach((e, i) => e.inputs.forEach((a) => lastUse.set(a, i)));
  const outIndex = new Map<Var, number>(outputs.map((v, i) => [v, i]));
  const outSlots: number[] = outputs.map(() => -1);

  // Where an operand is read from as f32: full f32 inputs in place, bool inputs and literals via a register.
  const read = (a: Atom): number => {
    const h = home.get(a);
    if (h) return h.slot;
    let slot: number;
    if (a instanceof Lit) {
      slot = b.constant(literalBits(a));
    } else if (a.aval.dtype === "bool") {
      const src = b.input(a, "input");
      slot = b.register();
      b.emit(FusedOp.loadU8, slot, src);
    } else slot = b.input(a, "input");
    home.set(a, { slot, u8: false });
    return slot;
  };
  // Where an equation's result goes: straight into its output array when it is f32 and used outside.
  const target = (v: Var): number => {
    const k = outIndex.get(v);
    if (k !== undefined && v.aval.dtype === "float32") return (outSlots[k] = b.output(k, false));
    return b.register();
  };
  const finish = (v: Var, slot: number) => {
    home.set(v, { slot, u8: false });
    const k = outIndex.get(v);
    if (k === undefined || outSlots[k]! >= 0) return;
    // A bool result, or an alias of another value, still needs its own output array.
    const u8 = v.aval.dtype === "bool";
    outSlots[k] = b.output(k, u8);
    b.emit(u8 ? FusedOp.storeU8 : FusedOp.copy, outSlots[k]!, slot);
  };
  const zeroRegister = () => b.constant(0);

  eqns.forEach((e, i) => {
    const out = e.outBinders[0]!;
    const p = e.prim;
    if (p === "stop_gradient" || (p === "convert_element_type" && (out.aval.dtype === "float32" || e.inputs[0]!.aval.dtype === "bool"))) {
      // Same f32 value (bool → f32 is already 0/1 in a register).
      finish(out, read(e.inputs[0]!));
    } else if (p === "broadcast_in_dim") {
      const blk = broadcastBlock(e)!;
      const src = e.inputs[0]!;
      // A constant is a register of its own; finish copies it out if it is needed outside.
      const d = src instanceof Lit ? b.constant(literalBits(src)) : target(out);
      if (!(src instanceof Lit)) b.emit(FusedOp.broadcast, d, b.input(src, "fixed"), blk.inner, blk.size);
      finish(out, d);
    } else {
      const ins = e.inputs.map(read);
      const d = target(out);
      if (p === "convert_element_type") b.emit(FusedOp.compare, d, ins[0]!, zeroRegister(), 0, CompareOp.ne);
      else if (p === "not") b.emit(FusedOp.compare, d, ins[0]!, zeroRegister(), 0, CompareOp.eq);
      else if (p === "and" || p === "or") b.emit(FusedOp.binary, d, ins[0]!, ins[1]!, 0, p === "and" ? BinaryOp.min : BinaryOp.max);
      else if (p === "xor") b.emit(FusedOp.compare, d, ins[0]!, ins[1]!, 0, CompareOp.ne);
      else if (p === "select_n") b.emit(FusedOp.select, d, ins[0]!, ins[1]!, ins[2]!);
      else if (isCompare(p)) b.emit(FusedOp.compare, d, ins[0]!, ins[1]!, 0, CompareOp[p]);
      else if (p in UNARY_CODES) b.emit(FusedOp.unary, d, ins[0]!, 0, 0, UNARY_CODES[p as UnaryPrim]!);
      else b.emit(FusedOp.binary, d, ins[0]!, ins[1]!, 0, BINARY_CODES[p as BinaryPrim]!);
      finish(out, d);
    }
    // Registers whose value is read for the last time here are free for later results.
    for (const a of new Set(e.inputs)) {
      const h = home.get(a);
      if (h && lastUse.get(a) === i && !outIndex.has(a as Var) && !eqnAliases(home, a, h.slot)) b.release(h.slot);
    }
  });
  return { b, outSlots };
}

/** Whether another live value shares slot `slot` with `a` (aliases from stop_gradient/convert). */
function eqnAliases(home: Map<Atom, Home>, a: Atom, slot: number): boolean {
  for (const [v, h] of home) if (v !== a && h.slot === slot) return true;
  return false;
}

/** Whether `e` computes a transcendental (its kernel approximates; the arithmetic is exact IEEE). */
const isMath = (e: JaxprEqn) =>
  (WASM_UNARY as Record<string, string>)[e.prim] === "math" || (WASM_BINARY as Record<string, string>)[e.prim] === "math" || e.prim === "rem";

/**
 * The wasm backend's fused-group compiler: float32/bool equations of at least MIN_ELEMENTS elements;
 * transcendentals only at sizes where the eager backend uses the same kernels (`elementwiseMath`), so
 * a fused result always equals the eager one. Programs on host arrays are staged through `host`
 * (a threaded backend's unshared module), programs on arena addresses run in `ctx`.
 */
export function wasmFusedCompiler(ctx: WasmContext, t: WasmThresholds, host: WasmContext = ctx): FusedCompiler {
  const accepts = (e: JaxprEqn) => {
    const size = e.outBinders[0]?.aval.size ?? 0;
    return size >= MIN_ELEMENTS && (!isMath(e) || size >= t.elementwiseMath) && supported(e);
  };
  const compileGroup = (eqns: readonly JaxprEqn[], outputs: readonly Var[]): CompiledFusion | null => {
    const compiled = compile(eqns, outputs);
    if (!compiled) return null;
    const { b, outSlots } = compiled;
    const prog = Int32Array.from(b.words);
    const count = prog.length / FusedLayout.instrWords;
    // On device memory the program reads its operands in place; a broadcast source must be f32 there.
    const deviceOk = b.slots.every((s) => s.kind !== "fixed" || b.inputs[s.index]!.aval.dtype === "float32");
    return {
      inputs: b.inputs,
      run: (ins, outs, n) => withArena(host, () => runProgram(host, b.slots, prog, count, outSlots, ins, outs, n)),
      ...(deviceOk ? { runDevice: (ins: readonly number[], outs: readonly number[], n: number) => withArena(ctx, () => runInPlace(ctx, b.slots, prog, count, outSlots, ins, outs, n)) } : {}),
    };
  };
  return { accepts, compile: compileGroup };
}

/** Run the program once over operands already in wasm memory at the given addresses (a jit plan's arena). */
function runInPlace(
  ctx: WasmContext, slots: readonly SlotKind[], prog: Int32Array, count: number, outSlots: readonly number[],
  ins: readonly number[], outs: readonly number[], n: number,
): void {
  const a = ctx.arena;
  const table = new Uint32Array(slots.length * FusedLayout.slotWords);
  const outAt = new Map(outSlots.map((slot, k) => [slot, outs[k]!]));
  slots.forEach((s, i) => {
    const step = s.kind === "input" || s.kind === "output" ? (s.u8 ? 1 : 4) : 0;
    table[i * 3] = s.kind === "register" ? a.alloc(FusedLayout.block * 4) : s.kind === "output" ? outAt.get(i)! : ins[s.index]!;
    table[i * 3 + 1] = step;
  });
  const pTable = a.putI32(new Int32Array(table.buffer));
  checkStatus("jit fused elementwise", ctx.k.fused_f32(a.putI32(prog), count, pTable, slots.length, n, 0));
}

/** Stage, run and unstage the program chunk by chunk. */
function runProgram(
  ctx: WasmContext, slots: readonly SlotKind[], prog: Int32Array, count: number, outSlots: readonly number[],
  ins: ArrayLike<number>[], outs: { [i: number]: number }[], n: number,
): void {
  const a = ctx.arena;
  const chunk = Math.min(n, CHUNK);
  const pProg = a.putI32(prog);
  const table = new Uint32Array(slots.length * FusedLayout.slotWords);
  const bases = slots.map((s, i) => {
    const bytes = s.kind === "register" ? FusedLayout.block * 4
      : s.kind === "fixed" ? (ins[s.index] as ArrayLike<number>).length * 4
      : chunk * (s.u8 ? 1 : 4);
    const p = a.alloc(bytes);
    table[i * 3] = p;
    table[i * 3 + 1] = s.kind === "input" || s.kind === "output" ? (s.u8 ? 1 : 4) : 0;
    return p;
  });
  const pTable = a.putI32(new Int32Array(table.buffer));
  // Broadcast sources and 0-d inputs go in once, widened to f32 (bools as 0/1).
  slots.forEach((s, i) => {
    if (s.kind === "fixed") {
      const src = ins[s.index]!;
      a.f32(bases[i]!, src.length).set(src);
    }
  });
  // One view of each width over the whole memory, taken after the last allocation (memory no longer grows).
  const buf = ctx.k.memory.buffer;
  const f32 = new Float32Array(buf);
  const u8 = new Uint8Array(buf);
  const staged = slots.flatMap((s, i) => (s.kind === "input" ? [{ src: ins[s.index] as Float32Array | Uint8Array, at: bases[i]!, u8: s.u8 }] : []));
  const unstaged = outSlots.map((slot, k) => {
    const s = slots[slot] as { u8: boolean };
    return { dst: outs[k] as Float32Array | Uint8Array, at: bases[slot]!, u8: s.u8 };
  });
  for (let i0 = 0; i0 < n; i0 += chunk) {
    const len = Math.min(chunk, n - i0);
    for (const s of staged) (s.u8 ? u8 : f32).set(s.src.subarray(i0, i0 + len), s.u8 ? s.at : s.at >> 2);
    checkStatus("jit fused elementwise", ctx.k.fused_f32(pProg, count, pTable, slots.length, len, i0));
    for (const o of unstaged) o.dst.set(o.u8 ? u8.subarray(o.at, o.at + len) : f32.subarray(o.at >> 2, (o.at >> 2) + len), i0);
  }
}
