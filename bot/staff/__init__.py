"""The staff web app: consultations, themed summaries, outcomes, exports."""
