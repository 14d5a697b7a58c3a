"""Rasa custom actions, thin: they hand each message to `bot/`.

The action server imports this package once when it starts, so what reads meaning (the
sentence encoder, the safeguarding classifier, the routing topics) is loaded here, before the
first person's message rather than during it. Where it runs in a container of its own, it
also serves its counts for Prometheus from here.
"""

from bot.config import get_settings
from bot.consultations.routing import prepare_routing
from bot.ops.metrics import serve_action_server_counts
from bot.safeguarding.layers import prepare_safeguarding

prepare_safeguarding()
prepare_routing()
serve_action_server_counts(get_settings())
