#!/usr/bin/env python3
"""Times real training and inference steps of a GPT-style model with PyTorch on one GPU.

This is the end-to-end half of clustersim's calibration check (docs/calibration.md): the
micro-benchmarks (clustersim-calibrate) measure GEMMs, memory and launches; this script
measures whole steps of a model built from the same kind of kernels, so clustersim's
prediction for the same steps can be compared with reality.

The model has the shape of MPT-1B in models/catalog/mpt-1b.json (24 layers, hidden 2048,
16 heads, FFN 8192, GELU, vocabulary 50368, tied embeddings), pre-LayerNorm, no biases,
causal flash attention through F.scaled_dot_product_attention, eager PyTorch (no
torch.compile). Training: fp32 parameters, bf16 autocast, fused AdamW, sequence 2048, loss
over every token; one optimizer step per batch (no accumulation). Inference: bf16 weights,
prefill of a batch of prompts (logits of the last token only) and one decode step of a
batch against a KV cache of a given context, run eagerly and replayed as a CUDA graph.

Writes a JSON document (--out) with the environment, the model shape and, per case, the
median, p10 and p90 of the timed repetitions in seconds. Partial results are written after
every case, atomically, so a run cut short keeps what it measured.
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import traceback

MODEL = {"name": "mpt-1b", "layers": 24, "hidden": 2048, "heads": 16, "ffn_hidden": 8192, "vocab": 50368}


def build_model_classes():
    """The model classes; defined on demand so that --convert works without PyTorch."""
    global torch, nn, F, Block, GPT
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class Block(nn.Module):
        def __init__(self, hidden, heads, ffn):
            super().__init__()
            self.heads = heads
            self.head_dim = hidden // heads
            self.ln1 = nn.LayerNorm(hidden)
            self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
            self.proj = nn.Linear(hidden, hidden, bias=False)
            self.ln2 = nn.LayerNorm(hidden)
            self.fc1 = nn.Linear(hidden, ffn, bias=False)
            self.fc2 = nn.Linear(ffn, hidden, bias=False)

        def mlp(self, x):
            return self.fc2(F.gelu(self.fc1(self.ln2(x)), approximate="tanh"))

        def forward(self, x):
            b, t, h = x.shape
            q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            x = x + self.proj(y.transpose(1, 2).reshape(b, t, h))
            return x + self.mlp(x)

        def decode(self, x, kcache, vcache, pos):
            # x: (b, 1, h); caches: (b, heads, max_len, head_dim); pos: position of the new token.
            b, _, h = x.shape
            q, k, v = self.qkv(self.ln1(x)).view(b, 1, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
            kcache[:, :, pos : pos + 1] = k
            vcache[:, :, pos : pos + 1] = v
            y = F.scaled_dot_product_attention(q, kcache[:, :, : pos + 1], vcache[:, :, : pos + 1])
            x = x + self.proj(y.transpose(1, 2).reshape(b, 1, h))
            return x + self.mlp(x)


    class GPT(nn.Module):
        def __init__(self, m):
            super().__init__()
            self.embed = nn.Embedding(m["vocab"], m["hidden"])
            self.blocks = nn.ModuleList(Block(m["hidden"], m["heads"], m["ffn_hidden"]) for _ in range(m["layers"]))
            self.ln_f = nn.LayerNorm(m["hidden"])

        def logits(self, x):
            return F.linear(self.ln_f(x), self.embed.weight)  # tied embeddings

        def forward(self, tokens):
            x = self.embed(tokens)
            for blk in self.blocks:
                x = blk(x)
            return self.logits(x)

        def prefill(self, tokens):
            x = self.embed(tokens)
            for blk in self.blocks:
                x = blk(x)
            return self.logits(x[:, -1:])

        def decode(self, tokens, kcaches, vcaches, pos):
            x = self.embed(tokens)
            for blk, kc, vc in zip(self.blocks, kcaches, vcaches):
                x = blk.decode(x, kc, vc, pos)
            return self.logits(x)

    globals().update(torch=torch, nn=nn, F=F, Block=Block, GPT=GPT)


def timed(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / 1e3)
    times.sort()
    return {
        "median_s": statistics.median(times),
        "p10_s": times[max(0, int(0.1 * (len(times) - 1)))],
        "p90_s": times[int(0.9 * (len(times) - 1) + 0.5)],
        "repetitions": reps,
        "samples_s": times,
    }


def graph_timed(fn, warmup, reps):
    """Captures fn once as a CUDA graph and times its replays (no host launch cost)."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            fn()
    torch.cuda.current_stream().wait_stream(side)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        fn()
    r = timed(g.replay, warmup, reps)
    del g
    return r


def nvidia_smi():
    try:
        q = "name,driver_version,clocks.max.sm,clocks.max.mem,power.limit,temperature.gpu"
        return subprocess.run(["nvidia-smi", f"--query-gpu={q}", "--format=csv,noheader"], capture_output=True,
                              text=True, timeout=20).stdout.strip()
    except Exception as e:  # noqa: BLE001 - informative only
        return f"unavailable: {e}"


def write(doc, path):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def records(doc):
    """The measurements as validation records (`clustersim validate FILE --kind e2e`).

    One record per case; `measured.step_s` is the median step time. Training steps and the
    eager prefill are timed as PyTorch runs them; decode and prefill are also replayed as
    CUDA graphs, which removes the host's per-kernel launch cost, as serving engines do.
    """
    gpu = doc.get("gpu", "")
    base = {"gpu": gpu, "model": doc["model"]["name"], "framework": f"PyTorch {doc.get('torch', '?')} eager"}
    src = {"ref": "clustersim calibration/pytorch/e2e_steps.py run of " + doc.get("date", "?") + " on " + gpu,
           "locator": doc.get("nvidia_smi", "")}
    out = []

    def rec(rid, phase, cfg, timing, extra=None):
        m = {"step_s": timing["median_s"], "p10_s": timing["p10_s"], "p90_s": timing["p90_s"]}
        if extra:
            m.update(extra)
        out.append({"id": rid, "kind": "e2e_step", "source": src, "config": dict(base, phase=phase, **cfg),
                    "measured": m})

    for t in doc.get("training", []):
        rec(f"train.b{t['batch']}.s{t['seq_len']}", "training",
            {"batch": t["batch"], "seq_len": t["seq_len"], "precision": "bf16 autocast, fp32 parameters",
             "optimizer": "AdamW (fused)", "recompute": "none"}, t,
            {"peak_allocated_bytes": t.get("peak_allocated_bytes")})
    for p in doc.get("prefill", []):
        if "median_s" in p:  # first runs timed prefill eagerly only
            p = dict(p, eager={k: p[k] for k in ("median_s", "p10_s", "p90_s")})
        for mode in ("eager", "cuda_graph"):
            if mode in p:
                rec(f"prefill.b{p['batch']}.t{p['prompt_len']}.{mode}", "prefill",
                    {"batch": p["batch"], "prompt_len": p["prompt_len"], "timing": mode, "precision": "bf16"}, p[mode])
    for d in doc.get("decode", []):
        for mode in ("eager", "cuda_graph"):
            if mode in d:
                rec(f"decode.b{d['batch']}.ctx{d['context']}.{mode}", "decode",
                    {"batch": d["batch"], "context": d["context"], "timing": mode, "precision": "bf16"}, d[mode])
    return out


def validation_document(doc, raw_name):
    """The records in the format of published.json, for `clustersim validate --kind e2e`."""
    return {
        "title": f"PyTorch step times of {doc['model']['name']} on {doc.get('gpu', '?')} (clustersim end-to-end check)",
        "schema": "records of kind e2e_step: config (gpu, model, phase, batch, seq_len | prompt_len | context, "
                  "timing), measured.step_s = median seconds per step",
        "conventions": f"raw samples in {raw_name}; method: {doc.get('method', '')}",
        "records": records(doc),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--train-batches", default="1,2,4,8")
    ap.add_argument("--seq", type=int, default=2048)
    ap.add_argument("--prefill", default="1x512,1x2048,4x2048,8x2048,32x512", help="batch x prompt length")
    ap.add_argument("--decode", default="1x512,1x2048,16x2048,64x2048,128x1024,256x512", help="batch x context")
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--convert", metavar="RAW", help="only rewrite the records of an earlier run's output (no GPU)")
    a = ap.parse_args()
    if a.convert:
        with open(a.convert) as f:
            doc = json.load(f)
        write(validation_document(doc, os.path.basename(a.convert)), a.out)
        return 0

    build_model_classes()
    torch.backends.cuda.matmul.allow_tf32 = True
    dev = torch.device("cuda")
    props = torch.cuda.get_device_properties(dev)
    doc = {
        "kind": "pytorch_e2e_steps",
        "schema_version": 1,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "gpu": torch.cuda.get_device_name(dev),
        "sm_count": props.multi_processor_count,
        "memory_bytes": props.total_memory,
        "nvidia_smi": nvidia_smi(),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "python": sys.version.split()[0],
        "model": MODEL,
        "method": "eager PyTorch; CUDA events; median of the timed repetitions after warm-up",
        "training": [],
        "prefill": [],
        "decode": [],
        "errors": [],
    }
    torch.manual_seed(0)

    # Training steps
    try:
        model = GPT(MODEL).to(dev)
        doc["model"]["parameters"] = sum(p.numel() for p in model.parameters())
        opt = torch.optim.AdamW(model.parameters(), lr=1e-4, fused=True)
        for b in [int(x) for x in a.train_batches.split(",")]:
            try:
                tokens = torch.randint(0, MODEL["vocab"], (b, a.seq + 1), device=dev)

                def step():
                    opt.zero_grad(set_to_none=True)
                    with torch.autocast("cuda", dtype=torch.bfloat16):
                        logits = model(tokens[:, :-1])
                    loss = F.cross_entropy(logits.float().view(-1, MODEL["vocab"]), tokens[:, 1:].reshape(-1))
                    loss.backward()
                    opt.step()

                torch.cuda.reset_peak_memory_stats()
                r = timed(step, a.warmup, a.reps)
                r.update({"batch": b, "seq_len": a.seq, "peak_allocated_bytes": torch.cuda.max_memory_allocated()})
                doc["training"].append(r)
                print(f"train b={b} s={a.seq}: {r['median_s']*1e3:.2f} ms", flush=True)
            except Exception:  # keep going: a batch that does not fit is recorded
                doc["errors"].append({"case": f"train b={b}", "error": traceback.format_exc(limit=3)})
                torch.cuda.empty_cache()
            write(doc, a.out)
        del model, opt
    except Exception:
        doc["errors"].append({"case": "training", "error": traceback.format_exc(limit=5)})
    torch.cuda.empty_cache()

    # Inference: prefill and decode with bf16 weights
    try:
        model = GPT(MODEL).to(dev, dtype=torch.bfloat16).eval()
        with torch.no_grad():
            for case in a.prefill.split(","):
                b, t = (int(x) for x in case.split("x"))
                try:
                    tokens = torch.randint(0, MODEL["vocab"], (b, t), device=dev)
                    fn = lambda: model.prefill(tokens)  # noqa: E731
                    eager = timed(fn, a.warmup, a.reps)
                    graph = graph_timed(fn, a.warmup, a.reps)
                    doc["prefill"].append({"batch": b, "prompt_len": t, "eager": eager, "cuda_graph": graph})
                    print(f"prefill b={b} t={t}: eager {eager['median_s']*1e3:.3f} ms, graph "
                          f"{graph['median_s']*1e3:.3f} ms", flush=True)
                except Exception:
                    doc["errors"].append({"case": f"prefill {case}", "error": traceback.format_exc(limit=3)})
                write(doc, a.out)
            hd = MODEL["hidden"] // MODEL["heads"]
            for case in a.decode.split(","):
                b, ctx = (int(x) for x in case.split("x"))
                try:
                    shape = (b, MODEL["heads"], ctx + 1, hd)
                    kc = [torch.randn(shape, device=dev, dtype=torch.bfloat16) for _ in range(MODEL["layers"])]
                    vc = [torch.randn(shape, device=dev, dtype=torch.bfloat16) for _ in range(MODEL["layers"])]
                    tokens = torch.randint(0, MODEL["vocab"], (b, 1), device=dev)
                    fn = lambda: model.decode(tokens, kc, vc, ctx)  # noqa: E731
                    eager = timed(fn, a.warmup, a.reps)
                    graph = graph_timed(fn, a.warmup, a.reps)
                    doc["decode"].append({"batch": b, "context": ctx, "eager": eager, "cuda_graph": graph})
                    print(f"decode b={b} ctx={ctx}: eager {eager['median_s']*1e3:.3f} ms, graph "
                          f"{graph['median_s']*1e3:.3f} ms", flush=True)
                    del kc, vc
                except Exception:
                    doc["errors"].append({"case": f"decode {case}", "error": traceback.format_exc(limit=3)})
                torch.cuda.empty_cache()
                write(doc, a.out)
    except Exception:
        doc["errors"].append({"case": "inference", "error": traceback.format_exc(limit=5)})
    doc["records"] = records(doc)
    write(doc, a.out)
    for e in doc["errors"]:
        print("ERROR", e["case"], e["error"], file=sys.stderr)
    return 1 if doc["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
