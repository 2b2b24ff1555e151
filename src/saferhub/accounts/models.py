"""Agencies and the people in them. Every user belongs to one agency and has one role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower


class AgencyType(models.TextChoices):
    POLICE = "police", "Police"
    COUNCIL = "council", "Council"
    PROBATION = "probation", "Probation"
    HEALTH = "health", "Health"
    FIRE = "fire", "Fire and rescue"
    YOUTH_OFFENDING = "youth_offending", "Youth offending"
    HOUSING = "housing", "Housing"
    EDUCATION = "education", "Education"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class Role(models.TextChoices):
    ADMIN = "admin", "Partnership admin"
    ANALYST = "analyst", "Analyst"
    COORDINATOR = "coordinator", "Plan coordinator"
    PRACTITIONER = "practitioner", "Practitioner"
    BOARD = "board", "Board member (read-only)"


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    type = models.CharField(max_length=30, choices=AgencyType.choices)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("a user needs an email address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(max_length=20, choices=Role.choices)
    is_data_protection_officer = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)
    # Set when an admin sets the password: the user chooses their own at the next sign-in,
    # after the two-factor step (web.middleware.require_new_password).
    must_change_password = models.BooleanField(default=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    objects = UserManager()

    class Meta:
        ordering = ["full_name"]
        constraints = [
            # "Analyst@x" and "analyst@x" are one address, whatever wrote the row.
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message="A user with this email address already exists",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email


class FailedSignIn(models.Model):
    """How many failed password sign-ins from one address for one email were not written to
    the audit log since the last entry that was: at most one entry a minute per pair, the
    next one carrying the count (accounts.signals). django-axes counts every attempt."""

    address = models.CharField(max_length=64)
    email = models.CharField(max_length=254)
    recorded_at = models.DateTimeField()
    repeats = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["address", "email"], name="accounts_failed_pair")
        ]
