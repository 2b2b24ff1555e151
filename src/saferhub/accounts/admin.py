from django.contrib import admin

from .models import Agency, User

admin.site.register(Agency)


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "agency", "role", "is_active"]
    exclude = ["password"]
