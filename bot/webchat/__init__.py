"""The participant web chat page, for phones and shared tablets."""

#: The Rasa input channel name the web chat sends, so its people get their own pseudonyms.
WEBCHAT_CHANNEL = "webchat"
