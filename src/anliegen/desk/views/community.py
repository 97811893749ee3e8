"""The desk's community work: the moderation queue, official answers, accepting, and turning a thread into an
article draft or a private case."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anliegen.selfservice.models import Answer, Thread
from anliegen.selfservice.models.community import Post
from anliegen.selfservice.services import community as service

from .. import scope
from ..pages import render_page


def _thread_or_404(agent: object, thread_id: int) -> Thread:
    thread = Thread.objects.filter(pk=thread_id, brand_id__in=scope.brand_ids(agent)).select_related("brand").first()
    if thread is None:
        raise Http404
    return thread


@require_GET
@scope.agent_required
def queue(request: HttpRequest) -> HttpResponse:
    ids = scope.brand_ids(request.agent)
    context = {
        "threads": Thread.objects.filter(brand_id__in=ids, state=Post.PENDING).select_related("brand"),
        "answers": Answer.objects.filter(thread__brand_id__in=ids, state=Post.PENDING).select_related("thread"),
        "recent": Thread.objects.filter(brand_id__in=ids, state=Post.PUBLISHED).select_related("brand")[:30],
    }
    return render_page(request, "desk/community/queue.html", context)


@require_GET
@scope.agent_required
def thread_detail(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread = _thread_or_404(request.agent, thread_id)
    answers = Answer.objects.filter(thread=thread).select_related("agent")
    return render_page(request, "desk/community/thread.html", {"thread": thread, "answers": answers})


@require_POST
@scope.agent_required
def moderate(request: HttpRequest, kind: str, post_id: int) -> HttpResponse:
    ids = scope.brand_ids(request.agent)
    model = Thread if kind == "thread" else Answer
    brand_field = "brand_id__in" if kind == "thread" else "thread__brand_id__in"
    post = model.objects.filter(pk=post_id, **{brand_field: ids}).first()
    if post is None:
        raise Http404
    service.do_moderate(post, request.POST.get("decision") == "approve")
    messages.success(request, _("Moderation saved."))
    return redirect("desk:community")


@require_POST
@scope.agent_required
def act(request: HttpRequest, thread_id: int) -> HttpResponse:
    """Answer officially, accept an answer, or turn the thread into an article draft or a private case."""
    thread = _thread_or_404(request.agent, thread_id)
    action = request.POST.get("action")
    try:
        if action == "answer" and request.POST.get("body", "").strip():
            service.check_answer(thread, body=request.POST["body"][:5000], agent=request.agent)
            messages.success(request, _("Your official answer is online."))
        elif action == "accept":
            answer = Answer.objects.filter(pk=request.POST.get("answer") or 0, thread=thread).first()
            if answer is None:
                raise Http404
            service.do_accept(thread, answer)
            messages.success(request, _("Answer accepted."))
        elif action == "article":
            version = service.do_to_article(thread, request.agent)
            messages.success(request, _("An article draft was made and waits for review."))
            return redirect("desk:article", article_id=version.article_id)
        elif action == "case":
            case = service.do_to_case(thread, request.agent)
            messages.success(request, _("A private case was opened for the asker."))
            return redirect("desk:case", case_id=case.pk)
    except service.CommunityError as exc:
        messages.error(request, str(exc))
    return redirect("desk:community_thread", thread_id=thread.pk)
