"""Sayso on Telegram, built on python-telegram-bot.

Two processes share the work. Inside the Rasa server, `input.TelegramInput` takes updates at
/webhooks/telegram/webhook, records each one, answers Telegram at once, and hands it to Rasa;
replies go into the database outbox. The Telegram worker (`worker`) sends the outbox within
Telegram's limits and, when there is no public web address, fetches updates with getUpdates
and posts them to the same webhook. This package imports no Rasa code except in `input`, so
the worker stays small.
"""
