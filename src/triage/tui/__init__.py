"""The Textual user interface (thin over the core: store, queue, classify, report)."""
