/**
 * Reading a TensorFlow.js graph model's model.json (the GraphDef that tensorflowjs_converter
 * writes from a SavedModel, e.g. after PyTorch → ONNX → TensorFlow): its nodes, attributes and
 * signature. Pure JSON walking, no tfjs: shared by the loader (core/model/graph-model.ts) and
 * the import inspection (graph-inspect.ts).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { RadLocalError } from '../errors/radlocal-error.ts';

export interface GraphAttr {
  b?: boolean;
  i?: string;
  f?: number;
  /** base64 of the UTF-8 string. */
  s?: string;
  type?: string;
  list?: { s?: string[]; i?: string[] };
  shape?: { dim?: Array<{ size?: string }>; unknownRank?: boolean };
}

export interface GraphNodeDef {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, GraphAttr>;
}

export interface SignatureEntry {
  name: string;
  dtype?: string;
  tensorShape?: { dim?: Array<{ size?: string }> };
}

export interface GraphSignature {
  inputs?: Record<string, SignatureEntry>;
  outputs?: Record<string, SignatureEntry>;
}

/** The parts of a graph model.json RadLocal reads (tfjs reads the rest). */
export interface GraphModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: { node: GraphNodeDef[]; library?: unknown; versions?: unknown };
  weightsManifest: tf.io.WeightsManifestConfig;
  signature?: GraphSignature;
  userDefinedMetadata?: Record<string, unknown> & { signature?: GraphSignature };
  modelInitializer?: unknown;
}

/** True for a converter's graph model (format, or a GraphDef node list), false for a layers model. */
export function isGraphModelJson(json: unknown): json is GraphModelJson {
  if (typeof json !== 'object' || json === null) return false;
  const j = json as { format?: unknown; modelTopology?: { node?: unknown } };
  return j.format === 'graph-model' || Array.isArray(j.modelTopology?.node);
}

/**
 * Parses and checks a graph model.json.
 * @throws RadLocalError MODEL_LOAD_FAILED when it is not JSON or not a graph model.
 */
export function parseGraphModelJson(bytes: Uint8Array, where: string): GraphModelJson {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new RadLocalError('MODEL_LOAD_FAILED', `The model file "${where}" is not valid JSON: ${(error as Error).message}.`, { cause: error });
  }
  if (!isGraphModelJson(json) || !Array.isArray((json as GraphModelJson).weightsManifest)) {
    throw new RadLocalError(
      'MODEL_LOAD_FAILED',
      `Expected "${where}" to be a TensorFlow.js graph model (format "graph-model", a GraphDef node list and a weightsManifest), but it is not.`,
    );
  }
  return json;
}

/** The serving signature: top level, or where some converters put it (userDefinedMetadata), as tfjs reads it. */
export function graphSignature(json: GraphModelJson): GraphSignature | undefined {
  const signature = json.userDefinedMetadata?.signature ?? json.signature;
  if (!signature || (Object.keys(signature.inputs ?? {}).length === 0 && Object.keys(signature.outputs ?? {}).length === 0)) return undefined;
  return signature;
}

/** "name:0" / "^name" → "name". */
export function nodeNameOf(tensorName: string): string {
  return tensorName.replace(/^\^/, '').replace(/:\d+$/, '');
}

/** Dimension sizes of a shape attribute or signature entry; -1 for unknown. */
export function dimsOf(shape: { dim?: Array<{ size?: string }> } | undefined): number[] | undefined {
  if (!shape?.dim) return undefined;
  return shape.dim.map((d) => Number(d.size ?? -1));
}

/** Strings of a list attribute (base64 in the JSON), e.g. a fused op's `fused_ops`. */
export function stringListAttr(node: GraphNodeDef, key: string): string[] {
  return (node.attr?.[key]?.list?.s ?? []).map((s) => base64Text(s));
}

function base64Text(s: string): string {
  const binary = atob(s);
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** Node lookup by name, and data inputs (control inputs "^x" left out). */
export class GraphIndex {
  readonly nodes: ReadonlyMap<string, GraphNodeDef>;

  constructor(json: GraphModelJson) {
    this.nodes = new Map(json.modelTopology.node.map((n) => [n.name, n]));
  }

  get(name: string): GraphNodeDef | undefined {
    return this.nodes.get(nodeNameOf(name));
  }

  inputs(node: GraphNodeDef): GraphNodeDef[] {
    return (node.input ?? []).filter((i) => !i.startsWith('^')).flatMap((i) => this.get(i) ?? []);
  }

  /** The inputs that are not constants (weights, shapes, axes). */
  dataInputs(node: GraphNodeDef): GraphNodeDef[] {
    return this.inputs(node).filter((n) => n.op !== 'Const');
  }

  /** Follows Identity nodes (what the converter puts after a signature output) to the op that computes the value. */
  throughIdentity(node: GraphNodeDef): GraphNodeDef {
    let current = node;
    for (let i = 0; i < 64 && (current.op === 'Identity' || current.op === 'IdentityN'); i++) {
      const next = this.dataInputs(current)[0];
      if (!next) break;
      current = next;
    }
    return current;
  }
}
