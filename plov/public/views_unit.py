"""Unit pages, compare, sitemap and robots. (Being built.)"""

from django.http import HttpResponse
from django.shortcuts import render


def unit_page(request, pk: int, slug: str = ""):
    return render(request, "public/base.html")


def compare(request):
    return render(request, "public/base.html")


def sitemap(request):
    return HttpResponse("", content_type="application/xml")


def robots(request):
    return HttpResponse("User-agent: *\n", content_type="text/plain")
