"""Sayso's own parts of Rasa's language pipeline, named in config.yml."""
