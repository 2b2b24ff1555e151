from django.contrib import admin

from .models import Strategy

admin.site.register(Strategy)
