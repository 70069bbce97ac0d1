"""policykg: Chinese policy documents to a knowledge graph of who does what, where and by when."""

__version__ = "0.1.0"
