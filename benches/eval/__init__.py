"""Helpers for benches/places_eval.py: corpus readers, span matching and scoring, the by-population
resolver for the peers, and the peers' runner (executed inside the bench virtualenv)."""
