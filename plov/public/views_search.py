"""Search: by municipality, postcode or address, and name. (Being built.)"""

from django.shortcuts import render


def home(request):
    return render(request, "public/base.html")


def results(request):
    return render(request, "public/base.html")


def map_view(request):
    return render(request, "public/base.html")
