"""Community Q&A per brand: public questions and answers, moderated, with accepted and official answers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Post(models.TextChoices):
    PENDING = "pending", _("waiting for moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class Thread(models.Model):
    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=8, default="de")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("question"))  # plain text, personal data already masked
    author_name = models.CharField(_("name"), max_length=80)
    # Private: never shown; lets a later post skip moderation and an agent turn the thread into a case.
    author_email = models.EmailField(_("e-mail address"))
    state = models.CharField(max_length=10, choices=Post.choices, default=Post.PENDING)
    # Why a moderator sees it: "first_post", "links", "iban", "phone", ...
    flags = models.JSONField(default=list, blank=True)
    accepted = models.ForeignKey("Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    article = models.ForeignKey("Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    case = models.ForeignKey("core.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("community question")
        verbose_name_plural = _("community questions")
        indexes = [models.Index(fields=["brand", "state", "-created_at"], name="thread_brand_state_idx")]

    def __str__(self) -> str:
        return self.title


class Answer(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="answers")
    body = models.TextField(_("answer"))
    author_name = models.CharField(_("name"), max_length=80)
    author_email = models.EmailField(_("e-mail address"), blank=True)
    # An agent's answer is the brand speaking: shown as official.
    agent = models.ForeignKey("core.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    state = models.CharField(max_length=10, choices=Post.choices, default=Post.PENDING)
    flags = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"answer {self.pk} on {self.thread_id}"

    @property
    def official(self) -> bool:
        return self.agent_id is not None
