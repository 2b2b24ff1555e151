"""Strategies and delivery plans: objectives, measures, actions, leads, updates and RAG."""
