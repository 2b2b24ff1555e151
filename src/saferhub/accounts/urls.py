from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", auth_views.LogoutView.as_view(next_page="accounts:sign-in"), name="sign-out"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("new-password/", views.new_password, name="new-password"),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            success_url=reverse_lazy("accounts:password-reset-sent"),
        ),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/message.html",
            extra_context={
                "title": "Check your email",
                "text": "If the address has an account, we have sent a link to reset the password.",
            },
        ),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            template_name="accounts/form.html",
            extra_context={"title": "Choose a new password"},
            success_url=reverse_lazy("accounts:password-reset-done"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/message.html",
            extra_context={"title": "Password changed", "text": "You can now sign in."},
        ),
        name="password-reset-done",
    ),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/add/", views.agency_edit, name="agency-add"),
    path("agencies/<int:pk>/", views.agency_edit, name="agency-edit"),
    path("users/", views.user_list, name="users"),
    path("users/add/", views.user_edit, name="user-add"),
    path("users/<int:pk>/", views.user_edit, name="user-edit"),
]
