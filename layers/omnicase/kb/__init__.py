"""The knowledge base: tenants' Markdown articles, their search index and the services on top.

Pure modules (article, tokens, synonyms, ranking) hold no AWS; persistence lives in persistence/kb_store.py.
"""
