"""Admin pages for setting up a company: brands, agents, memberships, teams and incidents, scoped to one's brands.

A superuser sees everything. A staff user who is an admin member of some brands administers exactly those
brands: their agents, memberships and incidents, with choices limited to them (no Django permissions needed).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from anliegen.core.admin_forms import TOPICS, AgentAddForm, AgentForm, BrandForm, TeamForm
from anliegen.core.models import Agent, Brand, Incident, Membership, Team
from anliegen.core.setup import create_agent


def administered(request: HttpRequest) -> list[int] | None:
    """Ids of the brands the user administers; None for a superuser (every brand)."""
    user = request.user
    if user.is_superuser:
        return None
    cached = getattr(request, "_admin_brand_ids", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(agent__user=user, role=Membership.Role.ADMIN).values_list("brand_id", flat=True)
        )
        request._admin_brand_ids = cached
    return cached


class BrandScoped(admin.ModelAdmin):
    """Rows reached through `brand_path` belong to one of the user's brands; choices are cut to them."""

    brand_path = "brand"

    def _allowed(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return False  # anonymous on the login page, or not staff at all
        ids = administered(request)
        return ids is None or bool(ids)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        ids = administered(request)
        if ids is None:
            return qs
        return qs.filter(**{f"{self.brand_path}__in": ids}).distinct()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        ids = administered(request)
        if ids is not None and db_field.related_model is Brand:
            kwargs["queryset"] = Brand.objects.filter(pk__in=ids)
        elif ids is not None and db_field.related_model is Agent:
            kwargs["queryset"] = Agent.objects.filter(memberships__brand__in=ids).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["agent"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        ids = administered(request)
        if ids is not None and db_field.related_model is Brand:
            kwargs["queryset"] = Brand.objects.filter(pk__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        ids = administered(request)
        qs = super().get_queryset(request)
        return qs if ids is None else qs.filter(brand__in=ids)


@admin.register(Brand)
class BrandAdmin(BrandScoped):
    brand_path = "pk"
    form = BrandForm
    list_display = [
        "name",
        "slug",
        "mail_domain",
        "hotline",
        "default_language",
        "default_region",
        "answer_within_hours",
    ]
    search_fields = ["name", "slug", "mail_domain", "support_address", "hotline"]
    list_filter = ["default_language"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser  # a brand admin would not see a brand they just made

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(Agent)
class AgentAdmin(BrandScoped):
    brand_path = "memberships__brand"
    list_display = ["name", "username", "extension", "languages_shown", "presence", "on_leave", "capacity"]
    list_filter = [
        ("memberships__brand", admin.RelatedOnlyFieldListFilter),
        "memberships__role",
        "presence",
        "on_leave",
    ]
    search_fields = ["name", "mailbox", "extension", "user__username", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["deputy"]

    @admin.display(description=_("username"), ordering="user__username")
    def username(self, agent: Agent) -> str:
        return agent.user.username

    @admin.display(description=_("languages"))
    def languages_shown(self, agent: Agent) -> str:
        return ", ".join(agent.languages)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = AgentForm if obj is not None else AgentAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            ids = administered(request)
            if ids is not None:
                form.base_fields["brand"].queryset = Brand.objects.filter(pk__in=ids)
        return form

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list:
        authority = (_("Authority"), {"fields": ["credit_max", "may_replace_device", "may_cancel_contract"]})
        person = ["name", "extension", "languages", "skills", "capacity", "presence"]
        if obj is None:
            login = (_("Login and first brand"), {"fields": ["username", "password", "email", "brand", "role"]})
            return [login, (_("Person"), {"fields": person}), authority]
        return [(None, {"fields": [*person, "on_leave", "deputy"]}), authority]

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list:
        return [MembershipInline] if obj is not None else []  # a new agent's first brand is on the form

    def save_model(self, request: HttpRequest, obj: Agent, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        agent = create_agent(
            data["brand"],
            data["username"],
            data["name"],
            data["password"],
            email=data["email"],
            role=data["role"],
            languages=obj.languages,
            extension=obj.extension,
            authority=obj.authority,
            skills=obj.skills,
            presence=obj.presence,
            capacity=obj.capacity,
            staff=data["role"] == Membership.Role.ADMIN,
            superuser=False,
        )
        obj.pk, obj.user_id, obj.mailbox = agent.pk, agent.user_id, agent.mailbox


@admin.register(Membership)
class MembershipAdmin(BrandScoped):
    list_display = ["agent", "brand", "role"]
    list_filter = [("brand", admin.RelatedOnlyFieldListFilter), "role"]
    search_fields = ["agent__name", "agent__user__username", "brand__name"]
    autocomplete_fields = ["agent"]
    list_select_related = ["agent", "brand"]


@admin.register(Team)
class TeamAdmin(BrandScoped):
    form = TeamForm
    list_display = ["name", "brand", "lead", "member_count", "topics_shown"]
    list_filter = [("brand", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "brand__name", "members__name", "lead__name"]
    filter_horizontal = ["members"]
    list_select_related = ["brand", "lead"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(member_total=Count("members", distinct=True))

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, team: Team) -> int:
        return team.member_total

    @admin.display(description=_("topics"))
    def topics_shown(self, team: Team) -> str:
        labels = dict(TOPICS)
        return ", ".join(str(labels.get(t, t)) for t in team.topics)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        ids = administered(request)
        if ids is not None and db_field.related_model is Agent:
            kwargs["queryset"] = Agent.objects.filter(memberships__brand__in=ids).distinct()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Incident)
class IncidentAdmin(BrandScoped):
    list_display = ["title", "brand", "state", "product", "starts_at", "ends_at", "public"]
    list_filter = [("brand", admin.RelatedOnlyFieldListFilter), "state", "public"]
    search_fields = ["title", "description", "product"]
    date_hierarchy = "starts_at"
    list_select_related = ["brand"]
