/**
 * Serialised ONNX models for the benchmark graphs, written with a minimal protobuf encoder so the
 * onnxruntime system needs neither the `onnx` Python package nor committed model files. Field numbers
 * are those of onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto, TypeProto); only what these graphs use is encoded.
 */

/** A protobuf message under construction: its encoded fields, in order. */
class Message {
  private readonly parts: number[] = [];

  private varint(v: number): void {
    // Values here are non-negative and below 2^53, so plain arithmetic stays exact.
    while (v >= 0x80) {
      this.parts.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.parts.push(v);
  }

  /** A varint field (wire type 0): ints, enums. */
  int(field: number, v: number): this {
    this.varint(field * 8);
    this.varint(v);
    return this;
  }

  /** A length-delimited field (wire type 2) holding raw bytes. */
  bytes(field: number, b: Uint8Array | readonly number[]): this {
    this.varint(field * 8 + 2);
    this.varint(b.length);
    for (const x of b) this.parts.push(x);
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  /** An embedded message field. */
  message(field: number, m: Message): this {
    return this.bytes(field, m.encode());
  }

  /** A packed repeated float field. */
  floats(field: number, vs: readonly number[]): this {
    return this.bytes(field, new Uint8Array(Float32Array.from(vs).buffer));
  }

  /** The encoded message. */
  encode(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** ONNX TensorProto.DataType.FLOAT. */
const FLOAT = 1;
/** ONNX AttributeProto.AttributeType values used below. */
const ATTR_INT = 2, ATTR_INTS = 7;

/** An attribute of a node: an int or a list of ints. */
export type Attribute = { name: string; int: number } | { name: string; ints: readonly number[] };

/** One node of the graph: an ONNX operator from the default domain. */
export type Node = { op: string; inputs: readonly string[]; output: string; attributes?: readonly Attribute[] };

/** A float32 graph: named inputs with static shapes, scalar float constants, nodes in order, one output. */
export type Graph = {
  inputs: readonly { name: string; shape: readonly number[] }[];
  constants?: readonly { name: string; value: number }[];
  nodes: readonly Node[];
  output: string;
};

function valueInfo(name: string, shape?: readonly number[]): Message {
  const tensor = new Message().int(1, FLOAT);
  if (shape) tensor.message(2, shape.reduce((s, d) => s.message(1, new Message().int(1, d)), new Message()));
  return new Message().string(1, name).message(2, new Message().message(1, tensor));
}

function attribute(a: Attribute): Message {
  const m = new Message().string(1, a.name);
  if ("int" in a) return m.int(3, a.int).int(20, ATTR_INT);
  for (const v of a.ints) m.int(8, v);
  return m.int(20, ATTR_INTS);
}

/** The ModelProto bytes of `g` at opset 13 (IR version 7), ready for InferenceSession.create. */
export function onnxModel(g: Graph): Uint8Array {
  const graph = new Message();
  g.nodes.forEach((n, i) => {
    const node = new Message();
    for (const x of n.inputs) node.string(1, x);
    node.string(2, n.output).string(3, `n${i}`).string(4, n.op);
    for (const a of n.attributes ?? []) node.message(5, attribute(a));
    graph.message(1, node);
  });
  graph.string(2, "bench");
  // Scalars: a TensorProto with no dims, data_type FLOAT, float_data, name.
  for (const c of g.constants ?? []) graph.message(5, new Message().int(2, FLOAT).floats(4, [c.value]).string(8, c.name));
  for (const x of g.inputs) graph.message(11, valueInfo(x.name, x.shape));
  graph.message(12, valueInfo(g.output));
  return new Message()
    .int(1, 7)
    .string(2, "fluxion-bench")
    .message(7, graph)
    .message(8, new Message().string(1, "").int(2, 13))
    .encode();
}
