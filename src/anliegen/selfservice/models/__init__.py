"""Self-service models: incident updates and notices, articles, feedback, deflection outcomes."""

from .articles import Article, ArticleFeedback, ArticleVersion, Category, Deflection
from .incidents import IncidentNotice, IncidentUpdate

__all__ = ["Article", "ArticleFeedback", "ArticleVersion", "Category", "Deflection", "IncidentNotice", "IncidentUpdate"]
