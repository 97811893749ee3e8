"""What other parts (channels, phone routing, chat) ask self-service.

- `active_incidents(brand, postcode="")`: the brand's public active incidents (affecting `postcode` if given).
- `affects(incident, postcode)`: whether a postcode lies in an incident's area.
- `matching_articles(brand, text, language="", limit=5)`: published help articles about `text`, best first
  (each a Match with `.article` and `.score`); `article_url(article)` is its public address.
"""

from .articles import matching_articles
from .incidents import active_incidents, affects


def article_url(article: object) -> str:
    from django.conf import settings

    from ..views.help import article_url as path

    return settings.BASE_URL + path(article)


__all__ = ["active_incidents", "affects", "article_url", "matching_articles"]
