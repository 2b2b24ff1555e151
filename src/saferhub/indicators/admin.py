from django.contrib import admin

from .models import Indicator, YouthJusticeExtract

admin.site.register(Indicator)
admin.site.register(YouthJusticeExtract)
