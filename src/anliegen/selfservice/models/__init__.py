"""Self-service models: incident updates and notices, articles, feedback, deflection outcomes, community."""

from .articles import Article, ArticleEmbedding, ArticleFeedback, ArticleVersion, Category, Deflection
from .community import Answer, Thread
from .incidents import IncidentNotice, IncidentProposal, IncidentUpdate

__all__ = [
    "Answer",
    "Article",
    "ArticleEmbedding",
    "ArticleFeedback",
    "ArticleVersion",
    "Category",
    "Deflection",
    "IncidentNotice",
    "IncidentProposal",
    "IncidentUpdate",
    "Thread",
]
