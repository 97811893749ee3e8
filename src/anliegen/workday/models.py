"""Macros, tags and saved views: each belongs to one brand, and nothing of one brand reaches another's cases."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anliegen.core.models import CaseState
from anliegen.promises.models import Promise


class Tag(models.Model):
    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="tags", verbose_name=_("brand"))
    name = models.CharField(_("name"), max_length=40)
    cases = models.ManyToManyField("core.Case", related_name="tags", blank=True, through="CaseTag")

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["brand", "name"], name="workday_tag_brand_name_uniq")]

    def __str__(self) -> str:
        return self.name


class CaseTag(models.Model):
    case = models.ForeignKey("core.Case", on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "case"], name="workday_casetag_uniq")]
        indexes = [models.Index(fields=["case"], name="workday_casetag_case_idx")]

    def __str__(self) -> str:
        return f"{self.tag_id} on case {self.case_id}"


class Macro(models.Model):
    """A text block for the reply composer, in one language of one brand; it may also change the case."""

    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="macros", verbose_name=_("brand"))
    language = models.CharField(_("language"), max_length=8, default="de")
    name = models.CharField(_("name"), max_length=80)
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "Placeholders: {customer}, {owner}, {owner_extension}, {owner_address}, {case_link}, {case_reference}."
        ),
    )
    set_state = models.CharField(_("set state"), max_length=10, choices=CaseState.choices, blank=True)
    note = models.TextField(_("internal note"), blank=True)
    promise_kind = models.CharField(_("promise"), max_length=12, choices=Promise.Kind.choices, blank=True)
    promise_text = models.CharField(_("promise text"), max_length=300, blank=True)
    promise_hours = models.PositiveIntegerField(_("promise due in hours"), default=24)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("macro")
        verbose_name_plural = _("macros")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "language", "name"], name="workday_macro_brand_lang_name_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class SavedView(models.Model):
    """A named filter of the case list: an agent's own (owner set) or shared with the whole brand (owner empty)."""

    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="+", verbose_name=_("brand"))
    owner = models.ForeignKey(
        "core.Agent", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=80)
    filters = models.JSONField(_("filters"), default=dict, blank=True)  # parsed by views_filter.ViewFilter
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["brand", "owner"], name="workday_view_brand_owner_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def shared(self) -> bool:
        return self.owner_id is None
