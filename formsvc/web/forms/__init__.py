"""WTForms forms, one module per feature next to the blueprint that shows them; what
they all share (base classes, the text policy, ``apply_error``, ``posted_rows``) is in
``base``. Every form is re-exported here: ``from formsvc.web.forms import LaoForm``."""

from __future__ import annotations

from formsvc.web.forms.admin import (
    AuditFilterForm,
    OpenYearForm,
    ProgrammeForm,
    UnlockAddressForm,
    UserEditForm,
    UserForm,
)
from formsvc.web.forms.auth import EmailForm, LanguageForm, LoginForm, PasswordChangeForm, ProfileForm
from formsvc.web.forms.base import (
    REQUIRED,
    FlaskForm,
    MultiCheckboxField,
    PostForm,
    SubForm,
    apply_error,
    posted_rows,
    refuse_forbidden,
)
from formsvc.web.forms.forums import (
    AbsentRowForm,
    AgendaRowForm,
    ForumForm,
    ParticipantRowForm,
    PresentRowForm,
    ProjectRowForm,
)
from formsvc.web.forms.laos import CertificateForm, LaoForm, ModelLaoForm, VillageForm
from formsvc.web.forms.meetings import MeetingForm
from formsvc.web.forms.projects import ImportForm, ProjectForm, ProjectRowEditForm, ProjectTableForm
from formsvc.web.forms.reports import (
    DistrictReportForm,
    ExportReportsForm,
    ProvinceReportForm,
    ReportForm,
    ReviewForm,
    SubmitReportForm,
)
from formsvc.web.forms.visits import VisitForm
from formsvc.web.forms.working_group import (
    ActivityRowForm,
    EmblemForm,
    IssueOrderForm,
    MemberRowForm,
    OperationPlanForm,
    PrefillForm,
    WorkingGroupForm,
)

__all__ = [
    "AbsentRowForm",
    "ActivityRowForm",
    "AgendaRowForm",
    "AuditFilterForm",
    "MeetingForm",
    "CertificateForm",
    "DistrictReportForm",
    "ProvinceReportForm",
    "EmailForm",
    "EmblemForm",
    "ExportReportsForm",
    "FlaskForm",
    "ForumForm",
    "ImportForm",
    "IssueOrderForm",
    "LanguageForm",
    "LaoForm",
    "LoginForm",
    "MemberRowForm",
    "ModelLaoForm",
    "MultiCheckboxField",
    "OpenYearForm",
    "OperationPlanForm",
    "ParticipantRowForm",
    "PasswordChangeForm",
    "PostForm",
    "PrefillForm",
    "ProfileForm",
    "PresentRowForm",
    "ProgrammeForm",
    "ProjectForm",
    "ProjectRowEditForm",
    "ProjectRowForm",
    "ProjectTableForm",
    "REQUIRED",
    "ReportForm",
    "ReviewForm",
    "SubmitReportForm",
    "SubForm",
    "UnlockAddressForm",
    "UserEditForm",
    "UserForm",
    "VillageForm",
    "VisitForm",
    "WorkingGroupForm",
    "apply_error",
    "posted_rows",
    "refuse_forbidden",
]
