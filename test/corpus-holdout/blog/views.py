"""Blog views: archive, search, tag pages, author feeds and the share redirector."""
import json
import logging

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from .models import Author, Post

logger = logging.getLogger(__name__)

ORDERINGS = {"new": "-published_at", "old": "published_at", "popular": "-views"}


def archive(request, year, month):
    posts = Post.objects.raw(
        "SELECT * FROM blog_post WHERE EXTRACT(year FROM published_at) = %s AND EXTRACT(month FROM published_at) = %s",
        [year, month],
    )
    return render(request, "blog/archive.html", {"posts": posts})


def search(request):
    q = request.GET.get("q", "")
    order = ORDERINGS.get(request.GET.get("order", "new"), "-published_at")
    posts = Post.objects.filter(Q(title__icontains=q) | Q(body__icontains=q)).order_by(order)  # safe: sql-injection
    logger.info("blog search: %s (%d hits)", q, posts.count())  # expect: log-injection
    return render(request, "blog/search.html", {"posts": posts, "q": q})  # safe: reflected-xss


def search_legacy(request):
    q = request.GET.get("q", "")
    posts = Post.objects.raw("SELECT * FROM blog_post WHERE title LIKE '%%" + q + "%%'")  # expect: sql-injection
    return render(request, "blog/search.html", {"posts": posts})


def tag(request, slug):
    posts = Post.objects.extra(where=["id IN (SELECT post_id FROM blog_tag WHERE slug = '%s')" % slug])  # expect: sql-injection
    return render(request, "blog/tag.html", {"posts": posts, "slug": slug})


def tag_safe(request, slug):
    posts = Post.objects.extra(where=["id IN (SELECT post_id FROM blog_tag WHERE slug = %s)"], params=[slug])  # safe: sql-injection
    return render(request, "blog/tag.html", {"posts": posts, "slug": slug})


def _stats_for(author_id, period):
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), SUM(views) FROM blog_post WHERE author_id = %s AND published_at > now() - interval '" + period + "'", [author_id])  # expect: sql-injection
        return cursor.fetchone()


def author_stats(request, author_id):
    period = request.GET.get("period", "30 days")
    count, views = _stats_for(author_id, period)
    return JsonResponse({"posts": count, "views": views})  # safe: reflected-xss


def top_authors(request):
    limit = int(request.GET.get("limit", "10"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT author_id, COUNT(*) c FROM blog_post GROUP BY author_id ORDER BY c DESC LIMIT {limit}")  # safe: sql-injection
        rows = cursor.fetchall()
    return JsonResponse({"authors": rows})


def preview_title(request):
    title = request.POST.get("title", "")
    return HttpResponse("<h1 class='preview'>%s</h1>" % title)  # expect: reflected-xss


def preview_title_escaped(request):
    title = request.POST.get("title", "")
    return HttpResponse("<h1 class='preview'>%s</h1>" % escape(title))  # safe: reflected-xss


def author_card(request, username):
    author = get_object_or_404(Author, username=username)
    bio = mark_safe(author.bio_html)  # safe: reflected-xss
    note = mark_safe("<em>Guest: %s</em>" % request.GET.get("guest", ""))  # expect: reflected-xss
    return render(request, "blog/author_card.html", {"author": author, "bio": bio, "note": note})


def author_feed(request, username):
    author = get_object_or_404(Author, username=username)
    fmt = request.GET.get("format", "json")
    payload = json.dumps({"author": author.username, "posts": list(author.posts.values("id", "title"))})
    response = HttpResponse(payload, content_type="application/json")  # safe: reflected-xss
    response["Content-Disposition"] = 'attachment; filename="%s.%s"' % (username, fmt)  # expect: header-injection
    response["Cache-Control"] = "max-age=%d" % settings.FEED_CACHE_SECONDS  # safe: header-injection
    return response


def share(request):
    target = request.GET.get("url", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)  # safe: open-redirect
    return redirect("blog:index")  # safe: open-redirect


def out(request):
    dest = request.GET.get("u")
    logger.info("outbound click %s", dest)  # expect: log-injection
    return HttpResponseRedirect(dest)  # expect: open-redirect


def post_permalink(request, post_id):
    post = get_object_or_404(Post, pk=post_id)
    return HttpResponseRedirect(reverse("blog:detail", args=[post.slug]))  # safe: open-redirect


def login_next(request):
    nxt = request.POST.get("next", "/")
    return redirect(nxt)  # expect: open-redirect
