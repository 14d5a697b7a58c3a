"""The "you said, we did" loop: outcomes staff publish, and the messages they owe people."""
