"""The knowledge base: categories and articles per brand and language, their versions under review, feedback."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name (German)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [models.UniqueConstraint(fields=["brand", "slug"], name="category_brand_slug_uniq")]

    def __str__(self) -> str:
        return self.name

    def label(self, language: str) -> str:
        return (self.name_en or self.name) if language.startswith("en") else self.name


class Article(models.Model):
    """What the public reads: the last approved version's title and body (drafts live in ArticleVersion)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=8, default="de")
    slug = models.SlugField(_("slug"), max_length=120)
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    body_html = models.TextField(_("text"), blank=True)  # always sanitised before it is stored
    body_text = models.TextField(blank=True)  # what search and snippets read
    # The same article in the other language, so the help centre can offer it.
    translation_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(fields=["brand", "language", "slug"], name="article_brand_lang_slug_uniq")
        ]
        indexes = [models.Index(fields=["brand", "language", "state"], name="article_brand_lang_state_idx")]

    def __str__(self) -> str:
        return self.title


class ArticleVersion(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        REVIEW = "review", _("waiting for review")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("sent back")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    body_html = models.TextField(_("text"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey("core.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewer = models.ForeignKey("core.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    review_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="articleversion_number_uniq")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class ArticleFeedback(models.Model):
    """One reader's "did this help?"; the reader key (a hash) keeps one vote per reader and article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    reader = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "reader"], name="articlefeedback_reader_uniq")]

    def __str__(self) -> str:
        return f"{self.article_id}: {'helped' if self.helpful else 'did not help'}"


class Deflection(models.Model):
    """What the contact form's suggestions did: shown to a writer, and whether they then did not need to send."""

    class Outcome(models.TextChoices):
        SHOWN = "shown", _("suggestions shown")
        SOLVED = "solved", _("solved, not sent")
        SENT = "sent", _("sent anyway")

    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="+")
    # One per form visit (the form's submission id): a visit counts once, whatever it ends with.
    visit = models.CharField(max_length=64)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SHOWN)
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "visit"], name="deflection_brand_visit_uniq")]
        indexes = [models.Index(fields=["brand", "created_at"], name="deflection_brand_created_idx")]

    def __str__(self) -> str:
        return f"{self.brand_id} {self.visit}: {self.outcome}"


class ArticleEmbedding(models.Model):
    """The semantic ranker's vector of a published article (float32, L2-normalised), with what it was made of."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="embedding")
    model = models.CharField(max_length=80)  # the embedder's name: another model makes every vector stale
    vector = models.BinaryField()
    source_updated = models.DateTimeField()  # the article's updated_at when embedded: a later edit re-embeds
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.article_id} ({self.model})"
