/** The IR: jaxprs (JAX's typed, first-order, A-normal-form programs) and their pretty-printer. */
import { P, match } from "ts-pattern";
import type { NdArray } from "../array.js";
import type { ShapedArray } from "../aval.js";
import type { PrimName, PrimParams } from "../primitives.js";

let varCount = 0;

/** A variable of a jaxpr, with its abstract value. */
export class Var {
  readonly id = varCount++;
  constructor(readonly aval: ShapedArray) {}
}

/** A literal scalar inlined into an equation (a 0-d concrete constant). */
export class Lit {
  constructor(readonly val: NdArray) {}
  /** Its abstract value. */
  get aval(): ShapedArray {
    return this.val.aval;
  }
}

/** An equation input. */
export type Atom = Var | Lit;

/** One equation: `outBinders = prim[params] inputs`. */
export type JaxprEqn<K extends PrimName = PrimName> = {
  readonly prim: K;
  readonly inputs: Atom[];
  readonly params: PrimParams[K];
  readonly outBinders: Var[];
};

/** A jaxpr: input binders, equations, outputs. Constants, when closed over, are the leading binders. */
export class Jaxpr {
  constructor(
    readonly inBinders: Var[],
    readonly eqns: JaxprEqn[],
    readonly outs: Atom[],
  ) {}

  /** JAX-style text: `{ lambda a:f32[3]; . let b:f32[3] = sin a in (b) }`. */
  toString(numConsts = 0): string {
    return printJaxpr(this, numConsts);
  }
}

/** A jaxpr with values for its leading `consts.length` binders. */
export type ClosedJaxpr = {
  readonly jaxpr: Jaxpr;
  readonly consts: NdArray[];
};

/** The jaxpr's input avals after its constants. */
export function closedInAvals(c: ClosedJaxpr): ShapedArray[] {
  return c.jaxpr.inBinders.slice(c.consts.length).map((v) => v.aval);
}

/** The jaxpr's output avals. */
export function closedOutAvals(c: ClosedJaxpr): ShapedArray[] {
  return c.jaxpr.outs.map((o) => o.aval);
}

function varNamer(): (v: Var) => string {
  const names = new Map<Var, string>();
  const letters = "abcdefghijklmnopqrstuvwxyz";
  return (v) => {
    let n = names.get(v);
    if (n === undefined) {
      let i = names.size;
      n = "";
      do {
        n = letters[i % 26] + n;
        i = Math.floor(i / 26) - 1;
      } while (i >= 0);
      names.set(v, n);
    }
    return n;
  };
}

function fmtParam(v: unknown): string {
  return match(v)
    .when(Array.isArray, (a: unknown[]) => (a.length === 1 ? `(${fmtParam(a[0])},)` : `(${a.map(fmtParam).join(",")})`))
    .with(P.instanceOf(Jaxpr), (j) => `{ ${j.eqns.length} eqns }`)
    .with(P.instanceOf(Function), (fn) => fn.name || "fn")
    .with({ jaxpr: P.instanceOf(Jaxpr) }, () => "{ closed jaxpr }")
    .when((x): x is object => typeof x === "object" && x !== null, (o) => `{${Object.entries(o).map(([k, w]) => `${k}=${fmtParam(w)}`).join(", ")}}`)
    .otherwise((x) => String(x));
}

function fmtLit(l: Lit): string {
  const x = l.val.item();
  return typeof x === "boolean" ? String(x) : l.val.dtype.startsWith("float") && Number.isInteger(x) ? `${x}.0` : String(x);
}

function printJaxpr(j: Jaxpr, numConsts: number): string {
  const name = varNamer();
  const atom = (a: Atom) => (a instanceof Lit ? fmtLit(a) : name(a));
  const binder = (v: Var) => `${name(v)}:${v.aval.str()}`;
  const consts = j.inBinders.slice(0, numConsts).map(binder).join(" ");
  const args = j.inBinders.slice(numConsts).map(binder).join(" ");
  const lines = j.eqns.map((e) => {
    const params = Object.entries(e.params as Record<string, unknown>);
    const p = params.length ? `[${params.map(([k, v]) => `${k}=${fmtParam(v)}`).join(" ")}]` : "";
    return `    ${e.outBinders.map(binder).join(" ")} = ${e.prim}${p} ${e.inputs.map(atom).join(" ")}`;
  });
  return `{ lambda ${consts}; ${args}. let\n${lines.join("\n")}\n  in (${j.outs.map(atom).join(", ")}) }`;
}
