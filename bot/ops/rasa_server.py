"""Start `rasa run` with the API token from settings, so it never shows in the process list.

Arguments on a command line can be read by anyone on the machine (`ps`); this module puts the
token into Rasa's argument list inside the process instead. It also puts in place the fixes
in `bot.ops.rasa_tuning`, which halve the time Rasa takes to answer a message.
"""

from __future__ import annotations

import sys

from rasa.__main__ import main as rasa_main

from bot.config import get_settings
from bot.ops import rasa_tuning


def main() -> None:
    try:
        rasa_tuning.apply()
    except rasa_tuning.RasaMismatch as mismatch:
        sys.exit(f"Sayso cannot start Rasa. {mismatch}")
    sys.argv = ["rasa", "run", "--auth-token", get_settings().rasa_auth_token, *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
