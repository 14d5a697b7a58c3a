"""Rasa custom actions, thin: they hand each message to `bot/`.

The action server imports this package once when it starts, so what reads meaning (the
sentence encoder, the safeguarding classifier, the routing topics) is loaded here, before the
first person's message rather than during it.
"""

from bot.consultations.routing import prepare_routing
from bot.safeguarding.layers import prepare_safeguarding

prepare_safeguarding()
prepare_routing()
