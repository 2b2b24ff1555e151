"""The casework pages, mounted at /casework/. Every view is wrapped by a gate of `access.py`
(tests/casework/test_gates.py fails for one that is not).

Case pages are under cases/<pk>/: a user of an agency the case is not shared with gets 403
on every one. The two ways in for such a user, asking for access and break glass, are under
access/<pk>/ and show only what the locked view shows."""

from django.urls import include, path

from .views import (
    cases,
    chronology,
    creating,
    details,
    documents,
    index,
    merging,
    requests,
    search,
    sharing,
    subjects,
    tasks,
)

app_name = "casework"
urlpatterns = [
    path("", index.index, name="index"),
    path("search/", search.search, name="search"),
    # Subjects
    path("subjects/new/<str:kind>/", creating.create, name="subject-new"),
    path("subjects/<int:pk>/", subjects.subject_page, name="subject"),
    path("subjects/<int:pk>/edit/", subjects.edit_subject, name="subject-edit"),
    path("subjects/<int:pk>/add/<str:part>/", subjects.add_detail, name="subject-add"),
    path(
        "subjects/<int:pk>/<str:part>/<int:row>/end/",
        details.end_detail,
        name="subject-detail-end",
    ),
    path(
        "subjects/<int:pk>/<str:part>/<int:row>/remove/",
        details.remove_detail,
        name="subject-detail-remove",
    ),
    path(
        "subjects/<int:pk>/names/<int:row>/correct/",
        details.correct_name,
        name="subject-name-correct",
    ),
    path("subjects/<int:pk>/relocate/", details.relocate, name="subject-relocate"),
    path(
        "subjects/<int:pk>/special-category/",
        subjects.special_category,
        name="subject-special-category",
    ),
    path("subjects/<int:pk>/merge/", merging.merge, name="subject-merge"),
    path("merges/", merging.merges, name="merges"),
    path("merges/<int:pk>/undo/", merging.unmerge, name="unmerge"),
    # Cases
    path("cases/", cases.case_list, name="cases"),
    path("cases/new/", cases.create_case, name="case-new"),
    path("cases/<int:pk>/", cases.case_page, name="case"),
    path("cases/<int:pk>/edit/", cases.edit_case, name="case-edit"),
    path("cases/<int:pk>/status/", cases.case_status, name="case-status"),
    path("cases/<int:pk>/subjects/add/", cases.add_subject, name="case-subject-add"),
    path(
        "cases/<int:pk>/subjects/<int:part>/remove/",
        cases.remove_subject,
        name="case-subject-remove",
    ),
    path("cases/<int:pk>/consent/<int:part>/", sharing.consent, name="consent"),
    path("cases/<int:pk>/chronology/add/", chronology.add_entry, name="entry-add"),
    path(
        "cases/<int:pk>/chronology/<int:part>/correct/",
        chronology.correct_entry,
        name="entry-correct",
    ),
    path("cases/<int:pk>/tasks/add/", tasks.add_task, name="task-add"),
    path("cases/<int:pk>/tasks/<int:part>/", tasks.edit_task, name="task-edit"),
    path("cases/<int:pk>/documents/upload/", documents.upload, name="document-upload"),
    path(
        "cases/<int:pk>/documents/<int:part>/download/",
        documents.download,
        name="document-download",
    ),
    path("cases/<int:pk>/grants/add/", sharing.add_grant, name="grant-add"),
    path("cases/<int:pk>/grants/<int:part>/revoke/", sharing.revoke_grant, name="grant-revoke"),
    path("tasks/", tasks.my_tasks, name="my-tasks"),
    # Ways into a case the user cannot see
    path("access/<int:pk>/request/", requests.request_access, name="request-access"),
    path("access/<int:pk>/break-glass/", requests.break_glass, name="break-glass"),
    path("access-requests/", requests.access_requests, name="access-requests"),
    path("access-requests/<int:pk>/", requests.decide, name="access-request"),
    path("break-glass/", requests.reviews, name="reviews"),
    path("break-glass/<int:pk>/", requests.review, name="review"),
    # Importing subjects and cases from a partner's file (import_urls.py)
    path("import/", include("saferhub.casework.import_urls")),
    # Information-sharing agreements
    path("agreements/", sharing.agreements, name="agreements"),
    path("agreements/new/", sharing.add_agreement, name="agreement-new"),
    path("agreements/<int:pk>/edit/", sharing.edit_agreement, name="agreement-edit"),
]
