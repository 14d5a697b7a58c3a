-- Rasa's tracker store gets its own database beside Sayso's (as bot/ops/scaled.py makes them).
CREATE DATABASE rasa_tracker OWNER sayso;
