"""Panels: the multi-agency meetings that work a partnership's highest-risk cases.

A panel (MARAC, ASB action group, IOM, Channel, MACE, a daily briefing) has members
(agencies, and people), meetings with agendas, attendance and minutes, and actions owned by an
agency with a due date. A case is *listed* at a panel; while the listing is live, the
practitioners of the panel's member agencies see the case as the panel's terms allow: that is
a source of access registered with `sharing.policy` (`access.py`), ending when the listing
ends. MARAC referrals, research forms, ASB case reviews (the community trigger), IOM cohort
places and Channel referrals are the panel-specific records. Everything is written only by
the services, each change with its audit entry. `__str__` holds kind and id only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


class PanelType(models.TextChoices):
    MARAC = "marac", "MARAC (domestic abuse)"
    ASB_ACTION_GROUP = "asb_action_group", "ASB action group"
    ASB_CASE_REVIEW = "asb_case_review", "ASB case review (community trigger)"
    IOM = "iom", "Integrated Offender Management"
    CHANNEL = "channel", "Channel"
    MACE = "mace", "Exploitation panel (MACE)"
    DAILY_BRIEFING = "daily_briefing", "Daily exploitation briefing"


class Terms(models.TextChoices):
    """What a listing lets the panel's members see (the sharing policy's scopes)."""

    WHOLE = "whole", "The whole case (no special category data)"
    CHRONOLOGY_AND_TASKS = "chronology_tasks", "Chronology and tasks only"


class Panel(models.Model):
    name = models.CharField(max_length=200, unique=True)
    type = models.CharField(max_length=30, choices=PanelType.choices)
    chair_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    meeting_pattern = models.CharField(max_length=200, blank=True)  # "Monthly, second Tuesday"
    terms = models.CharField(max_length=30, choices=Terms.choices, default=Terms.WHOLE)
    purpose = models.CharField(max_length=300)  # recorded on every access through a listing
    settings = models.JSONField(default=dict, blank=True)  # e.g. community trigger threshold
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"Panel {self.pk}"


class Member(models.Model):
    """An agency on a panel (and, optionally, its named representative)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["panel", "agency__name"]

    def __str__(self) -> str:
        return f"Panel member {self.pk}"


class Listing(models.Model):
    """A case on a panel's list, from `listed_at` until `ended_at` (the grant it makes)."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="listings")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="listings")
    listed_at = models.DateTimeField()
    listed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-listed_at"]
        indexes = [models.Index(fields=["case", "panel"])]

    def __str__(self) -> str:
        return f"Listing {self.pk}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(blank=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Meeting {self.pk}"


class AgendaItem(models.Model):
    """A listed case on one meeting's agenda, in order, with what the meeting recorded."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveIntegerField()
    discussion = models.TextField(blank=True)  # the item's minute

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "listing"], name="panels_item_once")
        ]

    def __str__(self) -> str:
        return f"Agenda item {self.pk}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attended = models.BooleanField(default=True)
    apologies = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency"], name="panels_attendance_once")
        ]

    def __str__(self) -> str:
        return f"Attendance {self.pk}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class PanelAction(models.Model):
    """An action a panel gave one agency, with a due date (both required)."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    listing = models.ForeignKey(
        Listing, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    owner_user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField()
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"Panel action {self.pk}"


# --- MARAC -------------------------------------------------------------------------------------


class Referral(models.Model):
    """A MARAC referral of a case's victim, with the criteria met; pre-filled from the DASH
    assessment it rests on. `repeat` is set when the same victim was referred within 12 months
    of their last referral (SafeLives' definition), with the referral it repeats."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(
        "risk.Assessment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    listing = models.ForeignKey(
        Listing, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    referring_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    referred_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField()
    visible_high_risk = models.BooleanField(default=False)
    professional_judgement = models.BooleanField(default=False)
    potential_escalation = models.BooleanField(default=False)
    dash_score = models.PositiveIntegerField(null=True, blank=True)
    repeat = models.BooleanField(default=False)
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(blank=True)  # the referrer's reasons (case content)
    # The equality fields SafeLives' quarterly return asks for, as recorded for the victim.
    victim_gender = models.CharField(max_length=20, blank=True)
    victim_age = models.PositiveSmallIntegerField(null=True, blank=True)
    victim_ethnicity = models.CharField(max_length=60, blank=True)
    victim_disability = models.CharField(max_length=20, blank=True)  # yes / no / not known
    victim_lgbt = models.CharField(max_length=20, blank=True)  # yes / no / not known
    children_in_household = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-referred_on", "-id"]
        indexes = [models.Index(fields=["panel", "subject", "referred_on"])]

    def __str__(self) -> str:
        return f"Referral {self.pk}"


class ResearchForm(models.Model):
    """What one agency found on its own systems about a referral, before the meeting."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="research")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(blank=True)
    known = models.BooleanField(default=False)  # the victim or perpetrator is known to it
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral", "agency"], name="panels_research_once")
        ]

    def __str__(self) -> str:
        return f"Research form {self.pk}"


# --- ASB case review (community trigger) -------------------------------------------------------


class ReviewStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    THRESHOLD_NOT_MET = "threshold_not_met", "Threshold not met"
    REVIEW_DUE = "review_due", "Review to be held"
    REVIEWED = "reviewed", "Review held"
    CLOSED = "closed", "Closed"


class CaseReview(models.Model):
    """An ASB case review application (Anti-social Behaviour, Crime and Policing Act 2014,
    s104). `complaints` lists the qualifying complaints as {"made_on": ISO date, "agency":
    name}; the threshold decision records the local threshold applied."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="case_reviews")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField(max_length=30, unique=True)
    received_on = models.DateField()
    applicant_type = models.CharField(max_length=30)  # victim / on behalf of a victim / ...
    complaints = models.JSONField(default=list)
    threshold_complaints = models.PositiveSmallIntegerField()
    threshold_months = models.PositiveSmallIntegerField()
    threshold_met = models.BooleanField(null=True)
    decided_on = models.DateField(null=True, blank=True)
    review_held_on = models.DateField(null=True, blank=True)
    recommendations = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.RECEIVED
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"Case review {self.pk}"


# --- IOM ---------------------------------------------------------------------------------------


class Cohort(models.TextChoices):
    FIXED = "fixed", "Fixed"
    FLEX = "flex", "Flex"
    FREE = "free", "Free"


class CohortPlace(models.Model):
    """A person's place in an IOM cohort, from selection to de-selection (with the reason)."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="cohort")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    cohort = models.CharField(max_length=10, choices=Cohort.choices)
    score = models.IntegerField(null=True, blank=True)
    selected_on = models.DateField()
    next_review_on = models.DateField(null=True, blank=True)
    deselected_on = models.DateField(null=True, blank=True)
    deselection_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-selected_on"]

    def __str__(self) -> str:
        return f"Cohort place {self.pk}"


# --- Channel -----------------------------------------------------------------------------------


class ChannelStage(models.TextChoices):
    REFERRED = "referred", "Referred"
    ADOPTED = "adopted", "Adopted as a Channel case"
    NOT_ADOPTED = "not_adopted", "Not adopted"
    EXITED = "exited", "Exited"


class ChannelCase(models.Model):
    """A Channel referral: consent, the VAF assessment, panel decisions and the reviews due
    6 and 12 months after exit (set from `exited_on`)."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="channel_cases")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField()
    consent = models.CharField(max_length=20, blank=True)  # given / refused / not yet sought
    consent_on = models.DateField(null=True, blank=True)
    assessment = models.ForeignKey(
        "risk.Assessment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(
        max_length=20, choices=ChannelStage.choices, default=ChannelStage.REFERRED
    )
    support_plan = models.JSONField(default=list, blank=True)  # [{who, what, when}]
    decisions = models.JSONField(default=list, blank=True)  # [{on, decision}]
    exited_on = models.DateField(null=True, blank=True)
    review_6_on = models.DateField(null=True, blank=True)
    review_6_done = models.DateField(null=True, blank=True)
    review_12_on = models.DateField(null=True, blank=True)
    review_12_done = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-referred_on"]

    def __str__(self) -> str:
        return f"Channel case {self.pk}"


# --- Exploitation panel and daily briefing -----------------------------------------------------


class BriefingItem(models.Model):
    """One incident or concern at a daily briefing (or MACE meeting): about a person on a
    case, a place, or a group; actions on it are `PanelAction`s of the same meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="briefing_items")
    about = models.CharField(max_length=10)  # person / place / group
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.ForeignKey(  # the person, place or group, when recorded
        "subjects.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group_name = models.CharField(max_length=200, blank=True)
    summary = models.TextField()
    occurred_on = models.DateField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return f"Briefing item {self.pk}"
