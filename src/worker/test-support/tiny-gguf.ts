import { writeFileSync } from "node:fs";
import { seededRandom } from "@/lib/seeded-random";

/**
 * Writes a tiny llama-architecture GGUF file with random F32 weights, so the GGUF engine can be tested (and
 * benchmarked) for real without downloading a model. The tokenizer is SentencePiece-style ("llama"): `<unk> <s> </s>`,
 * the 256 byte-fallback tokens, `▁` and the printable ASCII characters — any text tokenizes. Format:
 * https://github.com/ggml-org/ggml/blob/master/docs/gguf.md (version 3, little-endian, 32-byte aligned data).
 */
export type TinyLlamaOptions = {
  embedding?: number;
  layers?: number;
  heads?: number;
  feedForward?: number;
  contextLength?: number;
  seed?: number;
};

const enum GgufType {
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
}

const ALIGNMENT = 32;

class Writer {
  private chunks: Buffer[] = [];
  length = 0;
  private push(buffer: Buffer) {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }
  i32(value: number) {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.push(b);
  }
  u64(value: number) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  f32(value: number) {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }
  string(value: string) {
    const bytes = Buffer.from(value, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }
  bytes(buffer: Buffer) {
    this.push(buffer);
  }
  pad() {
    const rest = this.length % ALIGNMENT;
    if (rest) this.push(Buffer.alloc(ALIGNMENT - rest));
  }
  toBuffer() {
    return Buffer.concat(this.chunks);
  }
}

type Value =
  | { kind: "u32"; value: number }
  | { kind: "f32"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "string"; value: string }
  | { kind: "strings"; value: string[] }
  | { kind: "f32s" | "i32s"; value: number[] };

function writeValue(w: Writer, v: Value) {
  if (v.kind === "u32") {
    w.u32(GgufType.Uint32);
    w.u32(v.value);
  } else if (v.kind === "f32") {
    w.u32(GgufType.Float32);
    w.f32(v.value);
  } else if (v.kind === "bool") {
    w.u32(GgufType.Bool);
    w.bytes(Buffer.from([v.value ? 1 : 0]));
  } else if (v.kind === "string") {
    w.u32(GgufType.String);
    w.string(v.value);
  } else if (v.kind === "strings") {
    w.u32(GgufType.Array);
    w.u32(GgufType.String);
    w.u64(v.value.length);
    for (const item of v.value) w.string(item);
  } else {
    w.u32(GgufType.Array);
    w.u32(v.kind === "f32s" ? GgufType.Float32 : GgufType.Int32);
    w.u64(v.value.length);
    for (const item of v.value) {
      if (v.kind === "f32s") w.f32(item);
      else w.i32(item);
    }
  }
}

/** Deterministic small normal-ish weights (sum of uniforms), so every run builds the same model. */
function randomWeights(count: number, scale: number, random: () => number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (random() + random() + random() - 1.5) * scale;
  return out;
}

export function tinyLlamaVocabulary(): { tokens: string[]; types: number[]; scores: number[] } {
  const tokens = ["<unk>", "<s>", "</s>"];
  const types = [2, 3, 3]; // unknown, control, control
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(6); // byte
  }
  tokens.push("▁");
  for (let code = 0x21; code <= 0x7e; code++) tokens.push(String.fromCharCode(code));
  while (types.length < tokens.length) types.push(1); // normal
  return { tokens, types, scores: tokens.map((_, i) => (i < 259 ? 0 : -i)) };
}

export function writeTinyLlamaGguf(path: string, options: TinyLlamaOptions = {}): { bytes: number; vocabulary: number } {
  const embedding = options.embedding ?? 32;
  const layers = options.layers ?? 1;
  const heads = options.heads ?? 4;
  const feedForward = options.feedForward ?? embedding * 2;
  const random = seededRandom(options.seed ?? 1234);
  const { tokens, types, scores } = tinyLlamaVocabulary();
  const vocabulary = tokens.length;

  const metadata: [string, Value][] = [
    ["general.architecture", { kind: "string", value: "llama" }],
    ["general.name", { kind: "string", value: "tiny-random-llama" }],
    ["general.file_type", { kind: "u32", value: 0 }], // all F32
    ["general.alignment", { kind: "u32", value: ALIGNMENT }],
    ["llama.context_length", { kind: "u32", value: options.contextLength ?? 512 }],
    ["llama.embedding_length", { kind: "u32", value: embedding }],
    ["llama.block_count", { kind: "u32", value: layers }],
    ["llama.feed_forward_length", { kind: "u32", value: feedForward }],
    ["llama.attention.head_count", { kind: "u32", value: heads }],
    ["llama.attention.head_count_kv", { kind: "u32", value: heads }],
    ["llama.attention.layer_norm_rms_epsilon", { kind: "f32", value: 1e-5 }],
    ["llama.rope.dimension_count", { kind: "u32", value: embedding / heads }],
    ["llama.vocab_size", { kind: "u32", value: vocabulary }],
    ["tokenizer.ggml.model", { kind: "string", value: "llama" }],
    ["tokenizer.ggml.tokens", { kind: "strings", value: tokens }],
    ["tokenizer.ggml.scores", { kind: "f32s", value: scores }],
    ["tokenizer.ggml.token_type", { kind: "i32s", value: types }],
    ["tokenizer.ggml.unknown_token_id", { kind: "u32", value: 0 }],
    ["tokenizer.ggml.bos_token_id", { kind: "u32", value: 1 }],
    ["tokenizer.ggml.eos_token_id", { kind: "u32", value: 2 }],
    ["tokenizer.ggml.add_bos_token", { kind: "bool", value: true }],
    ["tokenizer.ggml.add_eos_token", { kind: "bool", value: false }],
  ];

  // ggml dimension order: the first dimension is the innermost (a row of the matrix).
  const norm = (n: number) => new Float32Array(n).fill(1);
  const tensors: [string, number[], Float32Array][] = [
    ["token_embd.weight", [embedding, vocabulary], randomWeights(embedding * vocabulary, 0.5, random)],
    ["output_norm.weight", [embedding], norm(embedding)],
    ["output.weight", [embedding, vocabulary], randomWeights(embedding * vocabulary, 0.5, random)],
  ];
  for (let layer = 0; layer < layers; layer++) {
    const blk = `blk.${layer}`;
    const square = () => randomWeights(embedding * embedding, 0.2, random);
    tensors.push(
      [`${blk}.attn_norm.weight`, [embedding], norm(embedding)],
      [`${blk}.attn_q.weight`, [embedding, embedding], square()],
      [`${blk}.attn_k.weight`, [embedding, embedding], square()],
      [`${blk}.attn_v.weight`, [embedding, embedding], square()],
      [`${blk}.attn_output.weight`, [embedding, embedding], square()],
      [`${blk}.ffn_norm.weight`, [embedding], norm(embedding)],
      [`${blk}.ffn_gate.weight`, [embedding, feedForward], randomWeights(embedding * feedForward, 0.2, random)],
      [`${blk}.ffn_up.weight`, [embedding, feedForward], randomWeights(embedding * feedForward, 0.2, random)],
      [`${blk}.ffn_down.weight`, [feedForward, embedding], randomWeights(embedding * feedForward, 0.2, random)],
    );
  }

  const w = new Writer();
  w.bytes(Buffer.from("GGUF", "ascii"));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(metadata.length);
  for (const [key, value] of metadata) {
    w.string(key);
    writeValue(w, value);
  }
  let offset = 0;
  const aligned = (n: number) => Math.ceil(n / ALIGNMENT) * ALIGNMENT;
  for (const [name, dims, data] of tensors) {
    w.string(name);
    w.u32(dims.length);
    for (const dim of dims) w.u64(dim);
    w.u32(0); // F32
    w.u64(offset);
    offset = aligned(offset + data.byteLength);
  }
  w.pad();
  for (const [, , data] of tensors) {
    w.bytes(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    w.pad();
  }
  const buffer = w.toBuffer();
  writeFileSync(path, buffer);
  return { bytes: buffer.length, vocabulary };
}
